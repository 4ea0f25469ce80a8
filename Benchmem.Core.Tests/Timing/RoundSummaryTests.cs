using Benchmem.Core.Results;
using Benchmem.Core.Timing;

namespace Benchmem.Core.Tests.Timing;

/// <summary>The summary every view reads of a timing sample must be the full <see cref="Statistics"/>' numbers, bit for bit,
/// computed once per timing; the one type-7 quantile must be Perfolizer's.</summary>
public class RoundSummaryTests
{
    [Test]
    public void EveryNumberIsBitIdenticalToStatisticsOnManySamples()
    {
        int mismatches = 0;
        for (int seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            int n = 1 + random.Next(200);
            double scale = Math.Exp(random.NextDouble() * 20);
            var rounds = Enumerable.Range(0, n).Select(_ => scale * (1 + random.NextDouble()) * (random.Next(20) == 0 ? 3 : 1)).ToArray();
            var s = new Statistics(rounds);
            var r = RoundSummary.Of(rounds)!;
            if (r.N != s.N || r.Min != s.Min || r.Q1 != s.Q1 || r.Median != s.Median || r.Q3 != s.Q3 || r.Max != s.Max
                || r.Mean != s.Mean || r.StandardDeviation != s.StandardDeviation
                || r.OperationsPerSecond != s.OperationsPerSecond || r.OutliersText != s.OutliersText)
                mismatches++;
        }
        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void ExactValuesOfASmallSample()
    {
        var r = RoundSummary.Of([1, 2, 3, 4, 100])!;
        Assert.Multiple(() =>
        {
            Assert.That((r.N, r.Min, r.Q1, r.Median, r.Q3, r.Max, r.Mean), Is.EqualTo((5, 1.0, 2.0, 3.0, 4.0, 100.0, 22.0)));
            Assert.That(r.OutliersText, Is.EqualTo("1;1"));
            Assert.That(r.OperationsPerSecond, Is.EqualTo(1e9 / 22));
            Assert.That(RoundSummary.Of([-1, 0, 1])!.OperationsPerSecond, Is.EqualTo(0), "no OPS for a mean at or below zero");
            Assert.That(RoundSummary.Of([5])!.StandardDeviation, Is.EqualTo(0));
        });
    }

    [Test]
    public void SamplesThatCannotBeSummarisedAreNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RoundSummary.Of(null), Is.Null);
            Assert.That(RoundSummary.Of([]), Is.Null);
            Assert.That(RoundSummary.Of([1, double.NaN]), Is.Null);
            Assert.That(RoundSummary.Of([1, double.PositiveInfinity]), Is.Null);
        });
    }

    [Test]
    public void ATimingIsSummarisedOnceAndItsWorkloadSelectedOnce()
    {
        var timing = new TimingResult { RoundNanoseconds = [10, 11, 12, 13, 1000], IterationsPerRound = 1 };
        Assert.Multiple(() =>
        {
            var (summary, workload, statistics) = (timing.Summary, timing.Workload, timing.Workload.Statistics);
            Assert.That(timing.Summary, Is.SameAs(summary));
            Assert.That(timing.Workload, Is.SameAs(workload));
            Assert.That(timing.Workload.Statistics, Is.SameAs(statistics));
            Assert.That(timing.Workload.UpperOutliersRemoved, Is.EqualTo(1), "1000 is past the upper fence");
            Assert.That(timing.Workload.Statistics.N, Is.EqualTo(4));
            Assert.That(timing.Summary!.N, Is.EqualTo(5), "Benchmem's own numbers keep every round");
        });
    }

    [TestCase(0.0, 1.0)]
    [TestCase(0.25, 1.75)]
    [TestCase(0.5, 2.5)]
    [TestCase(0.75, 3.25)]
    [TestCase(1.0, 4.0)]
    public void Type7InterpolatesBetweenTheClosestRanks(double p, double expected) =>
        Assert.That(Quantile.Type7([1, 2, 3, 4], p), Is.EqualTo(expected));

    [Test]
    public void Type7IsPerfolizersOnManySamples()
    {
        int mismatches = 0;
        for (int seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var values = Enumerable.Range(0, 1 + random.Next(100)).Select(_ => random.NextDouble() * 1e6).ToArray();
            var sorted = values.Order().ToArray();
            var s = new Statistics(values);
            if (Quantile.Type7(sorted, 0.25) != s.Q1 || Quantile.Type7(sorted, 0.75) != s.Q3 || Quantile.Type7(sorted, 0.9) != s.Percentiles.P90
                || Quantile.Type7(sorted, 0.67) != s.Percentiles.P67)
                mismatches++;
        }
        Assert.That(mismatches, Is.Zero);
        Assert.Throws<ArgumentException>(() => Quantile.Type7([], 0.5));
    }
}
