using System.Text.Json;
using Benchmem.Core.Compare;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Compare;

/// <summary>Bench.Metric's numbers: kept by the results file, read back, and a metric like the built-in ones.</summary>
public class CustomMetricTests
{
    private static BenchmarkRecord Record(double rows, bool baseline = false) => new()
    {
        Namespace = "N", Type = "T", Method = "Parse", FullName = "N.T.Parse", Baseline = baseline,
        Metrics = { ["rows"] = rows, ["hit_ratio"] = 0.25 },
    };

    [Test]
    public void TheFileKeepsThem_AndTheBaselineFlag()
    {
        var back = ResultsJson.ReadBenchmark(JsonDocument.Parse(ResultsJson.ToJournalLine(Record(1234.5, baseline: true))).RootElement);
        Assert.That(back.Metrics, Is.EqualTo(new Dictionary<string, double> { ["rows"] = 1234.5, ["hit_ratio"] = 0.25 }));
        Assert.That(back.Baseline, Is.True);
        var plain = ResultsJson.ReadBenchmark(JsonDocument.Parse(ResultsJson.ToJournalLine(new BenchmarkRecord { Namespace = "N", Type = "T", Method = "M", FullName = "N.T.M" })).RootElement);
        Assert.That((plain.Metrics.Count, plain.Baseline), Is.EqualTo((0, false)));
        Assert.That(System.Text.Encoding.UTF8.GetString(ResultsJson.ToJournalLine(plain)), Does.Not.Contain("\"Metrics\":{").And.Not.Contain("\"Baseline\""),
            "written only when there is something to say");
    }

    [TestCase("{\"rows\": \"many\"}", "Benchmem.Metrics.rows is \"many\"; expected a finite number")]
    [TestCase("[1]", "Benchmem.Metrics is Array; expected an object of numbers")]
    [TestCase("{\"a b\": 1}", "Benchmem.Metrics: 'a b' cannot be a metric's name")]
    public void AMalformedMetricsBlock_IsRefused(string block, string expected)
    {
        var json = $"{{\"FullName\": \"N.T.M\", \"Benchmem\": {{\"Metrics\": {block}}}}}";
        Assert.That(() => ResultsJson.ReadBenchmark(JsonDocument.Parse(json).RootElement), Throws.InstanceOf<JsonException>().With.Message.Contains(expected));
    }

    [Test]
    public void MetricDotName_IsAFieldOfRulesAndColumns()
    {
        Assert.That(Metric.TryParseField("metric.rows", out var field), Is.True);
        Assert.That((field.Name, field.IsCustom, field.Value(Record(10))), Is.EqualTo(("metric.rows", true, (double?)10)));
        Assert.That(field, Is.EqualTo(MetricField.Custom("rows")), "one metric, however often it is named");
        Assert.That(Metric.TryParseField("metric.a b", out _), Is.False);
        var rule = ThresholdRule.Parse("metric.rows:10%");
        Assert.That(rule.Field.Name, Is.EqualTo("metric.rows"));
        var result = Comparison.Of([Record(100)], [Record(120)]).Check([rule]);
        Assert.That(result.RegressionLines, Has.Count.EqualTo(1));
        Assert.That(result.RegressionLines[0], Does.Contain("100 → 120 (+20.0%)"));
        Assert.That(Comparison.Of([Record(100)], [Record(105)]).Check([rule]).Passed, Is.True);
    }

    [Test]
    public void APivotKeepsThem_SoOneRunGatesAMetricAcrossADim()
    {
        BenchmarkRecord At(long n, double rows) => new()
        {
            Namespace = "N", Type = "T", Method = "Parse", FullName = $"N.T.Parse(n: {n})", Parameters = $"n={n}",
            Dims = { ["n"] = n }, Metrics = { ["rows"] = rows },
        };
        var (runs, leftOut) = PivotRuns.Split(BenchmarkRun.FromRecords("one run", [At(1, 100), At(2, 120)]), "n");
        Assert.That(leftOut, Is.Empty);
        Assert.That(runs.Select(r => r.Run.Benchmarks.Single().Metrics["rows"]), Is.EqualTo(new[] { 100.0, 120.0 }));
        var result = Comparison.Of(runs[0].Run.Benchmarks, runs[1].Run.Benchmarks).Check([ThresholdRule.Parse("metric.rows:10%")]);
        Assert.That(result.RegressionLines, Has.Count.EqualTo(1));
        Assert.That(result.RegressionLines[0], Does.Contain("100 → 120 (+20.0%)"));
    }

    [Test]
    public void Renamed_KeepsEveryOtherField()
    {
        var record = new BenchmarkRecord
        {
            Namespace = "N", Type = "T", Method = "M", FullName = "N.T.M(n: 1)", Parameters = "n=1", Group = "g",
            Dims = { ["n"] = 1L, ["k"] = "a" }, Timing = new TimingResult { RoundNanoseconds = [1], IterationsPerRound = 1 },
            Allocation = new AllocationResult { TotalOperations = 1, BytesAllocatedPerOperation = 8 },
            Memory = new Benchmem.Core.Memory.MemoryResult { Passes = [], Options = new Benchmem.Core.Memory.MemoryOptions { Repeats = 2 } }, Optimized = false, KeptFrom = "earlier", Baseline = true, Metrics = { ["rows"] = 3 },
        };
        var renamed = record.Renamed("N.T.M", new() { ["k"] = "a" });
        Assert.That((renamed.FullName, renamed.Dims), Is.EqualTo(("N.T.M", new Dictionary<string, object?> { ["k"] = "a" })));
        Assert.That((record.FullName, record.Dims.Count), Is.EqualTo(("N.T.M(n: 1)", 2)), "the original is untouched");
        foreach (var property in typeof(BenchmarkRecord).GetProperties().Where(p => p.Name is not ("FullName" or "Dims")))
            Assert.That(property.GetValue(renamed), Is.SameAs(property.GetValue(record)).Or.EqualTo(property.GetValue(record)), property.Name);
    }
}
