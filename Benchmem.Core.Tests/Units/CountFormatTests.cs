using Benchmem.Core.Units;

namespace Benchmem.Core.Tests.Units;

public class CountFormatTests
{
    [TestCase(0, "0")]
    [TestCase(-0.001, "0")]
    [TestCase(7, "7")]
    [TestCase(999, "999")]
    [TestCase(10_000, "10,000")]
    [TestCase(1_234_567, "1,234,567")]
    [TestCase(2.5, "2.5")]                            // a mean over calls
    [TestCase(1_234.567, "1,234.57")]
    [TestCase(-1_500, "-1,500")]
    [TestCase(double.NaN, "n/a")]
    [TestCase(double.PositiveInfinity, "n/a")]
    public void Formats(double count, string expected) =>
        Assert.That(CountFormat.Format(count), Is.EqualTo(expected));
}
