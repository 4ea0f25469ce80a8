using Benchmem.Core.Units;

namespace Benchmem.Core.Tests.Units;

public class ByteSizeTests
{
    [TestCase("0", 0L)]
    [TestCase("2048", 2048L)]
    [TestCase("512B", 512L)]
    [TestCase("10KB", 10_000L)]
    [TestCase("10kB", 10_000L)]
    [TestCase("5MB", 5_000_000L)]
    [TestCase("2GB", 2_000_000_000L)]
    [TestCase("3TB", 3_000_000_000_000L)]
    [TestCase("1KiB", 1024L)]
    [TestCase("100MiB", 104_857_600L)]
    [TestCase("1.5 GiB", 1_610_612_736L)]
    [TestCase("2TiB", 2_199_023_255_552L)]
    [TestCase("  64 KiB  ", 65_536L)]
    [TestCase("1kib", 1024L)]
    [TestCase("1MIB", 1_048_576L)]
    [TestCase("0.1KiB", 102L)]                       // 102.4 rounds to the nearest byte
    [TestCase("0.5KB", 500L)]
    [TestCase("8388607.999999999TiB", 9_223_372_036_854_774_708L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    public void Parses(string text, long expected)
    {
        Assert.That(ByteSize.TryParse(text, out long bytes, out string error), Is.True, error);
        Assert.That(bytes, Is.EqualTo(expected));
        Assert.That(error, Is.Empty);
        Assert.That(ByteSize.Parse(text), Is.EqualTo(expected));
    }

    private const string NotASize = "is not a size: use a number and a unit, e.g. 100MiB, 512KB or 2048 (bytes)";
    private const string Units = "use B, KB, MB, GB, TB (powers of 10) or KiB, MiB, GiB, TiB (powers of 2)";
    private const string TooLarge = "is too large: the largest size is 9223372036854775807 bytes (8 EiB)";

    [TestCase("", "'' " + NotASize)]
    [TestCase("   ", "'   ' " + NotASize)]
    [TestCase("100MB2", "'100MB2' " + NotASize)]
    [TestCase("MiB", "'MiB' " + NotASize)]
    [TestCase("1,5MiB", "'1,5MiB' " + NotASize)]
    [TestCase("1e6", "'1e6' " + NotASize)]
    [TestCase(".5GiB", "'.5GiB' " + NotASize)]
    [TestCase("+5MiB", "'+5MiB' " + NotASize)]
    [TestCase("NaN", "'NaN' " + NotASize)]
    [TestCase("Infinity", "'Infinity' " + NotASize)]
    [TestCase("10 M iB", "'10 M iB' " + NotASize)]
    [TestCase("-5MiB", "'-5MiB' is negative: a size must be 0 or more")]
    [TestCase("-0", "'-0' is negative: a size must be 0 or more")]
    [TestCase("10XB", "'10XB' has an unknown unit 'XB': " + Units)]
    [TestCase("10K", "'10K' has an unknown unit 'K': " + Units)]
    [TestCase("1PiB", "'1PiB' has an unknown unit 'PiB': " + Units)]
    [TestCase("100mb", "'100mb' has an ambiguous unit 'mb': write MB (powers of 10) or MiB (powers of 2)")]
    [TestCase("100Mb", "'100Mb' has an ambiguous unit 'Mb': write MB (powers of 10) or MiB (powers of 2)")]
    [TestCase("10kb", "'10kb' has an ambiguous unit 'kb': write KB (powers of 10) or KiB (powers of 2)")]
    [TestCase("1gb", "'1gb' has an ambiguous unit 'gb': write GB (powers of 10) or GiB (powers of 2)")]
    [TestCase("512b", "'512b' has an ambiguous unit 'b': write B for bytes")]
    [TestCase("1.5B", "'1.5B' has a fraction of a byte: write a whole number of bytes, or use a larger unit such as KiB")]
    [TestCase("1.5", "'1.5' has a fraction of a byte: write a whole number of bytes, or use a larger unit such as KiB")]
    [TestCase("9223372036854775808", "'9223372036854775808' " + TooLarge)]
    [TestCase("8388608TiB", "'8388608TiB' " + TooLarge)]
    [TestCase("99999999999999999999999999999TiB", "'99999999999999999999999999999TiB' " + TooLarge)]
    [TestCase("1000000000000000000000000000000000", "'1000000000000000000000000000000000' " + TooLarge)]
    public void Rejects(string text, string expected)
    {
        Assert.That(ByteSize.TryParse(text, out long bytes, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
        Assert.That(bytes, Is.Zero);
        Assert.That(() => ByteSize.Parse(text), Throws.TypeOf<FormatException>().With.Message.EqualTo(expected));
    }

    [Test]
    public void RejectsNull() =>
        Assert.That(ByteSize.TryParse(null!, out _, out string error) ? "" : error, Is.EqualTo("'' " + NotASize));

    [TestCase(0, "0 B")]
    [TestCase(0.4, "0 B")]
    [TestCase(-0.4, "0 B")]
    [TestCase(1, "1 B")]
    [TestCase(812, "812 B")]
    [TestCase(812.6, "813 B")]
    [TestCase(1023, "1023 B")]
    [TestCase(1023.5, "1.00 KiB")]
    [TestCase(1024, "1.00 KiB")]
    [TestCase(1536, "1.50 KiB")]
    [TestCase(10_240, "10.0 KiB")]
    [TestCase(10_233, "9.99 KiB")]
    [TestCase(10_235, "10.0 KiB")]
    [TestCase(102_350, "100 KiB")]
    [TestCase(4_299_161.6, "4.10 MiB")]
    [TestCase(122_683_392, "117 MiB")]
    [TestCase(1_073_217_536, "1.00 GiB")]             // 1023.5 MiB: "1.00 GiB", not "1024 MiB"
    [TestCase(1_649_267_441_664, "1.50 TiB")]
    [TestCase(2_251_799_813_685_248, "2048 TiB")]     // no larger unit: the digits grow
    [TestCase(-4_299_161.6, "-4.10 MiB")]
    [TestCase(double.NaN, "n/a")]
    [TestCase(double.PositiveInfinity, "n/a")]
    public void Formats(double bytes, string expected) =>
        Assert.That(ByteSize.Format(bytes), Is.EqualTo(expected));
}
