using Benchmem.Core.Units;

namespace Benchmem.Core.Tests.Units;

public class TimeFormatTests
{
    // pytest-benchmark's time_unit: the smallest value of the column picks the unit.
    [TestCase(0, 1.0, "ns")]
    [TestCase(512.3, 1.0, "ns")]
    [TestCase(999.99, 1.0, "ns")]
    [TestCase(1_000, 1e-3, "us")]
    [TestCase(999_999, 1e-3, "us")]
    [TestCase(1_000_000, 1e-6, "ms")]
    [TestCase(1e9, 1e-9, "s")]
    [TestCase(3.6e12, 1e-9, "s")]
    [TestCase(double.NaN, 1.0, "ns")]
    public void ChoosesUnit(double minNs, double scale, string unit)
    {
        var chosen = TimeFormat.ChooseUnit(minNs);
        Assert.That(chosen.Unit, Is.EqualTo(unit));
        Assert.That(chosen.Scale, Is.EqualTo(scale).Within(1e-15));
    }

    [TestCase(0, "0 ns")]
    [TestCase(1.23456, "1.235 ns")]
    [TestCase(12.3456, "12.35 ns")]
    [TestCase(512.34, "512.3 ns")]
    [TestCase(999.94, "999.9 ns")]
    [TestCase(999.96, "1.000 us")]                    // not "1000.0 ns"
    [TestCase(12_345, "12.35 us")]
    [TestCase(1_204_000, "1.204 ms")]
    [TestCase(123_456_789, "123.5 ms")]
    [TestCase(2e9, "2.000 s")]
    [TestCase(3.6e12, "3600.0 s")]
    [TestCase(-512.34, "-512.3 ns")]
    [TestCase(double.NaN, "n/a")]
    [TestCase(double.NegativeInfinity, "n/a")]
    public void Formats(double ns, string expected) =>
        Assert.That(TimeFormat.Format(ns), Is.EqualTo(expected));

    [TestCase("100ns", 100.0)]
    [TestCase("10us", 10_000.0)]
    [TestCase("10\u00B5s", 10_000.0)]                 // micro sign
    [TestCase("10\u03BCs", 10_000.0)]                 // Greek mu, which looks the same
    [TestCase("5ms", 5_000_000.0)]
    [TestCase("2s", 2e9)]
    [TestCase("1.5 ms", 1_500_000.0)]
    [TestCase(" 0s ", 0.0)]
    [TestCase("0.25s", 250_000_000.0)]
    public void Parses(string text, double expected)
    {
        Assert.That(TimeFormat.TryParse(text, out double ns, out string error), Is.True, error);
        Assert.That(ns, Is.EqualTo(expected));
        Assert.That(error, Is.Empty);
    }

    private const string NotATime = "is not a time: use a number and a unit, e.g. 5ms, 10us, 2s or 100ns";
    private const string Units = "use ns, us (or µs), ms or s";

    [TestCase("", "'' " + NotATime)]
    [TestCase("ms", "'ms' " + NotATime)]
    [TestCase("5ms2", "'5ms2' " + NotATime)]
    [TestCase("1,5ms", "'1,5ms' " + NotATime)]
    [TestCase("NaN", "'NaN' " + NotATime)]
    [TestCase("5", "'5' has no unit: write 5ns, 5us, 5ms or 5s")]
    [TestCase("1.5", "'1.5' has no unit: write 1.5ns, 1.5us, 1.5ms or 1.5s")]
    [TestCase("-5ms", "'-5ms' is negative: a time must be 0 or more")]
    [TestCase("5min", "'5min' has an unknown unit 'min': " + Units)]
    [TestCase("5MS", "'5MS' has an unknown unit 'MS': " + Units)]
    [TestCase("5sec", "'5sec' has an unknown unit 'sec': " + Units)]
    [TestCase("1e3ms", "'1e3ms' " + NotATime)]
    public void Rejects(string text, string expected)
    {
        Assert.That(TimeFormat.TryParse(text, out double ns, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
        Assert.That(ns, Is.Zero);
    }

    [Test]
    public void RejectsOverflow()
    {
        string text = new string('9', 310) + "s";
        Assert.That(TimeFormat.TryParse(text, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo($"'{text}' is too large to be a time: use fewer digits, e.g. 3600s"));
    }
}
