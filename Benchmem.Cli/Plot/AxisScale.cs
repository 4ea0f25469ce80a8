using Benchmem.Core.Units;

namespace Benchmem.Cli.Plot;

/// <summary>The unit an axis shows its values in: divide raw values (bytes, nanoseconds, counts) by <see cref="Divisor"/>.</summary>
public sealed record AxisUnit(string Symbol, double Divisor)
{
    public static AxisUnit None { get; } = new("", 1);

    public double Apply(double raw) => raw / Divisor;

    /// <summary>"peak (MiB)", or just the name when the unit is plain counts.</summary>
    public string Title(string name) => Symbol.Length == 0 ? name : $"{name} ({Symbol})";
}

/// <summary>Axis decisions taken from the data: the unit, and whether the axis is logarithmic.</summary>
public static class AxisScale
{
    private static readonly (double Size, string Symbol)[] Bytes = [(1, "B"), (1024, "KiB"), (1024 * 1024, "MiB"), (1024.0 * 1024 * 1024, "GiB"), (1024.0 * 1024 * 1024 * 1024, "TiB")];
    private static readonly (double Size, string Symbol)[] Times = [(1, "ns"), (1e3, "µs"), (1e6, "ms"), (1e9, "s")];

    /// <summary>Data spanning this many times from its smallest to its largest positive value gets a log axis.</summary>
    /// <remarks>
    /// Scaling runs usually step a size by 10× (n = 1,000, 10,000, 100,000): on a linear axis every point but the
    /// last two crowds into one corner. From two decades on that hides the small cases, so the axis goes logarithmic;
    /// below it a linear axis reads more honestly (a 30% change looks like one).
    /// </remarks>
    public const double LogSpan = 100;

    /// <summary>True when all values are positive and span at least <see cref="LogSpan"/>.</summary>
    public static bool ShouldLog(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
                continue;
            if (v <= 0)
                return false;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return max > 0 && max / min >= LogSpan;
    }

    /// <summary>
    /// The unit that makes the typical (median) value read between 1 and 1024 (bytes) or 1 and 1000 (time), so axis
    /// ticks are short numbers: "peak (MiB)", "time per op (µs)". Counts stay plain.
    /// </summary>
    public static AxisUnit UnitFor(MetricKind kind, IEnumerable<double> rawValues)
    {
        var magnitudes = rawValues.Where(double.IsFinite).Select(Math.Abs).Where(v => v > 0).Order().ToList();
        double typical = magnitudes.Count == 0 ? 0 : magnitudes[magnitudes.Count / 2];
        return kind switch
        {
            MetricKind.Bytes => Pick(Bytes, typical),
            MetricKind.Time => Pick(Times, typical),
            _ => AxisUnit.None,
        };
    }

    private static AxisUnit Pick((double Size, string Symbol)[] units, double typical)
    {
        int i = 0;
        while (i < units.Length - 1 && typical >= units[i + 1].Size)
            i++;
        return new AxisUnit(units[i].Symbol, units[i].Size);
    }
}
