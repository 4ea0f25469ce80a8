using System.Globalization;

namespace Benchmem.Core.Reporting;

/// <summary>Text pieces the run's table and the comparison table share, so both read the same.</summary>
internal static class TextLayout
{
    /// <summary>pytest-benchmark's compute_baseline_scale: "(1.0)" for the best, "(inf)" against a zero best,
    /// "(&gt;1000.0)" past a thousandfold.</summary>
    public static string Multiplier(double best, double value)
    {
        if (value == best)
            return " (1.0)";
        double ratio = best == 0 ? double.PositiveInfinity : Math.Abs(value / best);
        return double.IsPositiveInfinity(ratio) ? " (inf)"
            : ratio > 1000 ? " (>1000.0)"
            : " (" + ratio.ToString("F2", CultureInfo.InvariantCulture) + ")";
    }

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
