using System.Reflection;
using Benchmem.Core.Heaps;
using Benchmem.Core.Memory;
using Benchmem.Core.Profiles;
using Benchmem.NUnit.MemoryTests;
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
            // Allocations by type in each pass: a profiler mark right before and right after its calls (no managed allocation).
            var heap = ProfilerHeap.TryOpen(out _);
            var marks = new long[2 * Math.Max(plan.Memory.Repeats, MemoryOptions.AdaptiveMaxPasses) + 2];
            int taken = 0;
            (Action Open, Action Close)? window = heap is null ? null : (() => marks[taken++] = heap.Mark(), () => marks[taken++] = heap.Mark());
            // An isolated benchmark's child takes one pass, cold: this process has not called it before.
            var options = plan.Memory.Isolated && MemoryHostChild.IsolatedPass ? plan.Memory with { Repeats = 1, Warmup = 0 } : plan.Memory;
            var memory = MemoryMeter.Measure(invoker, options, setup: null, window);
            output.Append(identity.ToRecord(memory: memory));
            if (heap is not null && taken == 2 * memory.Passes.Count && marks[..taken].All(m => m >= 0)
                && System.Environment.GetEnvironmentVariable(MemoryHostChild.OutputVariable) is { Length: > 0 } path)
            {
                var passes = Enumerable.Range(0, memory.Passes.Count).Select(i => PassTraffic.Rows(heap.Between(marks[2 * i], marks[2 * i + 1]))).ToList();
                heap.ReleaseMarks(marks[0]);
                PassTraffic.Append(PassTraffic.PathBeside(path), new PassTraffic(identity.FullName, plan.Memory.Calls, passes));
            }
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
