using System.Reflection;
using Benchmem.Core.Memory;
using Benchmem.Core.Profiles;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// Measure, in the memory host child: only the memory passes, written for the test host to pick up, and the allocation
/// profile when asked (<paramref name="root"/>: the benchmark method, where the profile's stacks start). A failure is
/// told on stderr: the test host measures that benchmark in process and says the host missed it.
/// </summary>
internal static class HostedMemoryStage
{
    public static void Measure(BenchmarkCase benchmark, BenchmarkPlan plan, MethodBase? root)
    {
        if (plan.Memory is null || MemoryHostChild.Output is not { } output)
            return;
        var context = benchmark.Context;
        var identity = benchmark.Identity;
        var original = context.CurrentResult;
        context.CurrentResult = context.CurrentTest.MakeTestResult();
        try
        {
            var invoker = benchmark.Invoker();
            // An isolated benchmark's child takes one pass, cold: this process has not called it before.
            var options = plan.Memory.Isolated && MemoryHostChild.IsolatedPass ? plan.Memory with { Repeats = 1, Warmup = 0 } : plan.Memory;
            var memory = MemoryMeter.Measure(invoker, options);
            output.Append(identity.ToRecord(memory: memory));
            if (plan.Profile && MemoryHostChild.ProfileOutput is { } folder)
            {
                var saved = AllocationProfiler.Record(invoker, plan.Memory, setup: null, root, identity.FullName, folder);
                if (saved.TraceProblem is { } problem)
                    Console.Error.WriteLine($"{identity.FullName}: profile kept without its runtime trace: {problem}");
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{identity.FullName}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            context.CurrentResult = original;
        }
    }
}
