namespace Benchmem.Core.Memory;

/// <summary>How a pass's peak was obtained; written to the JSON and footnoted in the table.</summary>
public static class PeakMethods
{
    /// <summary>No GC ran and nothing the call allocated became garbage: the heap's growth (= bytes allocated) is the
    /// live high-water, to the byte.</summary>
    public const string Exact = "exact";

    /// <summary>The memory host with <c>PrecisePeak</c>: the live heap followed by the profiler with a full GC at every
    /// allocation that could raise the maximum, so the value is the live high-water to the byte, garbage excluded.</summary>
    public const string Precise = "precise";

    /// <summary>The memory host's default: the live high-water, garbage excluded, followed by the profiler with a full GC
    /// whenever the heap could have passed the maximum by more than the tolerance (4 KiB or 1%). Never above the truth;
    /// the truth is at most <see cref="MemoryPass.PeakBoundBytes"/> above it.</summary>
    public const string Live = "live";

    /// <summary>The largest heap size seen right before a GC, or at the end (without a GC: every byte allocated).
    /// Exact when large live data dominates; an upper bound for churn, since garbage a GC would have freed
    /// earlier still counts.</summary>
    public const string HeapHighWater = "heap-high-water";
}

/// <summary>One measured pass. Byte counts are relative to the live heap at the pass's start.</summary>
public sealed record MemoryPass
{
    public required long PeakBytes { get; init; }
    /// <summary>With <see cref="PeakMethods.Live"/>/<see cref="PeakMethods.Precise"/>: the true peak lies in [PeakBytes,
    /// PeakBytes + PeakBoundBytes]. Null where no bound is known (in process).</summary>
    public long? PeakBoundBytes { get; init; }
    public required long AllocatedBytes { get; init; }
    public required long RetainedBytes { get; init; }
    /// <summary>Objects allocated; null where no exact counter is available (in-process mode).</summary>
    public long? Allocations { get; init; }
    public int Gen0 { get; init; }
    public int Gen1 { get; init; }
    public int Gen2 { get; init; }
    public long? RssBytes { get; init; }
    public bool MultiThreaded { get; init; }
    public required string PeakMethod { get; init; }
    /// <summary>GCs during the call whose heap size before the GC could not be observed (0 when complete).</summary>
    public int UnobservedGcs { get; init; }
    /// <summary>Native memory (<see cref="NativeCounter"/>): the high-water of the bytes the call's own native blocks
    /// held at once; null where the interposer is not loaded (never 0 for "not measured").</summary>
    public long? NativePeakBytes { get; init; }
    /// <summary>Native bytes the call requested (malloc and friends, realloc's new size, anonymous mappings).</summary>
    public long? NativeAllocatedBytes { get; init; }
    /// <summary>Native blocks the call allocated.</summary>
    public long? NativeAllocations { get; init; }
    /// <summary>Native bytes the call allocated that were still allocated after it returned, its result was dropped and
    /// finalizers ran: a missing Dispose or a native leak.</summary>
    public long? NativeRetainedBytes { get; init; }
}

/// <summary>Every pass of one benchmark; the headline is the pass with the minimum peak.</summary>
public sealed record MemoryResult
{
    public required IReadOnlyList<MemoryPass> Passes { get; init; }
    public required MemoryOptions Options { get; init; }
    /// <summary>"profiler" when an exact allocation counter ran, else null.</summary>
    public string? AllocationsMethod { get; init; }

    public MemoryPass Headline => Passes.MinBy(p => p.PeakBytes)!;

    /// <summary>The least exact method among the passes: heap-high-water (an upper bound) over live (within a bound) over
    /// precise over exact.</summary>
    public string PeakMethod =>
        Passes.Any(p => p.PeakMethod == PeakMethods.HeapHighWater) ? PeakMethods.HeapHighWater
        : Passes.Any(p => p.PeakMethod == PeakMethods.Live) ? PeakMethods.Live
        : Passes.Any(p => p.PeakMethod == PeakMethods.Precise) ? PeakMethods.Precise
        : PeakMethods.Exact;
}
