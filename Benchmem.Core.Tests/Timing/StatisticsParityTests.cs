using System.Reflection;
using System.Text;
using System.Text.Json;
using Benchmem.Core.Timing;
using BdnStatistics = BenchmarkDotNet.Mathematics.Statistics;

namespace Benchmem.Core.Tests.Timing;

/// <summary>
/// Benchmem's <see cref="Statistics"/> must give BenchmarkDotNet 0.15.8's numbers (BDN is the oracle here).
/// </summary>
public class StatisticsParityTests
{
    private static readonly string[] StatisticsFields =
    [
        "OriginalValues", "N", "Min", "LowerFence", "Q1", "Median", "Mean", "Q3", "UpperFence", "Max", "InterquartileRange",
        "LowerOutliers", "UpperOutliers", "AllOutliers", "StandardError", "Variance", "StandardDeviation", "Skewness",
        "Kurtosis", "ConfidenceInterval", "Percentiles",
    ];
    private static readonly string[] ConfidenceIntervalFields = ["N", "Mean", "StandardError", "Level", "Margin", "Lower", "Upper"];
    private static readonly string[] PercentileFields = ["P0", "P25", "P50", "P67", "P80", "P85", "P90", "P95", "P100"];

    public static IEnumerable<TestCaseData> Samples()
    {
        TestCaseData Case(string name, double[] values) => new TestCaseData((object)values).SetArgDisplayNames(name);

        yield return Case("N1", [42.5]);
        yield return Case("N2", [20, 10]);
        yield return Case("N3", [3, 1, 2]);
        yield return Case("N5", [5, 1, 4, 2, 3]);
        yield return Case("N30 normal", Normal(new Random(30), 30, 100, 5));
        yield return Case("N1000 normal", Normal(new Random(1000), 1000, 2500, 40));
        yield return Case("constant N2", [7.5, 7.5]);
        yield return Case("constant N3", [7.5, 7.5, 7.5]);
        yield return Case("constant N30", Enumerable.Repeat(123.456, 30).ToArray());
        yield return Case("even N with ties", [4, 1, 4, 2, 2, 4, 9, 1]);
        yield return Case("low outliers", [100, 101, 99, 102, 98, 100, 101, 3, 99, 100, 1]);
        yield return Case("high outliers", [100, 101, 99, 102, 98, 100, 101, 500, 99, 100, 10_000]);
        yield return Case("low and high outliers", [50, 100, 101, 99, 102, 98, 100, 101, 99, 100, 150, 1e6]);
        var rnd = new Random(7);
        yield return Case("pareto heavy tail", Enumerable.Range(0, 200).Select(_ => 100 / Math.Pow(1 - rnd.NextDouble(), 1 / 1.2)).ToArray());
        yield return Case("cauchy heavy tail", Enumerable.Range(0, 301).Select(_ => 1000 + 50 * Math.Tan(Math.PI * (rnd.NextDouble() - 0.5))).ToArray());
        yield return Case("log-uniform 10..1e7", Enumerable.Range(0, 40).Select(_ => Math.Pow(10, 1 + 6 * rnd.NextDouble())).ToArray());
        // Typical rounds: ~1.2 us with 1% jitter and an occasional GC pause.
        yield return Case("realistic rounds", Enumerable.Range(0, 100)
            .Select(i => 1234.5 * (1 + 0.01 * (rnd.NextDouble() - 0.5)) * (i % 17 == 16 ? 5 : 1)).ToArray());
        yield return Case("realistic 1e7", Normal(new Random(3), 15, 1e7, 2e5));
        // After overhead subtraction, very fast operations can come out at or below zero.
        yield return Case("around zero", [0.3, -0.2, 0, 0.1, -0.05, 0.25, 0]);
    }

    private static double[] Normal(Random rnd, int n, double mean, double sd) =>
        Enumerable.Range(0, n)
            .Select(_ => mean + sd * Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble()))
            .ToArray();

    [TestCaseSource(nameof(Samples))]
    public void MatchesBenchmarkDotNet(double[] values)
    {
        var bdn = new BdnStatistics(values.ToArray());
        var s = new Statistics(values.ToArray());
        var diffs = new List<string>();

        // Order statistics and counts: same arithmetic on the same sorted values, must be exact.
        SameArray(bdn.OriginalValues.ToArray(), s.OriginalValues, "OriginalValues", diffs);
        Exact(bdn.N, s.N, "N", diffs);
        Exact(bdn.Min, s.Min, "Min", diffs);
        Exact(bdn.LowerFence, s.LowerFence, "LowerFence", diffs);
        Exact(bdn.Q1, s.Q1, "Q1", diffs);
        Exact(bdn.Median, s.Median, "Median", diffs);
        Exact(bdn.Q3, s.Q3, "Q3", diffs);
        Exact(bdn.UpperFence, s.UpperFence, "UpperFence", diffs);
        Exact(bdn.Max, s.Max, "Max", diffs);
        Exact(bdn.InterquartileRange, s.InterquartileRange, "InterquartileRange", diffs);
        SameArray(bdn.LowerOutliers, s.LowerOutliers, "LowerOutliers", diffs);
        SameArray(bdn.UpperOutliers, s.UpperOutliers, "UpperOutliers", diffs);
        SameArray(bdn.AllOutliers, s.AllOutliers, "AllOutliers", diffs);
        var bp = bdn.Percentiles;
        var p = s.Percentiles;
        Exact(bp.P0, p.P0, "P0", diffs);
        Exact(bp.P25, p.P25, "P25", diffs);
        Exact(bp.P50, p.P50, "P50", diffs);
        Exact(bp.P67, p.P67, "P67", diffs);
        Exact(bp.P80, p.P80, "P80", diffs);
        Exact(bp.P85, p.P85, "P85", diffs);
        Exact(bp.P90, p.P90, "P90", diffs);
        Exact(bp.P95, p.P95, "P95", diffs);
        Exact(bp.P100, p.P100, "P100", diffs);

        // Moments and the interval: sums of floating-point terms, allowed a relative 1e-12.
        Close(bdn.Mean, s.Mean, "Mean", diffs);
        Close(bdn.StandardError, s.StandardError, "StandardError", diffs);
        Close(bdn.Variance, s.Variance, "Variance", diffs);
        Close(bdn.StandardDeviation, s.StandardDeviation, "StandardDeviation", diffs);
        Close(bdn.Skewness, s.Skewness, "Skewness", diffs);
        Close(bdn.Kurtosis, s.Kurtosis, "Kurtosis", diffs);
        var bci = bdn.ConfidenceInterval;
        var ci = s.ConfidenceInterval;
        Exact(bci.N, ci.N, "CI.N", diffs);
        Exact((int)bci.Level, ci.Level, "CI.Level", diffs);
        Close(bci.Mean, ci.Mean, "CI.Mean", diffs);
        Close(bci.StandardError, ci.StandardError, "CI.StandardError", diffs);
        Close(bci.Margin, ci.Margin, "CI.Margin", diffs);
        Close(bci.Lower, ci.Lower, "CI.Lower", diffs);
        Close(bci.Upper, ci.Upper, "CI.Upper", diffs);

        Assert.That(diffs, Is.Empty);
        // The same Perfolizer calls are made, so in practice even the moments are bit-identical.
        Assert.That(BitwiseMoments(bdn, s), Is.True, "moments differ in the last bits");
    }

    private static bool BitwiseMoments(BdnStatistics b, Statistics s) =>
        b.Mean.Equals(s.Mean) && b.Variance.Equals(s.Variance) && b.StandardDeviation.Equals(s.StandardDeviation)
        && b.StandardError.Equals(s.StandardError) && b.Skewness.Equals(s.Skewness) && b.Kurtosis.Equals(s.Kurtosis)
        && b.ConfidenceInterval.Margin.Equals(s.ConfidenceInterval.Margin);

    private static void Exact(double expected, double actual, string field, List<string> diffs)
    {
        if (!expected.Equals(actual)) // Equals: NaN equals NaN
            diffs.Add($"{field}: BDN {expected:R}, Benchmem {actual:R}");
    }

    private static void Close(double expected, double actual, string field, List<string> diffs)
    {
        if (expected.Equals(actual) || Math.Abs(expected - actual) <= 1e-12 * Math.Max(Math.Abs(expected), Math.Abs(actual)))
            return;
        diffs.Add($"{field}: BDN {expected:R}, Benchmem {actual:R}");
    }

    private static void SameArray(double[] expected, double[] actual, string field, List<string> diffs)
    {
        if (!expected.SequenceEqual(actual))
            diffs.Add($"{field}: BDN [{string.Join(", ", expected)}], Benchmem [{string.Join(", ", actual)}]");
    }

    [Test]
    public void EmptySampleIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Statistics([]));
        Assert.That(ex.Message, Does.Contain("empty"));
    }

    [Test]
    public void NonFiniteValueIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new Statistics([1, double.NaN, 3]));
    }

    [Test]
    public void PytestBenchmarkExtras()
    {
        // 1..10: mean 5.5, sd = sqrt(82.5 / 9) = 3.03, so 1, 2, 9 and 10 lie outside 2.47..8.53;
        // Q1 = 3.25, Q3 = 7.75, IQR = 4.5, fences -3.5..14.5: no IQR outlier.
        var s = new Statistics(Enumerable.Range(1, 10).Select(i => (double)i));
        Assert.That(s.StdDevOutliers, Is.EqualTo(4));
        Assert.That(s.IqrOutliers, Is.EqualTo(0));
        Assert.That(s.OutliersText, Is.EqualTo("4;0"));
        Assert.That(s.OperationsPerSecond, Is.EqualTo(1e9 / 5.5));

        // 1, 2, 3, 4, 100: mean 22, sd = sqrt(7610 / 4) = 43.6, only 100 is beyond -21.6..65.6;
        // Q1 = 2, Q3 = 4, fences -1..7: 100 is the one IQR outlier.
        s = new Statistics([1, 2, 3, 4, 100]);
        Assert.That(s.OutliersText, Is.EqualTo("1;1"));
        Assert.That(s.IqrOutliers, Is.EqualTo(s.AllOutliers.Length));
        Assert.That(s.OperationsPerSecond, Is.EqualTo(1e9 / 22));

        // A single value has sd 0: nothing lies strictly outside mean ± 0.
        Assert.That(new Statistics([5]).OutliersText, Is.EqualTo("0;0"));
        // Overhead subtraction can leave a mean of 0 or less: no meaningful rate.
        Assert.That(new Statistics([-1, 0, 1]).OperationsPerSecond, Is.EqualTo(0));
    }

    [TestCase(new double[] { 42.5 }, TestName = "Json N1")]
    [TestCase(new double[] { 10, 20 }, TestName = "Json N2")]
    [TestCase(new double[] { 3, 1, 2 }, TestName = "Json N3")]
    [TestCase(new double[] { 100, 101, 99, 102, 98, 100, 101, 3, 99, 100, 10_000, 0.1 }, TestName = "Json outliers")]
    public void WriteJsonHasBdnFieldsOrderAndValues(double[] values)
    {
        var s = new Statistics(values);
        using var doc = JsonDocument.Parse(ToJson(s));
        var root = doc.RootElement;

        Assert.That(Names(root), Is.EqualTo(StatisticsFields));
        Assert.That(Names(root.GetProperty("ConfidenceInterval")), Is.EqualTo(ConfidenceIntervalFields));
        Assert.That(Names(root.GetProperty("Percentiles")), Is.EqualTo(PercentileFields));

        Assert.That(root.GetProperty("OriginalValues").EnumerateArray().Select(Number), Is.EqualTo(values));
        Assert.That(root.GetProperty("N").GetInt32(), Is.EqualTo(values.Length));
        Assert.That(Number(root.GetProperty("Q1")), Is.EqualTo(s.Q1));
        Assert.That(Number(root.GetProperty("Mean")), Is.EqualTo(s.Mean));
        Assert.That(Number(root.GetProperty("StandardDeviation")), Is.EqualTo(s.StandardDeviation));
        Assert.That(Number(root.GetProperty("Kurtosis")), Is.EqualTo(s.Kurtosis));
        Assert.That(root.GetProperty("AllOutliers").EnumerateArray().Select(Number), Is.EqualTo(s.AllOutliers));
        var ci = root.GetProperty("ConfidenceInterval");
        Assert.That(ci.GetProperty("Level").GetInt32(), Is.EqualTo(12));
        Assert.That(Number(ci.GetProperty("Margin")), Is.EqualTo(s.ConfidenceInterval.Margin));
        Assert.That(Number(ci.GetProperty("Upper")), Is.EqualTo(s.ConfidenceInterval.Upper));
        Assert.That(Number(root.GetProperty("Percentiles").GetProperty("P67")), Is.EqualTo(s.Percentiles.P67));
        if (values.Length <= 2)
            Assert.That(ci.GetProperty("Margin").GetString(), Is.EqualTo(""), "NaN is written as \"\", like BDN");
    }

    [TestCaseSource(nameof(Samples))]
    public void WriteJsonEqualsBdnJsonExport(double[] values)
    {
        // BDN's JsonExporter serializes report.ResultStatistics with its internal SimpleJson serializer.
        var serializer = typeof(BdnStatistics).Assembly.GetType("SimpleJson.SimpleJsonSerializer", throwOnError: true)!;
        var serialize = serializer.GetMethod("SerializeObject", BindingFlags.Public | BindingFlags.Static, [typeof(object)])!;
        var bdnJson = (string)serialize.Invoke(null, [new BdnStatistics(values.ToArray())])!;

        using var expected = JsonDocument.Parse(bdnJson);
        using var actual = JsonDocument.Parse(ToJson(new Statistics(values)));
        AssertSameJson(expected.RootElement, actual.RootElement, "Statistics");
    }

    /// <summary>
    /// The JSON Statistics are BDN's of its "Workload Result": BDN's own engine code (RunResults, default
    /// OutlierMode.RemoveUpper) picks the rounds from the same measurements, BDN's Statistics summarise them, and the
    /// serialized objects must be equal to Benchmem's, field for field.
    /// </summary>
    [TestCaseSource(nameof(Samples))]
    public void WorkloadResultEqualsBdnsRemoveUpper(double[] values)
    {
        foreach (long operations in new long[] { 1, 16, 1_000_003 })
        {
            var measurements = values.Select((v, i) => new BenchmarkDotNet.Reports.Measurement(1, BenchmarkDotNet.Engines.IterationMode.Workload,
                BenchmarkDotNet.Engines.IterationStage.Actual, i + 1, operations, v * operations)).ToList();
            var run = new BenchmarkDotNet.Engines.RunResults(measurements, Perfolizer.Mathematics.OutlierDetection.OutlierMode.RemoveUpper,
                default, default, 0);
            var bdnResult = run.GetWorkloadResultMeasurements().ToList();
            var bdn = new BdnStatistics(bdnResult.Select(m => m.GetAverageTime().Nanoseconds));

            var ours = Benchmem.Core.Timing.WorkloadResult.Of(values, operations);
            Assert.That(ours.PerOperation.Length, Is.EqualTo(bdnResult.Count), $"kept rounds, {operations} ops");
            Assert.That(ours.UpperOutliersRemoved, Is.EqualTo(values.Length - bdnResult.Count));
            using var expected = JsonDocument.Parse(BdnJson(bdn));
            using var actual = JsonDocument.Parse(ToJson(ours.Statistics));
            AssertSameJson(expected.RootElement, actual.RootElement, $"Statistics ({operations} ops)");
        }
    }

    [Test]
    public void WorkloadResultDropsOnlyUpperOutliers()
    {
        // 1..10 then 100 and 0.001: Q1 = 2.75, Q3 = 8.25 (type 7 over 12 values), upper fence 16.5: only 100 goes.
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 0.001];
        var result = Benchmem.Core.Timing.WorkloadResult.Of(values, 1);
        Assert.That(result.Kept, Is.EqualTo(values.Select(v => v != 100)));
        Assert.That(result.PerOperation, Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.0 }), "0.001 ns in a round is below BDN's 0.1 ns: read as 0");
        Assert.That(result.Statistics.Mean, Is.EqualTo(55 / 11.0).Within(1e-12));
    }

    private static string BdnJson(object value)
    {
        var serializer = typeof(BdnStatistics).Assembly.GetType("SimpleJson.SimpleJsonSerializer", throwOnError: true)!;
        var serialize = serializer.GetMethod("SerializeObject", BindingFlags.Public | BindingFlags.Static, [typeof(object)])!;
        return (string)serialize.Invoke(null, [value])!;
    }

    private static void AssertSameJson(JsonElement expected, JsonElement actual, string path)
    {
        Assert.That(actual.ValueKind, Is.EqualTo(expected.ValueKind), path);
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.That(Names(actual), Is.EqualTo(Names(expected)), path);
                foreach (var property in expected.EnumerateObject())
                    AssertSameJson(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
                break;
            case JsonValueKind.Array:
                Assert.That(actual.GetArrayLength(), Is.EqualTo(expected.GetArrayLength()), path);
                foreach (var (e, a, i) in expected.EnumerateArray().Zip(actual.EnumerateArray(), Enumerable.Range(0, int.MaxValue)))
                    AssertSameJson(e, a, $"{path}[{i}]");
                break;
            case JsonValueKind.Number:
                Assert.That(actual.GetDouble(), Is.EqualTo(expected.GetDouble()), path);
                break;
            default:
                Assert.That(actual.GetRawText(), Is.EqualTo(expected.GetRawText()), path);
                break;
        }
    }

    private static string ToJson(Statistics s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            Benchmem.Core.Results.ResultsWriter.WriteStatistics(w, s);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string[] Names(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String && e.GetString() == "" ? double.NaN : e.GetDouble();
}
