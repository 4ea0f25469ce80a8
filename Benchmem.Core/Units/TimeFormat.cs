using System.Globalization;
using System.Text.RegularExpressions;

namespace Benchmem.Core.Units;

/// <summary>
/// Times in nanoseconds: the unit for a table column, one value for a message, and the parser for thresholds
/// (<c>"5ms"</c>, <c>"10us"</c>, <c>"10µs"</c>, <c>"2s"</c>, <c>"100ns"</c>).
/// </summary>
/// <remarks>
/// Output writes microseconds as <c>us</c>, like pytest-benchmark: plain ASCII survives every CI log. Input also
/// takes <c>µs</c> (micro sign U+00B5 or Greek mu U+03BC: they look the same, so both must work). Units are
/// lowercase only: <c>Ms</c> or <c>S</c> are more likely typos than intent. A bare number is rejected because a
/// unit-less time is ambiguous.
/// </remarks>
public static partial class TimeFormat
{
    private static readonly (double PerUnit, string Unit)[] Units = [(1, "ns"), (1e3, "us"), (1e6, "ms"), (1e9, "s")];

    private static readonly Dictionary<string, double> ParseUnits = new(StringComparer.Ordinal)
    {
        ["ns"] = 1, ["us"] = 1e3, ["\u00B5s"] = 1e3, ["\u03BCs"] = 1e3, ["ms"] = 1e6, ["s"] = 1e9,
    };

    [GeneratedRegex(@"^\s*(?<neg>-)?(?<num>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>[A-Za-z\u00B5\u03BC]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>
    /// pytest-benchmark's rule: the column's smallest value picks the unit, so it never reads 0.0000, and the
    /// others are shown in the same unit to compare at a glance. Multiply nanoseconds by <c>Scale</c>.
    /// </summary>
    public static (double Scale, string Unit) ChooseUnit(double minNanoseconds)
    {
        int i = 0;
        while (i < Units.Length - 1 && Math.Abs(minNanoseconds) >= Units[i + 1].PerUnit)
            i++;
        return (1 / Units[i].PerUnit, Units[i].Unit);
    }

    /// <summary>Four significant digits in the value's own unit: <c>"512.3 ns"</c>, <c>"1.204 ms"</c>, <c>"12.50 s"</c>.</summary>
    public static string Format(double ns)
    {
        if (!double.IsFinite(ns))
            return "n/a";
        if (ns == 0)
            return "0 ns";
        int i = 0;
        // 999.95 and up would print as "1000.0": step up instead, so it reads "1.000 us".
        while (i < Units.Length - 1 && Math.Abs(ns) >= 999.95 * Units[i].PerUnit)
            i++;
        double value = ns / Units[i].PerUnit, size = Math.Abs(value);
        string format = size >= 99.995 ? "F1" : size >= 9.9995 ? "F2" : "F3";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + Units[i].Unit;
    }

    public static bool TryParse(string text, out double ns, out string error)
    {
        ns = 0;
        text ??= "";
        var match = Pattern().Match(text);
        if (!match.Success)
            return Fail(out error, $"'{text}' is not a time: use a number and a unit, e.g. 5ms, 10us, 2s or 100ns");
        if (match.Groups["neg"].Success)
            return Fail(out error, $"'{text}' is negative: a time must be 0 or more");

        string number = match.Groups["num"].Value, unit = match.Groups["unit"].Value;
        if (unit.Length == 0)
            return Fail(out error, $"'{text}' has no unit: write {number}ns, {number}us, {number}ms or {number}s");
        if (!ParseUnits.TryGetValue(unit, out double perUnit))
            return Fail(out error, $"'{text}' has an unknown unit '{unit}': use ns, us (or µs), ms or s");

        // .NET reads an out-of-range number as infinity rather than failing.
        double value = double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * perUnit;
        if (!double.IsFinite(value))
            return Fail(out error, $"'{text}' is too large to be a time: use fewer digits, e.g. 3600s");

        ns = value;
        error = "";
        return true;
    }

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }
}
