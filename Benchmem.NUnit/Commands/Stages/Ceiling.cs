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

/// <summary>
/// A [Benchmark] time ceiling (MaxMedian, MaxMean, MaxMin): the statistic of the timing rounds it bounds — the same
/// every-round statistics the run's table and the gate use — the property that sets it, the limit in nanoseconds per
/// operation and the limit as written ("2ms").
/// </summary>
internal sealed record TimeCeiling(Core.Compare.Stat Stat, string Property, double LimitNs, string Text)
{
    /// <summary>The properties and the statistic each bounds, in the order their failures are listed.</summary>
    public static readonly (string Property, Core.Compare.Stat Stat, Func<BenchmarkAttribute, string?> Read)[] Kinds =
    [
        (nameof(BenchmarkAttribute.MaxMedian), Core.Compare.Stat.Median, a => a.MaxMedian),
        (nameof(BenchmarkAttribute.MaxMean), Core.Compare.Stat.Mean, a => a.MaxMean),
        (nameof(BenchmarkAttribute.MaxMin), Core.Compare.Stat.Min, a => a.MaxMin),
    ];

    /// <summary>Why the benchmark's rounds break this ceiling, or null when they are within it.</summary>
    /// <example>"median 2.412 ms exceeds MaxMedian 2ms (over 312 rounds)"</example>
    public string? Check(Core.Results.BenchmarkRecord record)
    {
        if (Core.Compare.MetricField.Time.Value(record, Stat) is not { } value)
            return $"{Property} needs timing rounds, which this benchmark did not take (Timing = false, or Benchmem.Timing=false): drop one of them.";
        return value <= LimitNs ? null
            : $"{Stat.ToString().ToLowerInvariant()} {TimeFormat.Format(value)} exceeds {Property} {Text} (over {record.Timing!.RoundNanoseconds.Length} rounds, outliers included)";
    }
}
