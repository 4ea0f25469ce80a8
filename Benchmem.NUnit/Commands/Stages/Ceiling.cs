using Benchmem.Core.Memory;
using Benchmem.Core.Units;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// A [BenchMem] ceiling's kind, defined once: the metric it bounds, the attribute property that sets it, how to read
/// that metric from a pass (null: not measured in this mode) and how a value is shown.
/// </summary>
internal sealed record CeilingKind(string Metric, string Property, Func<MemoryPass, long?> Read, Func<long, string> Show)
{
    public static readonly CeilingKind Peak = new("peak", nameof(BenchMemAttribute.MaxPeak), p => p.PeakBytes, v => ByteSize.Format(v));
    public static readonly CeilingKind Allocated = new("allocated", nameof(BenchMemAttribute.MaxAllocated), p => p.AllocatedBytes, v => ByteSize.Format(v));
    public static readonly CeilingKind Retained = new("retained", nameof(BenchMemAttribute.MaxRetained), p => p.RetainedBytes, v => ByteSize.Format(v));
    public static readonly CeilingKind Allocations = new("allocations", nameof(BenchMemAttribute.MaxAllocations), p => p.Allocations, v => CountFormat.Format(v));
}

/// <summary>One ceiling of a benchmark: its kind, the limit and the limit as the user wrote it ("100MiB").</summary>
internal sealed record Ceiling(CeilingKind Kind, long Limit, string Text)
{
    /// <summary>Why the worst pass breaks this ceiling, or null when every pass is within it.</summary>
    /// <example>"peak 117 MiB exceeds MaxPeak 100MiB (worst of 3 passes)"</example>
    public string? Check(MemoryResult memory)
    {
        if (memory.Passes.Any(p => Kind.Read(p) is null))
            return $"{Kind.Property} needs exact allocation counts, which this run does not have (they come from the memory host's profiler); "
                + "use MaxAllocated for a ceiling in bytes instead.";
        long worst = memory.Passes.Max(p => Kind.Read(p)!.Value);
        return worst <= Limit ? null
            : $"{Kind.Metric} {Kind.Show(worst)} exceeds {Kind.Property} {Text}" + (memory.Passes.Count > 1 ? $" (worst of {memory.Passes.Count} passes)" : "");
    }
}
