using System.Reflection;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>What the measure stage took; <see cref="Failure"/> when the benchmark threw instead.</summary>
internal sealed record Measurement(TimingResult? Timing, AllocationResult? Allocation, MemoryResult? Memory, BenchmarkFailure? Failure,
    bool OtherTests, IReadOnlyList<string> OtherAssemblies);

/// <summary>
/// Measure: times the benchmark (the machine's speed sampled between its rounds), counts its allocations, and takes the memory passes (unless the memory host already
/// did) and, in process, the sampled profile — against a throw-away result so the test's output is not repeated.
/// It notes whether other tests or test assemblies ran meanwhile (they distort timings).
/// </summary>
internal sealed class MeasureStage(MemoryHost host, ProfileStore profiles, ParallelRun parallel, Func<IReadOnlyList<string>> otherAssemblies,
    CalibrationProbe calibration, TimingLaunches launches)
{
    public Measurement Measure(BenchmarkCase benchmark, BenchmarkPlan plan)
    {
        bool company = parallel.OthersRunning;
        var assemblies = otherAssemblies();
        var (timing, allocation, memory, failure) = Run(benchmark, plan);
        company |= parallel.OthersRunning;
        assemblies = [.. assemblies.Union(otherAssemblies())];
        return new Measurement(timing, allocation, memory, failure, company, assemblies);
    }

    private (TimingResult?, AllocationResult?, MemoryResult?, BenchmarkFailure?) Run(BenchmarkCase benchmark, BenchmarkPlan plan)
    {
        var context = benchmark.Context;
        var setup = benchmark.Setup;
        var fullName = benchmark.Identity.FullName;
        var original = context.CurrentResult;
        var syncContext = SynchronizationContext.Current;
        context.CurrentResult = context.CurrentTest.MakeTestResult();
        // Async benchmarks are awaited synchronously in the loop; no context to post continuations back to.
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            // Passes the memory host already took (exact allocation counts, precise peak) are not repeated here.
            var hosted = host.ResultFor(fullName);
            // Cold passes need fresh processes: refused before anything is timed rather than measured warm.
            if (plan.Memory is { Isolated: true } && hosted is null)
                return (null, null, null, new BenchmarkFailure(
                    "Benchmem: [BenchMem(Isolate = true)] needs the memory host (a fresh process per pass), which did not measure this benchmark "
                    + "(the run's first Benchmem line says why); drop Isolate to measure it warm in process, or run where the memory host runs."));
            var invoker = benchmark.Invoker();
            // Memory-only: no rounds; the allocation pass then counts one call (bytes per operation need no round length).
            var timing = plan.Timed ? TimingEngine.Run(invoker, plan.Timing, setup, calibration) : null;
            // The allocation pass below sizes its calls by this process's rounds; the record pools every launch's.
            var pooled = timing is null ? null : launches.Merge(fullName, timing);
            var allocation = AllocationPass.Run(invoker, timing?.IterationsPerRound ?? 1, setup);
            var memory = plan.Memory is null ? null : hosted ?? MemoryMeter.Measure(invoker, plan.Memory, setup);
            // Measured in process: the profile too, sampled from the runtime's allocation events.
            if (plan.Profile && plan.Memory is not null && hosted is null
                && profiles.TakeSampled(invoker, plan.Memory, setup, fullName) is { } problem)
                original.OutWriter.WriteLine($"Benchmem: no allocation profile: {problem}");
            return (pooled, allocation, memory, null);
        }
        catch (Exception e)
        {
            return (null, null, null, Threw(e is TargetInvocationException { InnerException: { } inner } ? inner : e));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(syncContext);
            context.CurrentResult = original;
        }
    }

    private static BenchmarkFailure Threw(Exception e) =>
        new($"Benchmem: the benchmark threw while it was being measured: {e.GetType().Name}: {e.Message}", UserFrames(e.StackTrace));

    /// <summary>
    /// The benchmark's own frames: everything above the measuring loop (a compiled lambda_method calling into the
    /// user's code from Benchmem's engine), whose frames would only hide where it threw.
    /// </summary>
    internal static string? UserFrames(string? stackTrace)
    {
        if (stackTrace is null)
            return null;
        var lines = stackTrace.Split('\n');
        int cut = Array.FindIndex(lines, l => l.TrimStart().StartsWith("at lambda_method", StringComparison.Ordinal)
                                            || l.TrimStart().StartsWith("at Benchmem.", StringComparison.Ordinal));
        return cut <= 0 ? stackTrace : string.Join('\n', lines[..cut]).TrimEnd();
    }
}
