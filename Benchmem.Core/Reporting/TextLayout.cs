using System.Globalization;

namespace Benchmem.Core.Reporting;

/// <summary>Text pieces the run's table and the comparison table share, so both read the same.</summary>
internal static class TextLayout
{
    /// <summary>
    /// The value against the best, as pytest-benchmark's compute_baseline_scale: "(1.0)" for the best, "(1.50)"; past a
    /// hundredfold without decimals ("(2,798)") where pytest-benchmark writes "(&gt;1000.0)"; "(0)" for a zero beside a
    /// non-zero best, "(inf)" only against a zero best (the run's table takes the smallest non-zero value as its best).
    /// </summary>
    public static string Multiplier(double best, double value)
    {
        if (value == best)
            return " (1.0)";
        if (value == 0)
            return " (0)";
        double ratio = best == 0 ? double.PositiveInfinity : Math.Abs(value / best);
        return double.IsPositiveInfinity(ratio) ? " (inf)"
            : ratio >= 100 ? " (" + ratio.ToString("N0", CultureInfo.InvariantCulture) + ")"
            : " (" + ratio.ToString("F2", CultureInfo.InvariantCulture) + ")";
    }

    /// <summary>The best of lower-is-better values for multipliers: the smallest non-zero one (0 when all are 0).</summary>
    public static double SmallestNonZero(IEnumerable<double> values) =>
        values.Where(v => v != 0).DefaultIfEmpty(0).Min();

    /// <summary>Python's str.center, so group titles sit where pytest-benchmark puts them.</summary>
    public static string Center(string text, int width, char fill)
    {
        int margin = width - text.Length;
        if (margin <= 0)
            return text;
        int left = margin / 2 + (margin & width & 1);
        return new string(fill, left) + text + new string(fill, margin - left);
    }
}
