using System.Text.Json;
using System.Text.Json.Nodes;
using Benchmem.Core.Exporters;
using Benchmem.Core.Results;
using Benchmem.Core.Tests.Results;
using Json.Schema;

namespace Benchmem.Core.Tests.Exporters;

/// <summary>
/// The single-run reports and dashboard exports of one known run (Results/Golden/BdnShape.json: a 500 ns upper-outlier
/// round among six around 100 ns, 128 B/op, two memory passes), as golden files, and their formats' own rules.
/// </summary>
public class ExporterTests
{
    private static string Here([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
    private static string Fixture(string name) => Path.Combine(Path.GetDirectoryName(Here())!, "..", "Results", "Golden", name);
    private static BenchmarkRun Run() => BenchmarkRun.Load(Fixture("BdnShape.json"));

    [TestCase(ReportFormat.Markdown, "Report.md")]
    [TestCase(ReportFormat.Csv, "Report.csv")]
    [TestCase(ReportFormat.Html, "Report.html")]
    public void Reports_MatchTheirGoldenFiles(ReportFormat format, string golden) =>
        Reporting.Golden.AssertMatches(RunReport.Render(Run(), format), golden);

    [TestCase(DashboardFormat.GithubActionBenchmark, "GithubActionBenchmark.json")]
    [TestCase(DashboardFormat.Bencher, "Bencher.json")]
    public void Exports_MatchTheirGoldenFiles(DashboardFormat format, string golden) =>
        Reporting.Golden.AssertMatches(DashboardExport.Render(Run(), format), golden);

    [Test]
    public void Report_TimesAreBdnsStatistics_WithoutTheOutlier()
    {
        var csv = RunReport.Render(Run(), ReportFormat.Csv).Split('\n');
        Assert.That(csv[0], Is.EqualTo("Type,Method,size,Mean [ns],Error [ns],StdDev [ns],Median [ns],Allocated [B],Peak [B],Allocations,Retained [B]"));
        var cells = csv[1].Split(',');
        Assert.That(double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(100.0), "mean of 100, 101, 99, 102, 98, 100");
        Assert.That(double.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(Math.Sqrt(2)).Within(1e-12), "sd: squares 0,1,1,4,4,0 over 5");
        Assert.That(cells[7..], Is.EqualTo(new[] { "128", "4000", "3", "24" }));
    }

    [Test]
    public void GithubActionBenchmark_EntriesHaveTheCustomToolsFields()
    {
        // github-action-benchmark's customSmallerIsBetter: an array of { name, unit, value, range?, extra? }, value a number.
        var entries = JsonNode.Parse(DashboardExport.Render(Run(), DashboardFormat.GithubActionBenchmark))!.AsArray();
        Assert.That(entries.Select(e => (string)e!["name"]!), Is.EqualTo(new[]
        {
            "Examples.Work.Alloc(size: 10)", "Examples.Work.Alloc(size: 10) - peak", "Examples.Work.Alloc(size: 10) - allocated",
            "Examples.Work.Alloc(size: 10) - allocations",
        }));
        Assert.That(entries.Select(e => ((string)e!["unit"]!, (double)e["value"]!)), Is.EqualTo(new[] { ("ns", 100.0), ("bytes", 4000.0), ("bytes", 128.0), ("objects", 3.0) }));
        foreach (var e in entries)
            Assert.That(e!.AsObject().Select(p => p.Key), Is.SubsetOf(new[] { "name", "unit", "value", "range", "extra" }));
    }

    [Test]
    public void Bencher_IsValidBencherMetricFormat()
    {
        // BMF: benchmark name -> measure slug -> { value (required), lower_value, upper_value }, all numbers.
        var schema = JsonSchema.FromText("""
            { "type": "object", "additionalProperties": { "type": "object", "additionalProperties": {
              "type": "object", "required": ["value"], "additionalProperties": false,
              "properties": { "value": { "type": "number" }, "lower_value": { "type": "number" }, "upper_value": { "type": "number" } } } } }
            """);
        using var doc = JsonDocument.Parse(DashboardExport.Render(Run(), DashboardFormat.Bencher));
        Assert.That(schema.Evaluate(doc.RootElement).IsValid, Is.True);
        var latency = doc.RootElement.GetProperty("Examples.Work.Alloc(size: 10)").GetProperty("latency");
        Assert.That(latency.GetProperty("value").GetDouble(), Is.EqualTo(100.0));
        Assert.That(latency.GetProperty("upper_value").GetDouble(), Is.EqualTo(100 + Math.Sqrt(2)).Within(1e-12));
    }

    [TestCase("/r/Tests-report-full.json", ReportFormat.Markdown, "/r/Tests-report-github.md")]
    [TestCase("/r/Tests-report-full.json", ReportFormat.Csv, "/r/Tests-report.csv")]
    [TestCase("/r/out.json", ReportFormat.Html, "/r/out-report.html")]
    public void ReportFiles_AreNamedAsBdnNamesThem(string results, ReportFormat format, string expected) =>
        Assert.That(RunReport.PathFor(results, format), Is.EqualTo(expected));

    [Test]
    public void WriteBeside_WritesEachChosenReport_FromTheFile()
    {
        using var dir = new TempDirectory();
        var results = dir.File("Perf-report-full.json");
        File.Copy(Fixture("BdnShape.json"), results);
        var written = RunReport.WriteBeside(results, [ReportFormat.Markdown, ReportFormat.Csv]);
        Assert.That(written.Select(Path.GetFileName), Is.EqualTo(new[] { "Perf-report-github.md", "Perf-report.csv" }));
        Assert.That(File.ReadAllText(dir.File("Perf-report.csv")), Is.EqualTo(RunReport.Render(Run(), ReportFormat.Csv)));
        Assert.That(dir.FileNames(), Is.EquivalentTo(new[] { "Perf-report-full.json", "Perf-report-github.md", "Perf-report.csv" }), "no temp file left");
    }
}
