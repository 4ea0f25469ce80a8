using Benchmem.Core.Compare;

namespace Benchmem.Core.Tests.Compare;

public class ThresholdRuleTests
{
    [TestCase("peak:10%", "peak", 10)]
    [TestCase("allocated:2.5%", "allocated", 2.5)]
    [TestCase("allocations:5%", "allocations", 5)]
    [TestCase("retained:0%", "retained", 0)]
    [TestCase("rss:100%", "rss", 100)]
    [TestCase("gen0:50%", "gen0", 50)]
    [TestCase("gen1:50%", "gen1", 50)]
    [TestCase("gen2:0%", "gen2", 0)]
    [TestCase("time:5%", "time", 5)]
    [TestCase("  PEAK : 10 % ", "peak", 10)]
    public void PercentRules(string text, string fieldName, double limit)
    {
        var field = Metric.ParseField(fieldName);
        var rule = ThresholdRule.Parse(text);
        Assert.That(rule, Is.EqualTo(new ThresholdRule { Field = field, Kind = ThresholdKind.Percent, Limit = limit }));
    }

    [TestCase("peak:512B", 512L)]
    [TestCase("peak:10KiB", 10L * 1024)]
    [TestCase("allocated:1MiB", 1L << 20)]
    [TestCase("retained:2GiB", 2L << 30)]
    [TestCase("rss:1TiB", 1L << 40)]
    [TestCase("peak:10KB", 10_000L)]
    [TestCase("peak:10kB", 10_000L)]
    [TestCase("peak:5MB", 5_000_000L)]
    [TestCase("peak:1GB", 1_000_000_000L)]
    [TestCase("peak:1.5MiB", 1_572_864L)]
    [TestCase("peak:10 MiB", 10L << 20)]
    [TestCase("peak:10mib", 10L << 20)] // binary units mean one thing in any case, as ByteSize reads them
    public void ByteRules(string text, long bytes)
    {
        var rule = ThresholdRule.Parse(text);
        Assert.That((rule.Kind, rule.Limit), Is.EqualTo((ThresholdKind.Absolute, (double)bytes)));
    }

    [TestCase("time:100ns", 100.0)]
    [TestCase("time:50us", 50_000.0)]
    [TestCase("time:50\u00B5s", 50_000.0)] // micro sign
    [TestCase("time:50\u03BCs", 50_000.0)] // Greek mu
    [TestCase("time:1.5ms", 1_500_000.0)]
    [TestCase("time:2s", 2e9)]
    public void TimeRules(string text, double ns)
    {
        var rule = ThresholdRule.Parse(text);
        Assert.That((rule.Field, rule.Stat, rule.Kind, rule.Limit), Is.EqualTo((MetricField.Time, Stat.Median, ThresholdKind.Absolute, ns)));
    }

    [TestCase("allocations:100", "allocations", 100.0)]
    [TestCase("gen0:2", "gen0", 2.0)]
    [TestCase("gen1:1", "gen1", 1.0)]
    [TestCase("gen2:0", "gen2", 0.0)]
    [TestCase("allocations:0", "allocations", 0.0)]
    public void CountRulesTakeAPlainNumber(string text, string fieldName, double count)
    {
        var field = Metric.ParseField(fieldName);
        var rule = ThresholdRule.Parse(text);
        Assert.That((rule.Field, rule.Kind, rule.Limit), Is.EqualTo((field, ThresholdKind.Absolute, count)));
    }

    [TestCase("time:5%", Stat.Median, "time")]
    [TestCase("time.median:5%", Stat.Median, "time.median")]
    [TestCase("time.min:5%", Stat.Min, "time.min")]
    [TestCase("time.max:5%", Stat.Max, "time.max")]
    [TestCase("time.mean:5%", Stat.Mean, "time.mean")]
    [TestCase("Time.MIN:5%", Stat.Min, "time.min")]
    public void TimeTakesAStat(string text, Stat stat, string label)
    {
        var rule = ThresholdRule.Parse(text);
        Assert.That((rule.Stat, rule.Label), Is.EqualTo((stat, label)));
    }

    [TestCase("time:5%:significant", true)]
    [TestCase("time.min:50us:significant", true)]
    [TestCase("time:5% : Significant", true)]
    [TestCase("time:5%", false)]
    [TestCase("time:5%:noise", false)]
    public void SignificantSuffix(string text, bool significantOnly) =>
        Assert.That(ThresholdRule.Parse(text).SignificantOnly, Is.EqualTo(significantOnly));

    [TestCase("time:5%", TimeJudgement.Size)]
    [TestCase("time:5%:significant", TimeJudgement.Significant)]
    [TestCase("time:10%:noise", TimeJudgement.Noise)]
    [TestCase("time.min:50us: NOISE ", TimeJudgement.Noise)]
    public void TimeJudgementSuffix(string text, TimeJudgement judgement) =>
        Assert.That(ThresholdRule.Parse(text).Judgement, Is.EqualTo(judgement));

    private const string Example = "write FIELD:N% or FIELD:N<unit>, e.g. peak:10%, allocated:1MiB or time:5%";

    [TestCase("", "'' is empty: " + Example)]
    [TestCase("   ", "'   ' is empty: " + Example)]
    [TestCase("peak10%", "'peak10%' has no ':': " + Example)]
    [TestCase("time:5%:significant:x", "'time:5%:significant:x' has too many ':': " + Example + ", with :significant or :noise after a time rule")]
    [TestCase(":10%", "':10%' has no field: " + Example)]
    [TestCase("bogus:5%", "'bogus:5%': unknown field 'bogus' (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time)")]
    [TestCase("peak.min:10%", "'peak.min:10%': peak takes no statistic, it compares the headline memory pass: write peak:10%")]
    [TestCase("time.p95:5%", "'time.p95:5%': unknown statistic 'p95' for time: use time.min, time.max, time.mean or time.median")]
    [TestCase("time.stddev:5%", "'time.stddev:5%': unknown statistic 'stddev' for time: use time.min, time.max, time.mean or time.median")]
    [TestCase("time:5%:sig", "'time:5%:sig': unknown option 'sig': the options are :significant and :noise, e.g. time:5%:significant")]
    [TestCase("peek:5%", "'peek:5%': unknown field 'peek', did you mean peak? (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time)")]
    [TestCase("Time.min:5%:Noisy", "'Time.min:5%:Noisy': unknown option 'Noisy': the options are :significant and :noise, e.g. time:5%:significant")]
    [TestCase("peak:10%:noise", "'peak:10%:noise': only time rules take :noise; memory is measured exactly, not sampled: write peak:10%")]
    [TestCase("peak:10%:significant", "'peak:10%:significant': only time rules take :significant; memory is measured exactly, not sampled: write peak:10%")]
    [TestCase("peak:", "'peak:' has no limit: write peak:10% or peak:10MiB")]
    [TestCase("time.min:", "'time.min:' has no limit: write time.min:5% or time.min:5ms")]
    [TestCase("allocations:", "'allocations:' has no limit: write allocations:5% or allocations:100")]
    [TestCase("peak:abc", "'peak:abc': 'abc' is not a number with a unit: write peak:10% or peak:10MiB")]
    [TestCase("peak:-5%", "'peak:-5%': the limit is negative; only growth fails, so write how much growth is allowed, e.g. peak:10% or peak:10MiB")]
    [TestCase("time:-1ms", "'time:-1ms': the limit is negative; only growth fails, so write how much growth is allowed, e.g. time:5% or time:5ms")]
    [TestCase("peak:10", "'peak:10' has no unit: write peak:10% or peak:10MiB")]
    [TestCase("rss:1.5", "'rss:1.5' has no unit: write rss:1.5% or rss:1.5MiB")]
    [TestCase("peak:10ms", "'peak:10ms': peak is a size: write peak:10% or a size such as peak:10MiB")]
    [TestCase("peak:10mb", "'peak:10mb': '10mb' has an ambiguous unit 'mb': write MB (powers of 10) or MiB (powers of 2)")]
    [TestCase("peak:10b", "'peak:10b': '10b' has an ambiguous unit 'b': write B for bytes")]
    [TestCase("peak:10XB", "'peak:10XB': '10XB' has an unknown unit 'XB': use B, KB, MB, GB, TB (powers of 10) or KiB, MiB, GiB, TiB (powers of 2)")]
    [TestCase("peak:1.5B", "'peak:1.5B': '1.5B' has a fraction of a byte: write a whole number of bytes, or use a larger unit such as KiB")]
    [TestCase("time:5", "'time:5' has no unit: write time:5% or time:5ms")]
    [TestCase("time.min:5", "'time.min:5' has no unit: write time.min:5% or time.min:5ms")]
    [TestCase("time:5MiB", "'time:5MiB': time takes ns, us, ms or s: write time:5ms or time:5%")]
    [TestCase("time:5MS", "'time:5MS': time takes ns, us, ms or s: write time:5ms or time:5%")]
    [TestCase("allocations:5KiB", "'allocations:5KiB': allocations is a count and takes no unit: write allocations:5% or allocations:5")]
    [TestCase("gen0:2x", "'gen0:2x': gen0 is a count and takes no unit: write gen0:2% or gen0:2")]
    public void ErrorsQuoteTheRuleAndSayTheFix(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => ThresholdRule.Parse(text));
        Assert.That(e!.Message, Is.EqualTo(message));
        Assert.That(ThresholdRule.TryParse(text, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(message));
        Assert.That(ThresholdRule.TryParse(text, out _), Is.False);
    }

    [Test]
    public void ANullRuleIsEmpty() =>
        Assert.That(Assert.Throws<FormatException>(() => ThresholdRule.Parse(null!))!.Message, Is.EqualTo("'' is empty: " + Example));

    [Test]
    public void ParseManySplitsCommaLists()
    {
        var rules = ThresholdRule.ParseMany("peak:10%,allocations:5%", " time:5%:significant ", "retained:1MiB,");
        Assert.That(rules.Select(r => r.ToString()), Is.EqualTo(new[] { "peak:10%", "allocations:5%", "time:5%:significant", "retained:1MiB" }));
        Assert.That(ThresholdRule.ParseMany(), Is.Empty);
        Assert.That(ThresholdRule.ParseMany("", " , "), Is.Empty);
    }

    [Test]
    public void ParseManyReportsTheBadRuleOfAList()
    {
        var e = Assert.Throws<FormatException>(() => ThresholdRule.ParseMany("peak:10%,peak:10"));
        Assert.That(e!.Message, Is.EqualTo("'peak:10' has no unit: write peak:10% or peak:10MiB"));
    }

    [TestCase("Peak:10%", "peak:10%")]
    [TestCase("peak:10240B", "peak:10KiB")]
    [TestCase("peak:1000KB", "peak:1MB")]
    [TestCase("peak:1536KiB", "peak:1536KiB")]
    [TestCase("peak:1.5MiB", "peak:1536KiB")]
    [TestCase("peak:1000B", "peak:1KB")]
    [TestCase("peak:1023B", "peak:1023B")]
    [TestCase("time:1500us", "time:1.5ms")]
    [TestCase("time.min:50000ns:significant", "time.min:50us:significant")]
    [TestCase("time:10%:Noise", "time:10%:noise")]
    // Named, the median is kept: on calibrated runs a plain time rule compares the fastest round instead.
    [TestCase("time.median:2.5%", "time.median:2.5%")]
    [TestCase("time:999ns", "time:999ns")]
    [TestCase("time:60s", "time:60s")]
    [TestCase("allocations:100", "allocations:100")]
    [TestCase("gen0:0.5", "gen0:0.5")]
    public void ToStringIsCanonicalAndParsesBack(string text, string canonical)
    {
        var rule = ThresholdRule.Parse(text);
        Assert.That(rule.ToString(), Is.EqualTo(canonical));
        Assert.That(ThresholdRule.Parse(canonical), Is.EqualTo(rule));
    }

    [TestCase("peak:10%", 100, 110, false)]      // exactly at the limit passes
    [TestCase("peak:10%", 100, 110.0001, true)]
    [TestCase("peak:10%", 100, 50, false)]       // only growth fails
    [TestCase("peak:0%", 100, 100, false)]
    [TestCase("peak:0%", 100, 101, true)]
    [TestCase("peak:10%", 0, 1, true)]           // growth from zero is unbounded
    [TestCase("peak:10%", 0, 0, false)]
    [TestCase("peak:1KiB", 1000, 2024, false)]
    [TestCase("peak:1KiB", 1000, 2025, true)]
    [TestCase("peak:1KB", 1000, 2000, false)]
    [TestCase("peak:1KB", 1000, 2001, true)]
    [TestCase("time:50us", 1e6, 1.05e6, false)]
    [TestCase("time:50us", 1e6, 1.0501e6, true)]
    [TestCase("time:10%", -100, -80, true)]      // a negative time (after overhead subtraction) that grows by 20% of its size
    [TestCase("allocations:2", 10, 12, false)]
    [TestCase("allocations:2", 10, 13, true)]
    public void IsExceeded(string text, double baseline, double candidate, bool exceeded) =>
        Assert.That(ThresholdRule.Parse(text).IsExceeded(baseline, candidate), Is.EqualTo(exceeded));

    [Test]
    public void PercentLimitsAreNotTrippedByRounding()
    {
        // (1.1 - 1) / 1 * 100 is 10.000000000000009 in doubles: still "exactly 10%".
        Assert.That(ThresholdRule.Parse("time:10%").IsExceeded(1, 1.1), Is.False);
        Assert.That(ThresholdRule.Parse("time:10%").IsExceeded(0.3, 0.33), Is.False);
    }
}
