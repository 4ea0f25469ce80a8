using System.Globalization;
using Benchmem.Core.Reporting;
using Benchmem.Core.Results;

namespace Benchmem.Core.Compare;

/// <summary>
/// BenchmarkDotNet's baseline inside one run: each benchmark divided by the [Benchmark(Baseline = true)] of its group
/// (its Benchmem group, or without one its class), per metric — time as BDN does it (mean over mean), each memory
/// metric on the headline pass — with a RatioSD from the two spreads. The run's table shows them as columns; a
/// <see cref="RatioRule"/> gates them.
/// </summary>
public sealed class RunRatios
{
    private readonly Dictionary<string, BenchmarkRecord> _baselines;
    private readonly IReadOnlyList<MetricField> _fields;

    private RunRatios(Dictionary<string, BenchmarkRecord> baselines, IReadOnlyList<MetricField> fields) =>
        (_baselines, _fields) = (baselines, fields);

    /// <summary>The group a benchmark's ratio is taken in: its group, else its namespace and class.</summary>
    public static string GroupOf(BenchmarkRecord record) => record.Group is { } g ? "group " + g : $"{record.Namespace}.{record.Type}";

    /// <summary>The baselines of <paramref name="records"/> (the first marked one of a group) and the memory columns to divide.</summary>
    public static RunRatios Of(IEnumerable<BenchmarkRecord> records, IEnumerable<string> memoryColumns)
    {
        var baselines = new Dictionary<string, BenchmarkRecord>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r.Baseline))
            baselines.TryAdd(GroupOf(r), r);
        return new RunRatios(baselines, [MetricField.Time, .. memoryColumns.Select(Metric.ParseField)]);
    }

    /// <summary>True when some group has a baseline, so the table has ratio columns.</summary>
    public bool Any => _baselines.Count > 0;

    /// <summary>The baseline of the record's group, or null when the group has none.</summary>
    public BenchmarkRecord? BaselineOf(BenchmarkRecord record) => _baselines.GetValueOrDefault(GroupOf(record));

    /// <summary>The ratio of <paramref name="record"/> to its group's baseline for one metric, and its standard deviation; null when either lacks it.</summary>
    public static (double Ratio, double Sd)? Ratio(BenchmarkRecord record, BenchmarkRecord baseline, MetricField field)
    {
        var (a, b) = (Sample(record, field), Sample(baseline, field));
        if (a is not { } x || b is not { } y || y.Mean == 0)
            return null;
        double ratio = x.Mean / y.Mean;
        // The delta method (first order): the ratio's relative spread is the two relative spreads in quadrature.
        double sd = Math.Abs(ratio) * Math.Sqrt(Sq(x.Sd / NonZero(x.Mean)) + Sq(y.Sd / y.Mean));
        return (ratio, ReferenceEquals(record, baseline) ? 0 : sd);
    }

    /// <summary>The ratio columns of one row ("time Ratio", "time RatioSD", "peak Ratio", …); none when its group has no baseline.</summary>
    public IEnumerable<TextCell> Cells(BenchmarkRecord record)
    {
        if (BaselineOf(record) is not { } baseline)
            yield break;
        foreach (var field in _fields)
        {
            var side = field.IsSampled ? TableSide.Timing : TableSide.Memory;
            if (field.IsSampled && record.Timing is null)
                continue;
            var ratio = Ratio(record, baseline, field);
            yield return new TextCell($"{field.Name} Ratio", ratio is { } r ? r.Ratio.ToString("F2", CultureInfo.InvariantCulture) : "?", side);
            yield return new TextCell($"{field.Name} RatioSD", ratio is { } s ? s.Sd.ToString("F2", CultureInfo.InvariantCulture) : "?", side);
        }
    }

    /// <summary>
    /// A metric's mean and spread: time over the timing rounds (every round, as the run's table); a memory metric over
    /// the memory passes (the headline's value as the mean, so the ratio reads as the table's columns do).
    /// </summary>
    private static (double Mean, double Sd)? Sample(BenchmarkRecord record, MetricField field)
    {
        if (field.IsSampled)
            return record.Timing?.Summary is { } s ? (s.Mean, s.StandardDeviation) : null;
        if (field.Value(record) is not { } value)
            return null;
        var passes = record.Memory?.Passes.Select(field.PassValue).OfType<long>().Select(v => (double)v).ToList() ?? [];
        double mean = passes.Count > 0 ? passes.Average() : value;
        double sd = passes.Count > 1 ? Math.Sqrt(passes.Sum(v => Sq(v - mean)) / (passes.Count - 1)) : 0;
        return (value, sd);
    }

    private static double Sq(double v) => v * v;
    private static double NonZero(double v) => v == 0 ? 1 : v;
}

/// <summary>
/// A ratio gate inside one run: <c>ratio.FIELD:N</c> — fails a benchmark whose FIELD divided by its group's baseline
/// benchmark is above N (<c>ratio.time:1.2</c>: at most 20% slower than the baseline; <c>ratio.allocated:1.0</c>: no more
/// bytes than it). N is a plain number, the ratio itself.
/// </summary>
public sealed record RatioRule(MetricField Field, double Limit, string Text)
{
    public const string Prefix = "ratio.";

    /// <summary>True for a rule written in the ratio form (it needs no saved baseline).</summary>
    public static bool IsRatio(string rule) => rule.Trim().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <exception cref="FormatException">A malformed rule; the message quotes it and gives the fix.</exception>
    public static RatioRule Parse(string text)
    {
        var rule = text.Trim();
        var body = rule[Prefix.Length..];
        int colon = body.IndexOf(':');
        if (colon < 0)
            throw new FormatException($"'{rule}' has no limit: write {rule}:1.2 (at most 1.2 times the baseline benchmark)");
        var name = body[..colon].Trim();
        if (!Metric.TryParseField(name, out var field))
            throw new FormatException($"'{rule}': unknown field '{name}'{Benchmem.Core.Text.Suggestion.Hint(name, MetricField.All.Select(f => f.Name))} (fields: {Metric.FieldList})");
        var amount = body[(colon + 1)..].Trim();
        if (!double.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var limit) || !double.IsFinite(limit) || limit <= 0)
            throw new FormatException($"'{rule}': '{amount}' is not a ratio: write a positive number without a unit, e.g. {Prefix}{field.Name}:1.2");
        return new RatioRule(field, limit, rule);
    }

    /// <summary>Why <paramref name="record"/> breaks the rule against <paramref name="baseline"/>, or null when it holds (or is the baseline).</summary>
    public string? Check(BenchmarkRecord record, BenchmarkRecord baseline)
    {
        if (ReferenceEquals(record, baseline) || record.FullName == baseline.FullName)
            return null;
        if (RunRatios.Ratio(record, baseline, Field) is not { } r)
            return $"{Text}: {BenchmarkKey.ShortName(record)} or its baseline {BenchmarkKey.ShortName(baseline)} has no {Field.Name} ({Field.HowToMeasure}).";
        return r.Ratio <= Limit ? null
            : $"{Text}: {BenchmarkKey.ShortName(record)} is {r.Ratio.ToString("F2", CultureInfo.InvariantCulture)}× its baseline "
              + $"{BenchmarkKey.ShortName(baseline)} ({Field.Format(Field.IsSampled ? record.Timing!.Summary!.Mean : Field.Value(record)!.Value)} against "
              + $"{Field.Format(Field.IsSampled ? baseline.Timing!.Summary!.Mean : Field.Value(baseline)!.Value)}), over the limit {Limit.ToString(CultureInfo.InvariantCulture)}";
    }
}

/// <summary>Benchmem.CompareFail's rules split by kind: against a saved run (<see cref="ThresholdRule"/>) or inside this run (<see cref="RatioRule"/>).</summary>
public sealed record GateRules(IReadOnlyList<ThresholdRule> Thresholds, IReadOnlyList<RatioRule> Ratios)
{
    public static GateRules None { get; } = new([], []);

    /// <exception cref="FormatException">A malformed rule of either kind; the message quotes it and gives the fix.</exception>
    public static GateRules Parse(string? list)
    {
        var items = (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new([.. items.Where(i => !RatioRule.IsRatio(i)).Select(ThresholdRule.Parse)],
                   [.. items.Where(RatioRule.IsRatio).Select(RatioRule.Parse)]);
    }
}
