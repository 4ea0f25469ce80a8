using Benchmem.Core.Compare;
using Benchmem.Core.Results;
using Benchmem.Core.Text;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Plot;

/// <summary>One number per benchmark with its spread: the headline value, the whisker ends, and the extremes.</summary>
/// <remarks>Q1 and Q3 are the samples' quartiles (type 7); <see cref="Clipped"/> counts samples --clip left out.</remarks>
public readonly record struct Measurement(double Value, double Low, double High, double Min, double Max, double Q1, double Q3, int Clipped = 0)
{
    /// <summary>The band or whisker ends for --band: the default spread, min…max or Q1…Q3.</summary>
    public (double Low, double High) Spread(BandKind? kind) => kind switch
    {
        BandKind.MinMax => (Min, Max),
        BandKind.Quartiles => (Q1, Q3),
        _ => (Low, High),
    };
}

/// <summary>
/// The metric a plot draws. Values come from <see cref="Metric.Value"/>, so a plot shows the same number as
/// <c>benchmem compare</c> and the run's own table: time is the median per operation, memory metrics the headline
/// pass. Memory whiskers are min…max over the passes. Time whiskers are the rounds' interquartile range (Q1…Q3):
/// a timing sample's extremes are a GC pause or another process's burst, up to 10× the median on the example suite,
/// and would dwarf the line; the extremes are still shown on hover.
/// </summary>
public sealed class PlotMetric
{
    /// <summary>The metrics a plot can draw (<see cref="MetricField.Plottable"/>), time first, in the order help and errors list them.</summary>
    public static IReadOnlyList<MetricField> Plottable { get; } =
        [.. MetricField.All.Where(f => f.Plottable).OrderBy(f => !f.IsSampled)];

    private PlotMetric(MetricField field) => Field = field;

    public MetricField Field { get; }

    public string Name => Field.Name;

    public MetricKind Kind => Field.Kind;

    /// <summary>How the metric reads in titles: "time per op", "peak", …</summary>
    public string Title => Field.Title;

    public static string List => string.Join(", ", Plottable.Select(f => f.Name));

    /// <summary>
    /// <c>--columns</c>: exactly one plottable metric. Without it: peak when any benchmark has memory passes (memory is
    /// what Benchmem adds), else time.
    /// </summary>
    public static PlotMetric Choose(IReadOnlyList<string> columns, IEnumerable<BenchmarkRecord> records)
    {
        if (columns.Count == 0)
            return new PlotMetric(records.Any(r => r.Memory is { Passes.Count: > 0 }) ? MetricField.Peak : MetricField.Time);
        if (columns.Count > 1)
            throw new UsageException($"--columns: a plot draws one metric, got {columns.Count} ({string.Join(", ", columns)}); pick one of {List}, e.g. --columns peak.");
        if (!Metric.TryParseField(columns[0], out var field) || !(field.IsCustom || Plottable.Contains(field))) // metric.NAME: a Bench.Metric
            throw new UsageException($"--columns: unknown metric '{columns[0]}'"
                + (Suggestion.Nearest(columns[0], Plottable.Select(f => f.Name)) is { } near ? $", did you mean {near}?" : "") + $"; use one of {List}.");
        return new PlotMetric(field);
    }

    /// <summary>The record's value and whiskers, or null when it did not measure this metric.</summary>
    /// <remarks>
    /// With <paramref name="clip"/> (--clip F), samples above F × the median or below median / F are left out of the
    /// spread (whiskers, band, min and max): a GC pause of 10× the median no longer sets the whisker. The headline
    /// value stays the median (time) or the headline pass (memory), the number every other view shows.
    /// </remarks>
    public Measurement? Read(BenchmarkRecord record, double? clip = null)
    {
        if (Field.IsSampled)
        {
            if (Field.Value(record, Stat.Median) is not { } median)
                return null;
            var all = record.Timing!.RoundNanoseconds.Order().ToArray();
            var sorted = Clip(all, median, clip);
            return new Measurement(median, Quantile.Type7(sorted, 0.25), Quantile.Type7(sorted, 0.75),
                                   clip is null ? Field.Value(record, Stat.Min) ?? median : sorted[0],
                                   clip is null ? Field.Value(record, Stat.Max) ?? median : sorted[^1],
                                   Quantile.Type7(sorted, 0.25), Quantile.Type7(sorted, 0.75), all.Length - sorted.Length);
        }
        if (Field.Value(record) is not { } headline)
            return null;
        var passes = record.Memory?.Passes.Select(Field.PassValue).OfType<long>().Select(v => (double)v).Order().ToArray() ?? [];
        // allocated without passes falls back to the allocation pass's bytes per operation: one number, no spread.
        if (passes.Length == 0)
            return new Measurement(headline, headline, headline, headline, headline, headline, headline);
        var kept = Clip(passes, Quantile.Type7(passes, 0.5), clip);
        return new Measurement(headline, kept[0], kept[^1], kept[0], kept[^1], Quantile.Type7(kept, 0.25), Quantile.Type7(kept, 0.75), passes.Length - kept.Length);
    }

    /// <summary>The sorted samples within [median / factor, median × factor]; all of them without a factor.</summary>
    private static double[] Clip(double[] sorted, double median, double? factor)
    {
        if (factor is not { } f || median <= 0)
            return sorted;
        var kept = sorted.Where(v => v <= median * f && v >= median / f).ToArray();
        return kept.Length == 0 ? sorted : kept;
    }

    /// <summary>A value for people in its natural unit: "4.10 MiB", "1.204 ms", "10,000".</summary>
    public string Format(double value) => Field.Format(value).Replace(" us", " µs", StringComparison.Ordinal);

    /// <summary>What is missing and how to get it, for a metric no benchmark measured.</summary>
    public string HowToMeasure => Field.HowToMeasure;
}
