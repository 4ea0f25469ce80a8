using System.Text.Json;
using Benchmem.Cli.Tests.Infrastructure;
using Benchmem.Core.Exporters;
using Benchmem.Core.Results;
using static Benchmem.Cli.Tests.Infrastructure.ResultFiles;

namespace Benchmem.Cli.Tests;

/// <summary><c>benchmem report</c> and <c>benchmem export</c> through the real process, and older files through compare.</summary>
public class ReportExportTests
{
    private TempDirectory _dir = null!;
    private string _run = null!;

    [SetUp]
    public void WriteRun()
    {
        _dir = new TempDirectory();
        // 10 rounds around 100 ns and one of 5000 ns: an upper outlier BDN's statistics leave out.
        _run = Write(_dir.File("Perf-report-full.json"), "Perf-20261123-201500",
            Record("Sort", 10, [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 5000], [1000, 1100], 1000, allocations: 10));
    }

    [TearDown]
    public void Delete() => _dir.Dispose();

    [TestCase("md", ReportFormat.Markdown)]
    [TestCase("csv", ReportFormat.Csv)]
    [TestCase("html", ReportFormat.Html)]
    public void Report_PrintsTheFormat(string name, ReportFormat format)
    {
        var result = Tool.Run("report", _run, "--format", name);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Is.EqualTo(RunReport.Render(BenchmarkRun.Load(_run), format)));
        Assert.That(result.Stderr, Is.Empty);
    }

    /// <summary>The HTML report opened as a person would: headless Chromium reads the table, header and the row's mean.</summary>
    [Test]
    public void Report_Html_OpensInABrowserAsATable()
    {
        var page = _dir.File("report.html");
        var result = Tool.Run("report", _run, "--format", "html", "-o", page);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        string dom = Chromium.DumpDom(page);
        Assert.That(dom, Does.Contain("<table"), "a table element after the page loaded");
        Assert.That(dom, Does.Match(@"<td[^>]*>\s*SortBenchmarks\s*</td>\s*<td[^>]*>\s*Sort\s*</td>\s*<td[^>]*>\s*10\s*</td>"), "the benchmark's row: type, method, n");
        Assert.That(dom, Does.Contain("104.5"), "the mean without the 5000 ns outlier");
    }

    [Test]
    public void Report_Csv_MeanIsWithoutTheOutlier()
    {
        var row = Tool.Run("report", _run, "--format", "csv").StdoutLines[1].Split(',');
        Assert.That(row[3], Is.EqualTo("104.5"), "mean of 100..109; the 5000 ns round is an upper outlier");
    }

    [Test]
    public void Export_GithubActionBenchmark_ToAFile_ThenRefusesToOverwriteWithoutForce()
    {
        var target = _dir.File("gab.json");
        var first = Tool.Run("export", _run, "--to", "github-action-benchmark", "-o", target);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(first.StdoutLines, Is.EqualTo(new[] { $"benchmem: wrote {target}" }));
        var entries = JsonDocument.Parse(File.ReadAllText(target)).RootElement;
        Assert.That(entries.EnumerateArray().Select(e => e.GetProperty("name").GetString()), Is.EqualTo(new[]
            { "Perf.SortBenchmarks.Sort(n: 10)", "Perf.SortBenchmarks.Sort(n: 10) - peak", "Perf.SortBenchmarks.Sort(n: 10) - allocated", "Perf.SortBenchmarks.Sort(n: 10) - allocations" }));
        Assert.That(entries.EnumerateArray().Select(e => e.GetProperty("value").GetDouble()), Is.EqualTo(new[] { 104.5, 1000, 1000, 10 }));

        File.WriteAllText(target, "keep me");
        var again = Tool.Run("export", _run, "--to", "bencher", "-o", target);
        Assert.That(again.ExitCode, Is.EqualTo(2));
        Assert.That(again.StderrLines, Is.EqualTo(new[] { $"benchmem: -o {target} already exists; add --force to replace it, or choose another path." }));
        Assert.That(File.ReadAllText(target), Is.EqualTo("keep me"));

        var forced = Tool.Run("export", _run, "--to", "bencher", "-o", target, "--force");
        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.ToString());
        Assert.That(JsonDocument.Parse(File.ReadAllText(target)).RootElement.GetProperty("Perf.SortBenchmarks.Sort(n: 10)")
            .GetProperty("latency").GetProperty("value").GetDouble(), Is.EqualTo(104.5));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(_run)!).Select(Path.GetFileName), Is.EquivalentTo(new[] { "Perf-report-full.json", "gab.json" }), "no temp file left");
    }

    [Test]
    public void Output_IsNeverTheResultsFileItself()
    {
        var before = File.ReadAllBytes(_run);
        var result = Tool.Run("report", _run, "-o", _run, "--force");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"benchmem: -o {_run} is the results file being read; write the report to another file." }));
        Assert.That(File.ReadAllBytes(_run), Is.EqualTo(before));
    }

    [TestCase("report", "--format", "pdf", "benchmem: --format: 'pdf' is not a report format; use md, csv or html.")]
    [TestCase("export", "--to", "grafana", "benchmem: --to: 'grafana' is not an export format; use github-action-benchmark or bencher.")]
    public void AnUnknownFormat_IsOneLine(string command, string option, string value, string expected)
    {
        var result = Tool.Run(command, _run, option, value);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void AMissingInput_IsOneLine()
    {
        var result = Tool.Run("export", _dir.File("nope.json"), "--to", "bencher");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"benchmem: {_dir.File("nope.json")}: no such file." }));
    }

    [Test]
    public void Compare_ReadsASchema1File_AgainstANewOne()
    {
        var old = Path.Combine(AppContext.BaseDirectory, "Fixtures", "benchmem-schema1-report-full.json");
        var run = BenchmarkRun.Load(old);
        var now = ResultFiles.Write(_dir.File("now.json"), "now", run.Benchmarks.ToArray());
        var result = Tool.Run("compare", old, now, "--fail-on", "time:50%");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("Sort(n: 1000)").And.Contain("Sort(n: 10000)"));
        Assert.That(result.Stderr, Does.Contain("times are over every round, outliers included"));
    }
}
