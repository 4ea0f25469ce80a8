using System.Globalization;

namespace Benchmem.Core.Units;

/// <summary>Counts such as allocations: <c>"10,000"</c>; a mean over calls keeps up to two decimals (<c>"2.5"</c>).</summary>
public static class CountFormat
{
    /// <summary>Invariant culture, so a CI log reads the same on every machine. Not a number prints <c>"n/a"</c>.</summary>
    public static string Format(double count)
    {
        if (!double.IsFinite(count))
            return "n/a";
        if (Math.Abs(count) < 0.005)
            return "0"; // and not "-0"
        return count.ToString("#,0.##", CultureInfo.InvariantCulture);
    }
}
