using Benchmem.Core.Compare;
using Benchmem.Core.Timing;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Compare;

public class MetricTests
{
    [Test]
    public void MemoryFieldsComeFromTheHeadlinePass()
    {
        var record = Record("T", "M", passes:
        [
            Pass(peak: 3000, allocated: 3100, allocations: 30, retained: 300, gen0: 3, rss: 30_000),
            Pass(peak: 1000, allocated: 1100, allocations: 10, retained: 100, gen0: 1, rss: 10_000), // the minimum peak
            Pass(peak: 2000, allocated: 900, allocations: 5, retained: 50, gen0: 0, rss: 5_000),
        ], allocatedPerOp: 777);
        Assert.Multiple(() =>
        {
            Assert.That(Metric.Value(record, MetricField.Peak), Is.EqualTo(1000));
            Assert.That(Metric.Value(record, MetricField.Allocated), Is.EqualTo(1100));
            Assert.That(Metric.Value(record, MetricField.Allocations), Is.EqualTo(10));
            Assert.That(Metric.Value(record, MetricField.Retained), Is.EqualTo(100));
            Assert.That(Metric.Value(record, MetricField.Gen0), Is.EqualTo(1));
            Assert.That(Metric.Value(record, MetricField.Rss), Is.EqualTo(10_000));
        });
    }

    [Test]
    public void AllocatedFallsBackToTheAllocationPassWithoutMemoryPasses()
    {
        var record = Record("T", "M", time: [1, 2, 3], allocatedPerOp: 4096);
        Assert.Multiple(() =>
        {
            Assert.That(Metric.Value(record, MetricField.Allocated), Is.EqualTo(4096));
            Assert.That(Metric.Value(record, MetricField.Peak), Is.Null);
            Assert.That(Metric.Value(record, MetricField.Gen0), Is.Null, "the allocation pass's gen0 counts a whole round, not one pass");
        });
    }

    [Test]
    public void UnmeasuredMetricsAreNullNotZero()
    {
        var record = Record("T", "M", passes: [Pass(peak: 100)]); // in-process memory: no allocation count, no rss
        Assert.Multiple(() =>
        {
            Assert.That(Metric.Value(record, MetricField.Allocations), Is.Null);
            Assert.That(Metric.Value(record, MetricField.Rss), Is.Null);
            Assert.That(Metric.Value(record, MetricField.Time), Is.Null);
            Assert.That(Metric.Value(Record("T", "M"), MetricField.Allocated), Is.Null);
            Assert.That(Metric.Value(Record("T", "M", time: []), MetricField.Time), Is.Null);
        });
    }

    [TestCase(Stat.Median)]
    [TestCase(Stat.Min)]
    [TestCase(Stat.Max)]
    [TestCase(Stat.Mean)]
    [TestCase(Stat.StdDev)]
    public void TimeIsTheStatisticsOfTheRounds(Stat stat)
    {
        double[] rounds = [5, 1, 4, 2, 3, 10];
        var s = new Statistics(rounds);
        double expected = stat switch
        {
            Stat.Median => s.Median, Stat.Min => s.Min, Stat.Max => s.Max, Stat.Mean => s.Mean, _ => s.StandardDeviation,
        };
        Assert.That(Metric.Value(Record("T", "M", time: rounds), MetricField.Time, stat), Is.EqualTo(expected));
    }

    [Test]
    public void TimeIsBitIdenticalToStatisticsOnManySamples()
    {
        // Metric sums the moments itself (Statistics' confidence interval and higher moments are slow and unused):
        // it must still give exactly the run's own numbers, or a limit could pass in one tool and fail in another.
        int mismatches = 0;
        for (int seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            int n = 1 + random.Next(200);
            double scale = Math.Exp(random.NextDouble() * 20);
            var rounds = Enumerable.Range(0, n).Select(_ => scale * (1 + random.NextDouble()) * (random.Next(20) == 0 ? 3 : 1)).ToArray();
            var s = new Statistics(rounds);
            var record = Record("T", "M", time: rounds);
            if (Metric.Value(record, MetricField.Time, Stat.Min) != s.Min || Metric.Value(record, MetricField.Time, Stat.Max) != s.Max
                || Metric.Value(record, MetricField.Time, Stat.Mean) != s.Mean || Metric.Value(record, MetricField.Time, Stat.Median) != s.Median
                || Metric.Value(record, MetricField.Time, Stat.StdDev) != s.StandardDeviation)
                mismatches++;
        }
        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void TimeDefaultsToTheMedian() =>
        Assert.That(Metric.Value(Record("T", "M", time: [1, 2, 30]), MetricField.Time), Is.EqualTo(2));

    [TestCase(100.0, 122.0, "+22.0%")]
    [TestCase(100.0, 96.9, "-3.1%")]
    [TestCase(100.0, 100.0, "0.0%")]
    [TestCase(100.0, 100.04, "0.0%")]
    [TestCase(100.0, 99.96, "0.0%")]
    [TestCase(0.0, 5.0, "+∞%")]
    [TestCase(0.0, 0.0, "0.0%")]
    [TestCase(-100.0, -50.0, "+50.0%")]
    public void Changes(double baseline, double candidate, string text) =>
        Assert.That(Metric.FormatChange(Metric.ChangePercent(baseline, candidate)), Is.EqualTo(text));

    [TestCase(MetricField.Peak, 4_299_161.6, "4.10 MiB")]
    [TestCase(MetricField.Time, 1_204_000.0, "1.204 ms")]
    [TestCase(MetricField.Allocations, 10_000.0, "10,000")]
    [TestCase(MetricField.Gen0, 3.0, "3")]
    public void ValuesFormatInTheirUnit(MetricField field, double value, string text) =>
        Assert.That(Metric.Format(field, value), Is.EqualTo(text));

    [Test]
    public void FieldNames()
    {
        Assert.That(Metric.Fields.Select(Metric.Name), Is.EqualTo(new[] { "peak", "allocated", "allocations", "retained", "rss", "gen0", "time" }));
        Assert.That(Metric.ParseField("Allocations"), Is.EqualTo(MetricField.Allocations));
        Assert.That(Assert.Throws<FormatException>(() => Metric.ParseField("heap"))!.Message,
            Is.EqualTo("unknown field 'heap', did you mean peak? (fields: peak, allocated, allocations, retained, rss, gen0, time)"));
    }
}
