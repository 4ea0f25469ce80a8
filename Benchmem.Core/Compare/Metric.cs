using System.Globalization;
using System.Runtime.CompilerServices;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;
using Benchmem.Core.Text;

namespace Benchmem.Core.Compare;

/// <summary>
/// Reads one comparable number out of a benchmark record: the one place that decides where each field comes from,
/// so the gate, the table and the CLI agree on what "peak" or "time" means.
/// </summary>
public static class Metric
{
    /// <summary>Every field in the order the help text and error messages list them.</summary>
    public static IReadOnlyList<MetricField> Fields { get; } =
        [MetricField.Peak, MetricField.Allocated, MetricField.Allocations, MetricField.Retained, MetricField.Rss, MetricField.Gen0, MetricField.Time];

    /// <summary>The field's name in rules, columns and messages: <c>peak</c>, <c>allocated</c>, ..., <c>time</c>.</summary>
    public static string Name(MetricField field) => field switch
    {
        MetricField.Time => "time",
        MetricField.Peak => "peak",
        MetricField.Allocated => "allocated",
        MetricField.Allocations => "allocations",
        MetricField.Retained => "retained",
        MetricField.Rss => "rss",
        MetricField.Gen0 => "gen0",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>The statistic's name in rules and headers: <c>median</c>, <c>min</c>, <c>max</c>, <c>mean</c>, <c>stddev</c>.</summary>
    public static string Name(Stat stat) => stat switch
    {
        Stat.Median => "median",
        Stat.Min => "min",
        Stat.Max => "max",
        Stat.Mean => "mean",
        Stat.StdDev => "stddev",
        _ => throw new ArgumentOutOfRangeException(nameof(stat), stat, null),
    };

    public static MetricKind Kind(MetricField field) => field switch
    {
        MetricField.Time => MetricKind.Time,
        MetricField.Allocations or MetricField.Gen0 => MetricKind.Count,
        _ => MetricKind.Bytes,
    };

    /// <summary>Case-insensitive: a shell user typing <c>Peak</c> means peak, and no two fields differ only by case.</summary>
    public static bool TryParseField(string? name, out MetricField field)
    {
        foreach (var f in Fields)
        {
            if (string.Equals(Name(f), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                field = f;
                return true;
            }
        }
        field = default;
        return false;
    }

    /// <summary>A field name such as <c>peak</c>; throws <see cref="FormatException"/> listing the fields otherwise
    /// (for <c>--columns</c>).</summary>
    public static MetricField ParseField(string name) =>
        TryParseField(name, out var field) ? field
            : throw new FormatException(UnknownField(name));

    /// <summary><c>unknown field 'peek', did you mean peak? (fields: peak, allocated, …)</c>: the one message for a
    /// mistyped field, in --columns and in rules.</summary>
    internal static string UnknownField(string name) =>
        $"unknown field '{name}'" + (Suggestion.Nearest(name, Fields.Select(Name)) is { } near ? $", did you mean {near}?" : "") + $" (fields: {FieldList})";

    public static bool TryParseStat(string? name, out Stat stat)
    {
        foreach (var s in Enum.GetValues<Stat>())
        {
            if (string.Equals(Name(s), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                stat = s;
                return true;
            }
        }
        stat = default;
        return false;
    }

    internal static string FieldList => string.Join(", ", Fields.Select(Name));

    /// <summary>
    /// The field's value, or null when the record did not measure it (no timing rounds, no memory passes, no
    /// profiler for <c>allocations</c>, <c>rss</c> not enabled). Null is never read as 0: a missing number must be
    /// reported, not pass a gate.
    /// </summary>
    /// <remarks>
    /// Memory fields come from the headline pass (minimum peak), the number the run's own table shows. Only
    /// <c>allocated</c> falls back, to the always-on allocation pass's bytes per operation, so plain
    /// BenchmarkDotNet exports and timing-only runs still compare on allocated bytes; <c>gen0</c> does not, since
    /// the allocation pass counts collections over a whole round of calls, a different quantity from one pass's.
    /// <c>stat</c> matters only for <c>time</c>.
    /// </remarks>
    public static double? Value(BenchmarkRecord record, MetricField field, Stat stat = Stat.Median)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (field == MetricField.Time)
        {
            var stats = StatisticsCache.Get(record);
            if (stats is null)
                return null;
            return stat switch
            {
                Stat.Median => stats.Median,
                Stat.Min => stats.Min,
                Stat.Max => stats.Max,
                Stat.Mean => stats.Mean,
                Stat.StdDev => stats.StandardDeviation,
                _ => throw new ArgumentOutOfRangeException(nameof(stat), stat, null),
            };
        }

        var headline = record.Memory is { Passes.Count: > 0 } memory ? memory.Headline : null;
        return field switch
        {
            MetricField.Peak => headline?.PeakBytes,
            MetricField.Allocated => headline?.AllocatedBytes ?? record.Allocation?.BytesAllocatedPerOperation,
            MetricField.Allocations => headline?.Allocations,
            MetricField.Retained => headline?.RetainedBytes,
            MetricField.Rss => headline?.RssBytes,
            MetricField.Gen0 => headline?.Gen0,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
    }

    /// <summary>A value in the field's unit for people: <c>4.10 MiB</c>, <c>1.204 ms</c>, <c>10,000</c>.</summary>
    public static string Format(MetricField field, double value) => Kind(field) switch
    {
        MetricKind.Time => TimeFormat.Format(value),
        MetricKind.Bytes => ByteSize.Format(value),
        _ => CountFormat.Format(value),
    };

    /// <summary>
    /// The change from <paramref name="baseline"/> to <paramref name="candidate"/> in percent of the baseline.
    /// From zero it is +∞ (any growth from nothing is unbounded) or 0 when both are zero; a negative baseline (a time
    /// after overhead subtraction) is measured against its magnitude, so growth stays positive.
    /// </summary>
    public static double ChangePercent(double baseline, double candidate)
    {
        if (baseline == 0)
            return candidate == 0 ? 0 : candidate > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        return (candidate - baseline) / Math.Abs(baseline) * 100;
    }

    /// <summary><c>+22.0%</c>, <c>-3.1%</c>, <c>0.0%</c>, <c>+∞%</c> (grew from zero).</summary>
    public static string FormatChange(double percent)
    {
        if (double.IsPositiveInfinity(percent))
            return "+∞%";
        if (double.IsNegativeInfinity(percent))
            return "-∞%";
        if (double.IsNaN(percent))
            return "n/a";
        string text = Math.Abs(percent).ToString("F1", CultureInfo.InvariantCulture);
        // Rounds to zero: no sign, so "-0.0%" never suggests an improvement that is not there.
        if (text == "0.0")
            return "0.0%";
        return (percent > 0 ? "+" : "-") + text + "%";
    }
}

/// <summary>
/// The five timing numbers a comparison reads (min, max, mean, median, stddev), bit-identical to
/// <see cref="Statistics"/>'s (MetricTests checks this on thousands of samples). Not <see cref="Statistics"/> itself:
/// its confidence interval (a Student-t quantile), percentiles, outliers and higher moments cost ~50 µs per sample,
/// most of a 10,000-benchmark comparison, and nothing here reads them.
/// </summary>
internal sealed record TimeSummary(double Min, double Max, double Mean, double Median, double StandardDeviation)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TimeSummary Of(double[] values)
    {
        // Min, median and max exactly as Statistics gets them from Perfolizer's Quartiles (Hyndman-Fan type 7, the
        // same arithmetic in the same order), without building a Sample and all five quartiles: the sort is the cost.
        var sorted = values.ToArray();
        Array.Sort(sorted);
        // Perfolizer's Moments.Create without skewness and kurtosis: the same sums in the same order (the values as
        // given), and Math.Pow(d, 2) rather than d * d, which can differ in the last bit.
        int n = values.Length;
        double sum = 0;
        foreach (double v in values)
            sum += v;
        double mean = sum / n;
        double squares = 0;
        foreach (double v in values)
            squares += Math.Pow(v - mean, 2);
        double variance = n == 1 ? 0 : squares / (n - 1);
        return new TimeSummary(Type7(sorted, 0), Type7(sorted, 1), mean, Type7(sorted, 0.5), Math.Sqrt(variance));
    }

    /// <summary>Perfolizer 0.6.1's HyndmanFanHelper.Evaluate for type 7 on sorted values: the 1-based real index
    /// h = (n - 1)p + 1, then linear interpolation between its neighbours, clamped to the sample.</summary>
    private static double Type7(double[] sorted, double p)
    {
        int n = sorted.Length;
        double h = (n - 1) * p + 1;
        int hFloor = (int)h;
        double fraction = h - hFloor;
        if (hFloor + 1 <= n)
            return At(sorted, hFloor) * (1 - fraction) + At(sorted, hFloor + 1) * fraction;
        return At(sorted, hFloor);
    }

    private static double At(double[] sorted, int oneBased)
    {
        int index = oneBased - 1;
        return index <= 0 ? sorted[0] : index >= sorted.Length ? sorted[^1] : sorted[index];
    }
}

/// <summary>
/// Timing numbers per record, computed once per process: a comparison asks for several statistics of the same sample
/// (table columns, rules, sorting), and a CLI run both renders and gates the same runs. Weakly keyed, so records
/// still go away with their run; a record's rounds are fixed once measured or loaded, so a cached summary stays true.
/// </summary>
internal static class StatisticsCache
{
    private static readonly ConditionalWeakTable<BenchmarkRecord, Box> Shared = new();

    // ConditionalWeakTable wants a class value, and "no timing" must be cached too.
    private sealed record Box(TimeSummary? Summary);

    public static TimeSummary? Get(BenchmarkRecord record) =>
        Shared.GetValue(record, r => new Box(Compute(r))).Summary;

    public static TimeSummary? Compute(BenchmarkRecord record)
    {
        var values = record.Timing?.RoundNanoseconds;
        // A sample with NaN cannot be summarised; treat it as not measured rather than throw mid-comparison.
        if (values is null || values.Length == 0 || !Array.TrueForAll(values, double.IsFinite))
            return null;
        return TimeSummary.Of(values);
    }
}
