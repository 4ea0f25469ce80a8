using System.Diagnostics;
using Benchmem.Core.Memory;
using Benchmem.Core.Timing;

namespace MemoryPassCost;

/// <summary>What one process measured for one workload. Times in nanoseconds.</summary>
internal sealed record WorkloadNumbers
{
    public required string Name { get; init; }
    /// <summary>Median ns per call from TimingEngine (null when the workload is not timed).</summary>
    public double? CallNs { get; init; }
    /// <summary>One value per timed Measure(Repeats = N): its wall time / N.</summary>
    public required double[] PassNs { get; init; }
    /// <summary>Wall time of the very first Measure(Repeats = 1) of the workload in this process (JIT of the meter's
    /// paths and, in a child, of the workload itself included).</summary>
    public double FirstMeasureNs { get; init; }
    /// <summary>Distinct allocation counts over all passes (empty when the profiler is not active).</summary>
    public required long[] Allocations { get; init; }
    public long PeakBytes { get; init; }
    public required string PeakMethod { get; init; }
}

/// <summary>Everything one process measured; a child prints it as JSON on stdout.</summary>
internal sealed record ProcessNumbers
{
    public required string Role { get; init; }
    public bool ProfilerActive { get; init; }
    public string? InactiveReason { get; init; }
    public bool TieredCompilation { get; init; }
    /// <summary>The three clean-heap steps of one pass (each: forced full blocking compacting GC, finalizers, again).</summary>
    public double CleanHeapNs { get; init; }
    /// <summary>Live managed heap after a full GC, when the clean-heap cost was measured.</summary>
    public long LiveHeapBytes { get; init; }
    public double ElapsedNs { get; init; }
    public required WorkloadNumbers Empty { get; init; }
    public required List<WorkloadNumbers> Workloads { get; init; }
}

internal sealed record RunOptions
{
    /// <summary>Passes per timed Measure call.</summary>
    public int Repeats { get; init; } = 20;
    /// <summary>Timed Measure calls per workload; the table shows their median.</summary>
    public int Samples { get; init; } = 7;
    public TimingOptions Timing { get; init; } = new();
}

internal static class Measurements
{
    /// <summary>
    /// In process (the parent): each workload is timed first, then measured, as Benchmem does in the test host.
    /// In a child: memory passes first (a memory host only takes those), then the call is timed for the slowdown.
    /// </summary>
    public static ProcessNumbers Run(string role, RunOptions options, bool timeFirst)
    {
        var watch = Stopwatch.StartNew();
        var cleanHeap = new List<double>();
        var empty = Measure(Workloads.Empty, options, timeFirst, () => cleanHeap.Add(CleanHeapCost(options.Repeats)));
        long live = GC.GetTotalMemory(forceFullCollection: true);
        var workloads = Workloads.All.Select(w => Measure(w, options, timeFirst)).ToList();
        return new ProcessNumbers
        {
            Role = role,
            ProfilerActive = AllocationCounter.IsActive,
            InactiveReason = AllocationCounter.InactiveReason,
            TieredCompilation = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0",
            CleanHeapNs = new Statistics(cleanHeap).Median,
            LiveHeapBytes = live,
            ElapsedNs = watch.Elapsed.TotalNanoseconds,
            Empty = empty,
            Workloads = workloads,
        };
    }

    /// <param name="afterSample">Run after each timed Measure call (the clean-heap timing, interleaved with the no-op
    /// workload's samples so both see the same machine load).</param>
    private static WorkloadNumbers Measure(Workload workload, RunOptions options, bool timeFirst, Action? afterSample = null)
    {
        var invoker = workload.CreateInvoker();
        double? call = null;
        if (workload.Timed && timeFirst)
            call = Time(invoker, options);

        var watch = Stopwatch.StartNew();
        MemoryMeter.Measure(invoker, new MemoryOptions { Repeats = 1, Warmup = 1 });
        double first = watch.Elapsed.TotalNanoseconds;

        var passNs = new double[options.Samples];
        var allocations = new SortedSet<long>();
        MemoryResult? last = null;
        for (int s = 0; s < options.Samples; s++)
        {
            watch.Restart();
            last = MemoryMeter.Measure(invoker, new MemoryOptions { Repeats = options.Repeats, Warmup = 1 });
            passNs[s] = watch.Elapsed.TotalNanoseconds / options.Repeats;
            foreach (var pass in last.Passes)
                if (pass.Allocations is { } a)
                    allocations.Add(a);
            afterSample?.Invoke();
        }

        if (workload.Timed && !timeFirst)
            call = Time(invoker, options);
        invoker.ClearResult();
        return new WorkloadNumbers
        {
            Name = workload.Name,
            CallNs = call,
            PassNs = passNs,
            FirstMeasureNs = first,
            Allocations = [.. allocations],
            PeakBytes = last!.Headline.PeakBytes,
            PeakMethod = last.PeakMethod,
        };
    }

    private static double Time(Benchmem.Core.Invocation.BenchmarkInvoker invoker, RunOptions options)
    {
        var result = TimingEngine.Run(invoker, options.Timing);
        invoker.ClearResult();
        return new Statistics(result.RoundNanoseconds).Median;
    }

    /// <summary>
    /// The part of a pass that does not depend on the call: MemoryMeter's three clean-heap steps (before the call,
    /// after it, after dropping its result), each a forced full blocking compacting GC, finalizers, and a second GC.
    /// Mean over <paramref name="repeats"/> such triples, like a pass time.
    /// </summary>
    private static double CleanHeapCost(int repeats)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < repeats; i++)
        {
            CleanHeap();
            CleanHeap();
            CleanHeap();
        }
        return Stopwatch.GetElapsedTime(t0).TotalNanoseconds / repeats;
    }

    private static void CleanHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
