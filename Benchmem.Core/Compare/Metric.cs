using System.Globalization;
using Benchmem.Core.Results;
using Benchmem.Core.Text;

namespace Benchmem.Core.Compare;

/// <summary>
/// Looks metrics up by name and reads them out of a benchmark record: the gate, the tables, the CLI and plots ask here,
/// so they agree on what "peak" or "time" means. The metrics themselves are <see cref="MetricField.All"/>.
/// </summary>
public static class Metric
{
    /// <summary>Every field in the order the help text and error messages list them.</summary>
    public static IReadOnlyList<MetricField> Fields => MetricField.All;

    /// <summary>The field's name in rules, columns and messages: <c>peak</c>, <c>allocated</c>, ..., <c>time</c>.</summary>
    public static string Name(MetricField field) => field.Name;

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

    public static Units.MetricKind Kind(MetricField field) => field.Kind;

    /// <summary>Case-insensitive: a shell user typing <c>Peak</c> means peak, and no two fields differ only by case.</summary>
    public static bool TryParseField(string? name, out MetricField field)
    {
        var trimmed = name?.Trim();
        field = Fields.FirstOrDefault(f => string.Equals(f.Name, trimmed, StringComparison.OrdinalIgnoreCase))!;
        // metric.NAME: a run's own metric (Bench.Metric), the same descriptor kind as the built-in ones.
        if (field is null && trimmed is not null && trimmed.StartsWith(MetricField.CustomPrefix, StringComparison.OrdinalIgnoreCase)
            && MetricField.CustomNameProblem(trimmed[MetricField.CustomPrefix.Length..]) is null)
            field = MetricField.Custom(trimmed[MetricField.CustomPrefix.Length..]);
        return field is not null;
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

    /// <summary>The field's value, or null when the record did not measure it: <see cref="MetricField.Value"/>.</summary>
    public static double? Value(BenchmarkRecord record, MetricField field, Stat stat = Stat.Median)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Value(record, stat);
    }

    /// <summary>A value in the field's unit for people: <c>4.10 MiB</c>, <c>1.204 ms</c>, <c>10,000</c>.</summary>
    public static string Format(MetricField field, double value) => field.Format(value);

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
