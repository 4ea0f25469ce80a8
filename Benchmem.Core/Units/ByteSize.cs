using System.Globalization;
using System.Text.RegularExpressions;

namespace Benchmem.Core.Units;

/// <summary>
/// Byte sizes as people write them in attributes and thresholds (<c>"100MiB"</c>, <c>"1.5 GiB"</c>, <c>"512B"</c>,
/// <c>"10KB"</c>, <c>"2048"</c>) and as the tables print them (<c>"117 MiB"</c>).
/// </summary>
/// <remarks>
/// Units: <c>B</c>; <c>KB MB GB TB</c> are powers of 10 (<c>kB</c>, the SI spelling, too); <c>KiB MiB GiB TiB</c> are
/// powers of 2. A bare number is bytes. Binary units are case-insensitive (<c>kib</c>, <c>MIB</c>): they can mean only
/// one thing. Any other casing of the decimal units (<c>mb</c>, <c>Kb</c>, <c>b</c>) is rejected: in the wild it means
/// bits, or MiB (JVM, Docker), and guessing wrong would silently move a ceiling by 5–8×. A fraction is rounded to
/// the nearest byte, except on bytes themselves (<c>1.5B</c> is a mistake, not a size).
/// </remarks>
public static partial class ByteSize
{
    private const string Hint = "use a number and a unit, e.g. 100MiB, 512KB or 2048 (bytes)";

    private static readonly Dictionary<string, long> DecimalUnits = new(StringComparer.Ordinal)
    {
        [""] = 1, ["B"] = 1, ["KB"] = 1_000, ["kB"] = 1_000, ["MB"] = 1_000_000, ["GB"] = 1_000_000_000,
        ["TB"] = 1_000_000_000_000,
    };

    private static readonly Dictionary<string, long> BinaryUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["KiB"] = 1L << 10, ["MiB"] = 1L << 20, ["GiB"] = 1L << 30, ["TiB"] = 1L << 40,
    };

    private static readonly string[] FormatUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    // Digits with an optional fraction; no exponent, sign other than '-', or group separators, so "1,5MiB",
    // "1e6" and "NaN" are rejected rather than read in some culture's way.
    [GeneratedRegex(@"^\s*(?<neg>-)?(?<num>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>[A-Za-z]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out long bytes, out string error)
    {
        bytes = 0;
        text ??= "";
        var match = Pattern().Match(text);
        if (!match.Success)
            return Fail(out error, $"'{text}' is not a size: {Hint}");
        if (match.Groups["neg"].Success)
            return Fail(out error, $"'{text}' is negative: a size must be 0 or more");

        string unit = match.Groups["unit"].Value;
        if (!DecimalUnits.TryGetValue(unit, out long multiplier) && !BinaryUnits.TryGetValue(unit, out multiplier))
        {
            return DecimalUnits.ContainsKey(unit.ToUpperInvariant())
                ? Fail(out error, unit.Equals("b", StringComparison.OrdinalIgnoreCase)
                    ? $"'{text}' has an ambiguous unit '{unit}': write B for bytes"
                    : $"'{text}' has an ambiguous unit '{unit}': write {unit.ToUpperInvariant()} (powers of 10) or {char.ToUpperInvariant(unit[0])}iB (powers of 2)")
                : Fail(out error, $"'{text}' has an unknown unit '{unit}': use B, KB, MB, GB, TB (powers of 10) or KiB, MiB, GiB, TiB (powers of 2)");
        }

        string number = match.Groups["num"].Value;
        string tooLarge = $"'{text}' is too large: the largest size is {long.MaxValue} bytes (8 EiB)";
        // decimal keeps "1.5" and "0.1" exact, so 1.5GiB is exactly 1610612736; it fails only past ~7.9e28.
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
            return Fail(out error, tooLarge);
        if (multiplier == 1 && value != decimal.Truncate(value))
            return Fail(out error, $"'{text}' has a fraction of a byte: write a whole number of bytes, or use a larger unit such as KiB");
        if (value > decimal.MaxValue / multiplier)
            return Fail(out error, tooLarge);
        decimal exact = decimal.Round(value * multiplier, MidpointRounding.AwayFromZero);
        if (exact > long.MaxValue)
            return Fail(out error, tooLarge);

        bytes = (long)exact;
        error = "";
        return true;
    }

    /// <exception cref="FormatException">With the same message <see cref="TryParse"/> gives.</exception>
    public static long Parse(string text) =>
        TryParse(text, out long bytes, out string error) ? bytes : throw new FormatException(error);

    /// <summary>
    /// Three significant digits in the largest binary unit that keeps the number under 1024:
    /// <c>"812 B"</c>, <c>"4.10 MiB"</c>, <c>"117 MiB"</c>. Bytes print whole. Not a number prints <c>"n/a"</c>.
    /// </summary>
    public static string Format(double bytes)
    {
        if (!double.IsFinite(bytes))
            return "n/a";
        double value = Math.Abs(bytes);
        if (value < 0.5)
            return "0 B"; // and not "-0 B"
        int unit = 0;
        // 1023.5 and up would print as "1024": step up instead, so 1023.7 KiB reads "1.00 MiB".
        while (value >= 1023.5 && unit < FormatUnits.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        string format = unit == 0 || value >= 99.95 ? "F0" : value >= 9.995 ? "F1" : "F2";
        return (bytes < 0 ? "-" : "") + value.ToString(format, CultureInfo.InvariantCulture) + " " + FormatUnits[unit];
    }

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }
}
