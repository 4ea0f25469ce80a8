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
    public void CollectionCountsOfEveryGenerationComeFromTheHeadlinePass()
    {
        var record = Record("T", "M", passes:
        [
            Pass(peak: 3000, gen0: 9, gen1: 5, gen2: 3),
            Pass(peak: 1000, gen0: 4, gen1: 2, gen2: 1), // the minimum peak
        ], allocatedPerOp: 777);
        Assert.Multiple(() =>
        {
            Assert.That(Metric.Value(record, MetricField.Gen0), Is.EqualTo(4));
            Assert.That(Metric.Value(record, MetricField.Gen1), Is.EqualTo(2));
            Assert.That(Metric.Value(record, MetricField.Gen2), Is.EqualTo(1));
            Assert.That(Metric.Value(Record("T", "M", time: [1, 2], allocatedPerOp: 1), MetricField.Gen1), Is.Null, "no fallback to the allocation pass");
            Assert.That(Metric.Value(Record("T", "M", time: [1, 2], allocatedPerOp: 1), MetricField.Gen2), Is.Null);
            Assert.That(MetricField.Gen1.PassValue(record.Memory!.Passes[0]), Is.EqualTo(5));
        });
    }

    [Test]
    public void TheDescriptorsSayWhatEachViewNeeds()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MetricField.All.Where(f => f.IsPerPass).Select(f => f.Name),
                Is.EqualTo(new[] { "peak", "allocated", "allocations", "retained", "rss", "gen0", "gen1", "gen2", "native-peak", "native-allocated", "native-allocations", "native-retained" }), "the run's table's columns");
            Assert.That(Benchmem.Core.Settings.BenchmemSettings.KnownColumns, Is.EqualTo(MetricField.All.Where(f => f.IsPerPass).Select(f => f.Name)));
            Assert.That(MetricField.All.Where(f => f.IsSampled), Is.EqualTo(new[] { MetricField.Time }));
            Assert.That(MetricField.Time.Stats, Is.EquivalentTo(Enum.GetValues<Stat>()));
            Assert.That(MetricField.Gen2.Stats, Is.Empty);
            Assert.That(MetricField.All.Select(f => f.Kind).Distinct().Count(), Is.EqualTo(3));
            Assert.That(MetricField.Gen1.Kind, Is.EqualTo(Benchmem.Core.Units.MetricKind.Count));
            Assert.That(MetricField.Rss.Kind, Is.EqualTo(Benchmem.Core.Units.MetricKind.Bytes));
            Assert.That(MetricField.All.Any(f => f.HigherIsBetter), Is.False);
            Assert.That(MetricField.Time.Title, Is.EqualTo("time per op"));
            Assert.That(MetricField.Gen2.Title, Is.EqualTo("gen2"));
            Assert.That(MetricField.All.Where(f => !f.Plottable).Select(f => f.Name), Is.EqualTo(new[] { "rss" }));
            Assert.That(MetricField.Gen1.Series, Is.SameAs(Benchmem.Core.Results.PassSeries.Gen1));
            Assert.That(MetricField.Time.Series, Is.Null);
            Assert.That(MetricField.All.Select(f => f.Name), Is.Unique);
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

    [TestCase("peak", 4_299_161.6, "4.10 MiB")]
    [TestCase("time", 1_204_000.0, "1.204 ms")]
    [TestCase("allocations", 10_000.0, "10,000")]
    [TestCase("gen0", 3.0, "3")]
    [TestCase("gen1", 2.0, "2")]
    [TestCase("gen2", 1.0, "1")]
    public void ValuesFormatInTheirUnit(string field, double value, string text) =>
        Assert.That(Metric.Format(Metric.ParseField(field), value), Is.EqualTo(text));

    [Test]
    public void FieldNames()
    {
        Assert.That(Metric.Fields.Select(Metric.Name), Is.EqualTo(new[] { "peak", "allocated", "allocations", "retained", "rss", "gen0", "gen1", "gen2", "native-peak", "native-allocated", "native-allocations", "native-retained", "time" }));
        Assert.That(Metric.ParseField("Allocations"), Is.EqualTo(MetricField.Allocations));
        Assert.That(Assert.Throws<FormatException>(() => Metric.ParseField("heap"))!.Message,
            Is.EqualTo("unknown field 'heap', did you mean peak? (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time)"));
    }
}
