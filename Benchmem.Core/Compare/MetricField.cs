using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using Benchmem.Core.Units;

namespace Benchmem.Core.Compare;

/// <summary>
/// A number that can be compared between runs, described once as data (BenchmarkDotNet's <c>IMetricDescriptor</c> is
/// the model): its name in rules, <c>--columns</c>, <c>Benchmem.Columns</c> and plots, what it counts, which
/// statistics it has, where each view finds it. The gate grammar (<see cref="ThresholdRule"/>), compare tables, the
/// run's console table, plots and settings validation all read <see cref="All"/>, so a metric added here is a gate
/// field, a column and a plot metric at once.
/// </summary>
/// <remarks>The names are the ones the results table and the JSON series use, so a rule reads like the column it gates.</remarks>
public sealed class MetricField
{
    private readonly Func<BenchmarkRecord, double?>? _fallback;

    private MetricField(string name, MetricKind kind, string description, PassSeries? series = null, IReadOnlyList<Stat>? stats = null,
        string? title = null, bool plottable = true, Func<BenchmarkRecord, double?>? fallback = null, string? howToMeasure = null)
    {
        Name = name;
        Kind = kind;
        Description = description;
        Series = series;
        Stats = stats ?? [];
        Title = title ?? name;
        Plottable = plottable;
        _fallback = fallback;
        HowToMeasure = howToMeasure ?? "memory passes need [BenchMem] or dotnet test -- Benchmem.Enabled=true";
    }

    /// <summary>The id in rules, columns and messages: <c>peak</c>, <c>gen1</c>, <c>time</c>.</summary>
    public string Name { get; }

    /// <summary>How the metric reads in titles: "time per op", "peak", …</summary>
    public string Title { get; }

    /// <summary>What the number is, for help text.</summary>
    public string Description { get; }

    /// <summary>What it counts: the units of a rule's amount, the formatting, a plot's axis.</summary>
    public MetricKind Kind { get; }

    /// <summary>The statistics a sampled metric has (time: min, max, mean, median, stddev); empty for a memory metric,
    /// which has one number per benchmark, the headline pass's.</summary>
    public IReadOnlyList<Stat> Stats { get; }

    /// <summary>Sampled over timing rounds: takes a <c>.STAT</c> and a significance or noise judgement in rules.</summary>
    public bool IsSampled => Stats.Count > 0;

    /// <summary>False for every metric so far: less time and less memory are better, and only growth fails a rule.</summary>
    public bool HigherIsBetter => false;

    /// <summary>The per-pass series it is read from (memory metrics); null for time.</summary>
    public PassSeries? Series { get; }

    /// <summary>A metric of the memory passes, so also a column of the run's own table (<c>Benchmem.Columns</c>).</summary>
    public bool IsPerPass => Series is not null;

    /// <summary><c>benchmem plot --columns</c> can draw it.</summary>
    public bool Plottable { get; }

    /// <summary>What is missing and how to get it, for a metric no benchmark measured.</summary>
    public string HowToMeasure { get; }

    /// <summary>The pass's value, or null when the pass did not measure it (or the metric is not per pass).</summary>
    public long? PassValue(MemoryPass pass) => Series?.Read(pass);

    /// <summary>
    /// The value, or null when the record did not measure it (no timing rounds, no memory passes, no profiler for
    /// <c>allocations</c>, <c>rss</c> not enabled). Null is never read as 0: a missing number must be reported, not
    /// pass a gate.
    /// </summary>
    /// <remarks>
    /// Memory metrics come from the headline pass (minimum peak), the number the run's own table shows. Only
    /// <c>allocated</c> falls back, to the always-on allocation pass's bytes per operation, so plain
    /// BenchmarkDotNet exports and timing-only runs still compare on allocated bytes; the collection counts do not,
    /// since the allocation pass counts collections over a whole round of calls, a different quantity from one pass's.
    /// <paramref name="stat"/> matters only for a sampled metric.
    /// </remarks>
    public double? Value(BenchmarkRecord record, Stat stat = Stat.Median)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (IsSampled)
        {
            if (record.Timing?.Summary is not { } s)
                return null;
            return stat switch
            {
                Stat.Median => s.Median,
                Stat.Min => s.Min,
                Stat.Max => s.Max,
                Stat.Mean => s.Mean,
                Stat.StdDev => s.StandardDeviation,
                _ => throw new ArgumentOutOfRangeException(nameof(stat), stat, null),
            };
        }
        var headline = record.Memory is { Passes.Count: > 0 } memory ? memory.Headline : null;
        return (headline is null ? null : PassValue(headline)) ?? _fallback?.Invoke(record);
    }

    /// <summary>A value in the metric's unit for people: <c>4.10 MiB</c>, <c>1.204 ms</c>, <c>10,000</c>.</summary>
    public string Format(double value) => Kind.Format(value);

    public override string ToString() => Name;

    private static readonly Stat[] TimeStats = [Stat.Median, Stat.Min, Stat.Max, Stat.Mean, Stat.StdDev];

    // The descriptor list. Adding a metric is one line here (and, for a new per-pass number, its series in PassSeries).
    public static readonly MetricField Peak = new("peak", MetricKind.Bytes, "bytes, the most the heap held at once during the headline memory pass", PassSeries.PeakBytes);
    public static readonly MetricField Allocated = new("allocated", MetricKind.Bytes,
        "bytes allocated in the headline memory pass; without memory passes the allocation pass's bytes per operation",
        PassSeries.AllocatedBytes, fallback: r => r.Allocation?.BytesAllocatedPerOperation);
    public static readonly MetricField Allocations = new("allocations", MetricKind.Count, "objects allocated in the headline memory pass (needs the memory host's profiler)",
        PassSeries.Allocations, howToMeasure: "allocation counts need the memory host (Benchmem.Enabled=true on linux-x64)");
    public static readonly MetricField Retained = new("retained", MetricKind.Bytes, "bytes still live after the call, headline memory pass", PassSeries.RetainedBytes);
    public static readonly MetricField Rss = new("rss", MetricKind.Bytes, "resident high-water bytes, headline memory pass (opt-in, Linux)", PassSeries.RssBytes,
        plottable: false);
    public static readonly MetricField Gen0 = new("gen0", MetricKind.Count, "gen-0 collections during the headline memory pass", PassSeries.Gen0);
    public static readonly MetricField Gen1 = new("gen1", MetricKind.Count, "gen-1 collections during the headline memory pass", PassSeries.Gen1);
    public static readonly MetricField Gen2 = new("gen2", MetricKind.Count, "gen-2 (full) collections during the headline memory pass", PassSeries.Gen2);
    private const string NativeHow = "native memory needs the memory host's interposer (Benchmem.Enabled=true on linux-x64 or linux-arm64)";
    public static readonly MetricField NativePeak = new("native-peak", MetricKind.Bytes,
        "bytes, the most native memory (malloc, anonymous mmap) the call's own blocks held at once, headline memory pass", PassSeries.NativePeakBytes,
        howToMeasure: NativeHow);
    public static readonly MetricField NativeAllocated = new("native-allocated", MetricKind.Bytes, "native bytes the call requested, headline memory pass",
        PassSeries.NativeAllocatedBytes, howToMeasure: NativeHow);
    public static readonly MetricField NativeAllocations = new("native-allocations", MetricKind.Count, "native blocks the call allocated, headline memory pass",
        PassSeries.NativeAllocations, howToMeasure: NativeHow);
    public static readonly MetricField NativeRetained = new("native-retained", MetricKind.Bytes,
        "native bytes the call allocated and never freed (its result dropped, finalizers run), headline memory pass", PassSeries.NativeRetainedBytes,
        howToMeasure: NativeHow);
    public static readonly MetricField Time = new("time", MetricKind.Time,
        "nanoseconds per operation, from the timing rounds (a statistic picks which number)", stats: TimeStats, title: "time per op",
        howToMeasure: "these runs have no timing rounds");

    /// <summary>Every built-in metric, in the order help text and error messages list them. A run's own metrics
    /// (<c>Bench.Metric</c>) are <see cref="Custom"/> descriptors of the same kind, named <c>metric.NAME</c>.</summary>
    public static IReadOnlyList<MetricField> All { get; } =
        [Peak, Allocated, Allocations, Retained, Rss, Gen0, Gen1, Gen2, NativePeak, NativeAllocated, NativeAllocations, NativeRetained, Time];

    /// <summary>How a run-defined metric is written in rules, <c>--columns</c> and plots: <c>metric.rows:10%</c>.</summary>
    public const string CustomPrefix = "metric.";

    /// <summary>The name a test gave <c>Bench.Metric</c> (without <see cref="CustomPrefix"/>); null for a built-in metric.</summary>
    public string? CustomName { get; private init; }

    /// <summary>A metric the benchmark recorded itself (<c>Bench.Metric</c>).</summary>
    public bool IsCustom => CustomName is not null;

    /// <summary>
    /// The descriptor of a run-defined metric: one number per benchmark (the last the test recorded), read from
    /// <see cref="BenchmarkRecord.Metrics"/>, compared and gated as a count (lower is better, like every metric), so it is a
    /// column, a rule field and a plot metric through the same paths as the built-in ones.
    /// </summary>
    /// <exception cref="FormatException">The name cannot be a metric's (see <see cref="CustomNameProblem"/>).</exception>
    public static MetricField Custom(string name)
    {
        if (CustomNameProblem(name) is { } problem)
            throw new FormatException(problem);
        return new MetricField(CustomPrefix + name, MetricKind.Count, $"the number the test recorded with Bench.Metric(\"{name}\", value)", title: name,
            fallback: r => r.Metrics.TryGetValue(name, out var v) ? v : null,
            howToMeasure: $"record it in the test with Bench.Metric(\"{name}\", value)") { CustomName = name };
    }

    /// <summary>Why a name cannot be a run-defined metric's (it must read unambiguously in rules and columns), or null.</summary>
    public static string? CustomNameProblem(string? name) =>
        string.IsNullOrEmpty(name) || name.Length > 100 || !(char.IsAsciiLetter(name[0]) || name[0] == '_')
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"'{name}' cannot be a metric's name: use 1–100 letters, digits, '_' or '-', starting with a letter or '_' (e.g. rows, cache_hits)"
            : null;

    /// <summary>Two descriptors of one name are one metric (a run-defined one is made per use).</summary>
    public override bool Equals(object? obj) => obj is MetricField other && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);
}

/// <summary>Which statistic of the timing rounds a time rule or column uses. Memory fields ignore it: they use the
/// headline pass, which already is the minimum-peak pass.</summary>
public enum Stat
{
    /// <summary>The default: robust to the odd slow round, unlike the mean.</summary>
    Median,
    Min,
    Max,
    Mean,
    /// <summary>Tables only: a rule on the spread would fail on noise rather than on slower code.</summary>
    StdDev,
}
