using Benchmem.Core.Compare;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Compare;

public class GateTests : CompareFixture
{
    private static BenchmarkRecord Sort(int n, long peak, long? allocations = 3, double[]? time = null) =>
        Record("SortBenchmarks", "Sort", dims: [("n", (long)n)], time: time ?? [1000, 1010, 990], passes: [Pass(peak, allocations: allocations)]);

    [Test]
    public void PercentRuleFailsOnlyPastTheLimit()
    {
        var baseline = Save(Dir, "base", Sort(1000, 100_000), Sort(10_000, 4 << 20), Sort(100_000, 40 << 20));
        var candidate = Save(Dir, "new", Sort(1000, 110_000), Sort(10_000, 5 << 20), Sort(100_000, 30 << 20));
        var result = Comparison.Of(baseline, candidate).Check("peak:10%");
        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.False);
            Assert.That(result.Regressions.Select(r => r.FullName), Is.EqualTo(new[] { "Bench.SortBenchmarks.Sort(n: 10000)" }));
            Assert.That(result.RegressionLines, Is.EqualTo(new[] { "peak  SortBenchmarks.Sort(n: 10000): 4.00 MiB → 5.00 MiB (+25.0%)" }));
            Assert.That(result.Changes, Has.Count.EqualTo(3), "every check is kept, not only failures");
            Assert.That(result.Compared, Is.EqualTo(3));
        });
        var r = result.Regressions[0];
        Assert.That((r.Baseline, r.Candidate, r.ChangePercent, r.Significance), Is.EqualTo(((double)(4 << 20), (double)(5 << 20), 25.0, (Significance?)null)));
    }

    [Test]
    public void AbsoluteRulesUseTheFieldsUnit()
    {
        var comparison = Comparison.Of([Sort(1, 1_000_000, allocations: 100)], [Sort(1, 1_000_000 + 1025, allocations: 111)]);
        Assert.Multiple(() =>
        {
            Assert.That(comparison.Check("peak:1KiB").Passed, Is.False);
            Assert.That(comparison.Check("peak:2KiB").Passed, Is.True);
            Assert.That(comparison.Check("peak:1KB").Passed, Is.False);
            Assert.That(comparison.Check("peak:1025B").Passed, Is.True, "exactly at the limit passes");
            Assert.That(comparison.Check("allocations:10").Passed, Is.False);
            Assert.That(comparison.Check("allocations:11").Passed, Is.True);
        });
        Assert.That(comparison.Check("allocations:10").RegressionLines, Is.EqualTo(new[] { "allocations  SortBenchmarks.Sort(n: 1): 100 → 111 (+11.0%)" }));
    }

    [Test]
    public void CollectionsOfEveryGenerationAreGateFields()
    {
        static BenchmarkRecord Churn(int gen0, int gen1, int gen2) =>
            Record("ChurnBenchmarks", "Churn", time: [1000, 1010, 990], passes: [Pass(1 << 20, gen0: gen0, gen1: gen1, gen2: gen2)]);
        var comparison = Comparison.Of([Churn(10, 2, 1)], [Churn(10, 3, 2)]);
        Assert.Multiple(() =>
        {
            Assert.That(comparison.Check("gen0:0%").Passed, Is.True);
            Assert.That(comparison.Check("gen1:1").Passed, Is.True, "exactly at the limit passes");
            Assert.That(comparison.Check("gen1:0").Passed, Is.False);
            Assert.That(comparison.Check("gen2:50%").Passed, Is.False);
            Assert.That(comparison.Check("gen2:100%").Passed, Is.True);
            Assert.That(comparison.Check("gen1:10%", "gen2:1").RegressionLines,
                Is.EqualTo(new[] { "gen1  ChurnBenchmarks.Churn: 2 → 3 (+50.0%)" }));
            Assert.That(comparison.Check("gen2:0%").Regressions.Single().Significance, Is.Null, "collections are counted, not sampled");
        });
    }

    [Test]
    public void TimeRulesCompareTheChosenStatistic()
    {
        // Median the same, min 50% slower.
        var comparison = Comparison.Of(
            [Record("T", "M", time: [100, 200, 300])],
            [Record("T", "M", time: [150, 200, 300])]);
        Assert.Multiple(() =>
        {
            Assert.That(comparison.Check("time:1%").Passed, Is.True);
            Assert.That(comparison.Check("time.min:10%").Passed, Is.False);
            Assert.That(comparison.Check("time.min:50ns").Passed, Is.True);
            Assert.That(comparison.Check("time.min:49ns").Passed, Is.False);
            Assert.That(comparison.Check("time.mean:10%").Passed, Is.True);
            Assert.That(comparison.Check("time.max:0%").Passed, Is.True);
        });
        Assert.That(comparison.Check("time.min:10%").RegressionLines, Is.EqualTo(new[] { "time.min  T.M: 100.0 ns → 150.0 ns (+50.0%), not significant (p=0.50)" }));
    }

    [Test]
    public void ZeroBaselineThatGrowsFailsAPercentRule()
    {
        var comparison = Comparison.Of([Sort(1, 100, allocations: 0)], [Sort(1, 100, allocations: 2)]);
        var result = comparison.Check("allocations:50%");
        Assert.That(result.Passed, Is.False);
        Assert.That(result.Regressions[0].ChangePercent, Is.EqualTo(double.PositiveInfinity));
        Assert.That(result.RegressionLines, Is.EqualTo(new[] { "allocations  SortBenchmarks.Sort(n: 1): 0 → 2 (+∞%)" }));
        Assert.That(Comparison.Of([Sort(1, 100, allocations: 0)], [Sort(1, 100, allocations: 0)]).Check("allocations:0%").Passed, Is.True);
    }

    [Test]
    public void OnlyGrowthFails()
    {
        var result = Comparison.Of([Sort(1, 1 << 20, allocations: 100)], [Sort(1, 1, allocations: 0)]).Check("peak:0%", "allocations:0%");
        Assert.That(result.Passed, Is.True);
        Assert.That(result.Changes.Select(c => c.ChangePercent), Is.EqualTo(new[] { -100 + 100.0 / (1 << 20), -100.0 }));
    }

    [Test]
    public void BenchmarksOnOneSideAreListedButDoNotFail()
    {
        var baseline = Save(Dir, "base", Sort(1, 100), Sort(2, 100), Sort(3, 100));
        var candidate = Save(Dir, "new", Sort(2, 100), Sort(4, 100), Sort(3, 100));
        var comparison = Comparison.Of(baseline, candidate);
        Assert.Multiple(() =>
        {
            Assert.That(comparison.Matched.Select(p => p.FullName), Is.EqualTo(new[] { "Bench.SortBenchmarks.Sort(n: 2)", "Bench.SortBenchmarks.Sort(n: 3)" }));
            Assert.That(comparison.OnlyInBaseline, Is.EqualTo(new[] { "Bench.SortBenchmarks.Sort(n: 1)" }));
            Assert.That(comparison.OnlyInCandidate, Is.EqualTo(new[] { "Bench.SortBenchmarks.Sort(n: 4)" }));
        });
        var result = comparison.Check("peak:10%");
        Assert.That(result.Passed, Is.True);
        Assert.That(result.OnlyInBaseline, Is.EqualTo(comparison.OnlyInBaseline));
        Assert.That(result.OnlyInCandidate, Is.EqualTo(comparison.OnlyInCandidate));
        Assert.That(result.ToString(), Is.EqualTo(
            "No regressions: 2 benchmarks compared (rules: peak:10%).\n" +
            "Only in the baseline (1): Bench.SortBenchmarks.Sort(n: 1)\n" +
            "Only in the candidate (1): Bench.SortBenchmarks.Sort(n: 4)"));
    }

    [Test]
    public void MissingMetricsAreReportedNotPassedSilently()
    {
        var withMemory = Sort(1, 100, allocations: null);
        var timingOnly = Record("SortBenchmarks", "Sort", dims: [("n", 1L)], time: [1, 2, 3], allocatedPerOp: 64);
        var result = Comparison.Of([withMemory], [timingOnly]).Check("peak:10%", "allocations:10%", "allocated:10%");
        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.True, "a metric one side lacks is not a regression");
            Assert.That(result.NotComparable.Select(n => (n.Rule.Label, n.Reason)), Is.EqualTo(new[]
            {
                ("peak", "not measured in the candidate"),
                ("allocations", "not measured in either run"),
            }));
            Assert.That(result.Changes.Select(c => c.Rule.Label), Is.EqualTo(new[] { "allocated" }), "allocated falls back to bytes/op");
        });
        Assert.That(result.ToString(), Is.EqualTo(
            "No regressions: 1 benchmark compared (rules: peak:10%, allocations:10%, allocated:10%).\n" +
            "Not comparable, not checked (2):\n" +
            "peak         SortBenchmarks.Sort(n: 1): not measured in the candidate\n" +
            "allocations  SortBenchmarks.Sort(n: 1): not measured in either run"));
    }

    [Test]
    public void APlainBenchmarkDotNetExportComparesOnTimeAndAllocatedBytes()
    {
        string bdn = Path.Combine(Dir, "bdn.json");
        File.WriteAllText(bdn, """
            { "Title": "BDN", "Benchmarks": [ {
                "Namespace": "Bench", "Type": "SortBenchmarks", "Method": "Sort", "Parameters": "n=1",
                "FullName": "Bench.SortBenchmarks.Sort(n: 1)",
                "Statistics": { "OriginalValues": [1000, 1010, 990], "N": 3 },
                "Memory": { "Gen0Collections": 0, "Gen1Collections": 0, "Gen2Collections": 0, "TotalOperations": 16, "BytesAllocatedPerOperation": 100 } } ] }
            """);
        var candidate = Save(Dir, "new", Record("SortBenchmarks", "Sort", dims: [("n", 1L)], time: [1500, 1510, 1490], allocatedPerOp: 200));
        var result = Comparison.Of(bdn, candidate.Path).Check("time:10%,allocated:50%,peak:10%");
        Assert.That(result.RegressionLines, Is.EqualTo(new[]
        {
            "time       SortBenchmarks.Sort(n: 1): 1.000 us → 1.500 us (+50.0%), not significant (p=0.050)", // 3 rounds each: 1/20 at best
            "allocated  SortBenchmarks.Sort(n: 1): 100 B → 200 B (+100.0%)",
        }));
        Assert.That(result.NotComparable.Single().Reason, Is.EqualTo("not measured in either run"));
    }

    [Test]
    public void ClearlySlowerRoundsAreSignificant()
    {
        var comparison = Comparison.Of(
            [Record("T", "M", time: Rounds(1000, seed: 1))],
            [Record("T", "M", time: Rounds(1200, seed: 2))]);
        var result = comparison.Check("time:5%:significant");
        var change = result.Regressions.Single();
        Assert.That(change.Significance!.IsSignificant, Is.True);
        Assert.That(change.Significance.PValue, Is.LessThan(0.001));
        Assert.That(result.RegressionLines.Single(), Does.StartWith("time  T.M: 1.00"));
        Assert.That(result.RegressionLines.Single(), Does.EndWith(", significant (p<0.001)"));
    }

    [Test]
    public void RoundsFromOneDistributionAreNotSignificant()
    {
        // Same distribution, different draws: the candidate's median happens to be a little higher.
        var baseline = Record("T", "M", time: Rounds(1000, seed: 3));
        var candidate = Record("T", "M", time: Rounds(1000, seed: 4));
        Assume.That(Metric.Value(candidate, MetricField.Time)!.Value, Is.GreaterThan(Metric.Value(baseline, MetricField.Time)!.Value));
        var comparison = Comparison.Of([baseline], [candidate]);

        var flagged = comparison.Check("time:0%:significant");
        Assert.That(flagged.Passed, Is.True, "over the limit, but noise");
        var noise = flagged.NotSignificant.Single();
        Assert.That(noise.Significance!.IsSignificant, Is.False);
        Assert.That(noise.Significance.PValue, Is.GreaterThan(0.05));
        Assert.That(flagged.ToString(), Does.Contain("\nOver the limit but not significant, so not failing (1):\ntime  T.M: "));

        var plain = comparison.Check("time:0%");
        Assert.That(plain.Passed, Is.False, "without :significant the size of the change decides");
        Assert.That(plain.RegressionLines.Single(), Does.Match(@", not significant \(p=0\.\d\d\)$"));
    }

    [Test]
    public void ASpeedUpIsNeverSignificant()
    {
        var significance = Significance.OfSlowdown(Rounds(1000, seed: 5), Rounds(500, seed: 6))!;
        Assert.That(significance.PValue, Is.GreaterThan(0.99));
        Assert.That(significance.IsSignificant, Is.False);
    }

    [TestCase(0.0005, "p<0.001")]
    [TestCase(0.003, "p=0.003")]
    [TestCase(0.0449, "p=0.045")]
    [TestCase(0.05, "p=0.050")]
    [TestCase(0.41, "p=0.41")]
    [TestCase(1.0, "p=1.00")]
    public void PValues(double p, string text) => Assert.That(Significance.FormatP(p), Is.EqualTo(text));

    [Test]
    public void MemoryRulesCarryNoSignificance()
    {
        var result = Comparison.Of([Sort(1, 100)], [Sort(1, 200)]).Check("peak:10%", "time:0%");
        Assert.That(result.Changes.Select(c => c.Significance is null), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void FailingReportListsRegressionsAlignedThenTheRest()
    {
        var baseline = new[]
        {
            Sort(1000, 4 << 20, allocations: 10, time: Rounds(1000, seed: 7)),
            Sort(10_000, 40 << 20, allocations: 100, time: Rounds(10_000, seed: 8)),
            Sort(5, 1),
        };
        var candidate = new[]
        {
            Sort(1000, 5 << 20, allocations: 12, time: Rounds(1500, seed: 9)),
            Sort(10_000, 40 << 20, allocations: 100, time: Rounds(10_000, seed: 10)),
            Sort(6, 1),
        };
        var result = Comparison.Of(baseline, candidate).Check("peak:10%", "allocations:5%", "time:5%:significant");
        Assert.That(result.Passed, Is.False);
        Assert.That(result.ToString(), Is.EqualTo(
            "3 regressions: 2 benchmarks compared (rules: peak:10%, allocations:5%, time:5%:significant):\n" +
            "peak         SortBenchmarks.Sort(n: 1000): 4.00 MiB → 5.00 MiB (+25.0%)\n" +
            "allocations  SortBenchmarks.Sort(n: 1000): 10 → 12 (+20.0%)\n" +
            "time         SortBenchmarks.Sort(n: 1000): " + Format(baseline[0]) + " → " + Format(candidate[0]) + " (" + Change(baseline[0], candidate[0]) + "), significant (p<0.001)\n" +
            GateResult.SignificanceNote + "\n" +
            "Only in the baseline (1): Bench.SortBenchmarks.Sort(n: 5)\n" +
            "Only in the candidate (1): Bench.SortBenchmarks.Sort(n: 6)"));

        static string Format(BenchmarkRecord r) => Metric.Format(MetricField.Time, Metric.Value(r, MetricField.Time)!.Value);
        static string Change(BenchmarkRecord b, BenchmarkRecord c) =>
            Metric.FormatChange(Metric.ChangePercent(Metric.Value(b, MetricField.Time)!.Value, Metric.Value(c, MetricField.Time)!.Value));
    }

    [Test]
    public void LongListsAreCutInTheTextButKeptInTheResult()
    {
        var baseline = Enumerable.Range(0, 30).Select(i => Sort(i, 100)).ToArray();
        var result = Comparison.Of(baseline, []).Check("peak:10%");
        Assert.That(result.OnlyInBaseline, Has.Count.EqualTo(30));
        Assert.That(result.ToString(), Does.EndWith("Sort(n: 19), … and 10 more"));
    }

    [Test]
    public void InputErrors()
    {
        var a = Sort(1, 1);
        Assert.That(Assert.Throws<ArgumentException>(() => Comparison.Of([a, a], []))!.Message,
            Is.EqualTo("The baseline has FullName \"Bench.SortBenchmarks.Sort(n: 1)\" twice; FullNames must be unique in a run."));
        Assert.That(Assert.Throws<FormatException>(() => Comparison.Of([a], [a]).Check("peak:10"))!.Message,
            Is.EqualTo("'peak:10' has no unit: write peak:10% or peak:10MiB"));
        Assert.Throws<ResultsFileException>(() => Comparison.Of(Path.Combine(Dir, "missing.json"), Path.Combine(Dir, "missing.json")));
        Assert.Throws<ArgumentOutOfRangeException>(() => Comparison.Of([a], [a]).Check([ThresholdRule.Parse("peak:1%")], alpha: 0));
    }
}
