using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.Core.Timing;
using Benchmem.NUnit.Commands.Stages;

namespace Benchmem.NUnit.Session;

/// <summary>
/// What a process learns from its environment about being a timing launch (<see cref="TimingLaunches"/>): one of the
/// extra processes Benchmem.Launches starts, which only times the benchmarks and writes their rounds for the test host.
/// </summary>
internal static class LaunchChild
{
    public const string Role = "timing-launch";

    /// <summary>True inside a timing launch.</summary>
    public static bool IsChild { get; } = System.Environment.GetEnvironmentVariable(SettingsResolver.RoleVariable) == Role;

    /// <summary>In a launch: where each benchmark's timing goes (one JSON line each).</summary>
    public static Journal? Output { get; } =
        IsChild && System.Environment.GetEnvironmentVariable(SettingsResolver.MemoryHostOutputVariable) is { Length: > 0 } path ? new Journal(path) : null;

    /// <summary>Times the benchmark as the test host would (warm-up, calibration between the rounds) and writes it.
    /// A failure is told on stderr: the test host then pools fewer launches for it and says so.</summary>
    public static void Time(BenchmarkCase benchmark, BenchmarkPlan plan, CalibrationProbe calibration)
    {
        if (!plan.Timed || Output is not { } output)
            return;
        var context = benchmark.Context;
        var original = context.CurrentResult;
        var syncContext = SynchronizationContext.Current;
        context.CurrentResult = context.CurrentTest.MakeTestResult();
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var timing = TimingEngine.Run(benchmark.Invoker(), plan.Timing, benchmark.Setup, calibration);
            output.Append(benchmark.Identity.ToRecord(timing: timing));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{benchmark.Identity.FullName}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(syncContext);
            context.CurrentResult = original;
        }
    }
}
