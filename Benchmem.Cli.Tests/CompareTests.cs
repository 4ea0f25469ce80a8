using Benchmem.Cli.Tests.Infrastructure;
using Benchmem.Core.Results;
using static Benchmem.Cli.Tests.Infrastructure.ResultFiles;

namespace Benchmem.Cli.Tests;

/// <summary>
/// <c>benchmem compare</c> on crafted runs: base.json and new.json differ only in Sort(n: 100)'s peak, which grows
/// from 10,000 B to 15,000 B (+50%); timing samples are identical, so nothing else changes.
/// </summary>
public class CompareTests
{
    private TempDirectory _dir = null!;

    private static readonly double[] Fast = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109];
    private static readonly double[] Slow = [1000, 1010, 1020, 1030, 1040, 1050, 1060, 1070, 1080, 1090];

    private static BenchmarkRecord[] Base() =>
    [
        Record("Sort", 10, Fast, [1000, 1100], 1000, allocations: 10, group: "sort"),
        Record("Sort", 100, Slow, [10_000, 10_100], 10_000, allocations: 10, group: "sort"),
        Record("Parse", 10, Slow, [4096], 4096, allocations: 5, group: "parse", type: "ParseBenchmarks"),
    ];

    private static BenchmarkRecord[] Grown() =>
    [
        Record("Sort", 10, Fast, [1000, 1100], 1000, allocations: 10, group: "sort"),
        Record("Sort", 100, Slow, [15_000, 15_500], 10_000, allocations: 10, group: "sort"),
        Record("Parse", 10, Slow, [4096], 4096, allocations: 5, group: "parse", type: "ParseBenchmarks"),
    ];

    [SetUp]
    public void WriteRuns()
    {
        _dir = new TempDirectory();
        Write(_dir.File("base.json"), "base", Base());
        Write(_dir.File("new.json"), "new", Grown());
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private CliResult Compare(params string[] args) => Tool.Run(["compare", .. args], _dir.Path, environment: null);

    [Test]
    public void Table_has_a_block_per_benchmark_with_a_row_per_run_and_multipliers_against_the_best()
    {
        var result = Compare("base.json", "new.json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stderr, Is.Empty);
        var lines = result.StdoutLines;
        Assert.That(lines[0], Does.Contain(" compare: 3 benchmarks, 2 runs "));
        Assert.That(lines[1], Does.Match(@"^Benchmark\s+Run\s+time median\s+peak\s+allocated\s+allocations$"));
        // Name order, numbers as numbers; the grown peak is 1.50 times the best (the baseline's).
        var sortN100 = Array.FindIndex(lines, l => l.StartsWith("SortBenchmarks.Sort(n: 100) ", StringComparison.Ordinal));
        Assert.That(lines.Select(l => l.Split("   ")[0]).Where(l => l.Contains("Benchmarks.")),
            Is.EqualTo(new[] { "ParseBenchmarks.Parse(n: 10)", "SortBenchmarks.Sort(n: 10)", "SortBenchmarks.Sort(n: 100)" }));
        Assert.That(lines[sortN100], Does.Match(@"^SortBenchmarks\.Sort\(n: 100\)\s+base\s.*9\.77 KiB \(1\.0\)"));
        Assert.That(lines[sortN100 + 1], Does.Match(@"^\s+new\s.*14\.6 KiB \(1\.50\)"));
        Assert.That(result.Stdout, Does.Not.Contain("\u001b["), "no colour when stdout is redirected");
    }

    [Test]
    public void Markdown_is_a_github_table()
    {
        var result = Compare("base.json", "new.json", "--format", "md");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var lines = result.StdoutLines;
        Assert.That(lines[0], Is.EqualTo("| Benchmark | Run | time median | peak | allocated | allocations |"));
        Assert.That(lines[1], Is.EqualTo("|:---|:---|---:|---:|---:|---:|"));
        Assert.That(lines, Has.Some.Match(@"^\| `SortBenchmarks\.Sort\(n: 100\)` \| base \| .* \| 9\.77 KiB \(1\.0\) \|"));
        Assert.That(lines, Has.Some.Match(@"^\|  \| new \| .* \| 14\.6 KiB \(1\.50\) \|"));
    }

    [Test]
    public void Csv_on_stdout_and_in_the_csv_file_are_the_same_raw_numbers()
    {
        var result = Compare("base.json", "new.json", "--format", "csv", "--columns", "peak,allocations", "--csv", "out/compare.csv");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            "benchmark,run,peak (B),allocations",
            "Perf.ParseBenchmarks.Parse(n: 10),base,4096,5",
            "Perf.ParseBenchmarks.Parse(n: 10),new,4096,5",
            "Perf.SortBenchmarks.Sort(n: 10),base,1000,10",
            "Perf.SortBenchmarks.Sort(n: 10),new,1000,10",
            "Perf.SortBenchmarks.Sort(n: 100),base,10000,10",
            "Perf.SortBenchmarks.Sort(n: 100),new,15000,10",
        }));
        Assert.That(File.ReadAllText(_dir.File("out/compare.csv")), Is.EqualTo(result.Stdout));
    }

    [Test]
    public void Csv_file_beside_the_table()
    {
        var result = Compare("base.json", "new.json", "--csv", "compare.csv");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[1], Does.StartWith("Benchmark"));
        Assert.That(File.ReadAllLines(_dir.File("compare.csv"))[0], Does.StartWith("benchmark,run,time median (ns),"));
    }

    [Test]
    public void Fail_on_lists_exactly_the_grown_benchmark_and_exits_1()
    {
        var result = Compare("base.json", "new.json", "--fail-on", "peak:10%", "--fail-on", "allocations:5%,time:5%");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdoutLines[0], Does.Contain(" compare: 3 benchmarks, 2 runs "), "the table is still printed");
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: new against base: 1 regression: 3 benchmarks compared (rules: peak:10%, allocations:5%, time:5%):",
            "  peak  SortBenchmarks.Sort(n: 100): 9.77 KiB → 14.6 KiB (+50.0%)",
            "benchmem: time rules: times are over every round, outliers included; the results file's Statistics leave upper outliers out, as BenchmarkDotNet does.",
        }));
    }

    [Test]
    public void Fail_on_within_the_limit_exits_0()
    {
        var result = Compare("base.json", "new.json", "--fail-on", "peak:50%", "--fail-on", "allocated:0%");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: new against base: No regressions: 3 benchmarks compared (rules: peak:50%, allocated:0%).",
        }));
    }

    [Test]
    public void Fail_on_an_absolute_limit()
    {
        Assert.That(Compare("base.json", "new.json", "--fail-on", "peak:4KiB").ExitCode, Is.EqualTo(1));
        Assert.That(Compare("base.json", "new.json", "--fail-on", "peak:5KB").ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Fail_on_reports_benchmarks_on_one_side_only_without_failing()
    {
        Write(_dir.File("fewer.json"), "fewer", Base()[..2]);

        var result = Compare("base.json", "fewer.json", "--fail-on", "peak:10%");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: fewer against base: No regressions: 2 benchmarks compared (rules: peak:10%).",
            "  Only in the baseline (1): Perf.ParseBenchmarks.Parse(n: 10)",
        }));
    }

    [Test]
    public void With_three_runs_each_later_run_is_gated_against_the_first()
    {
        Write(_dir.File("same.json"), "same", Base());

        var result = Compare("base.json", "same.json", "new.json", "--fail-on", "peak:10%");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdoutLines[0], Does.Contain(" compare: 3 benchmarks, 3 runs "));
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: same against base: No regressions: 3 benchmarks compared (rules: peak:10%).",
            "benchmem: new against base: 1 regression: 3 benchmarks compared (rules: peak:10%):",
            "  peak  SortBenchmarks.Sort(n: 100): 9.77 KiB → 14.6 KiB (+50.0%)",
        }));
    }

    [Test]
    public void A_time_rule_reports_significance()
    {
        var slower = Base();
        slower[0] = Record("Sort", 10, Fast.Select(t => t * 2).ToArray(), [1000, 1100], 1000, allocations: 10, group: "sort");
        Write(_dir.File("slower.json"), "slower", slower);

        var result = Compare("base.json", "slower.json", "--fail-on", "time:10%:significant");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(4), result.ToString());
        Assert.That(result.StderrLines[0], Is.EqualTo("benchmem: slower against base: 1 regression: 3 benchmarks compared (rules: time:10%:significant):"));
        Assert.That(result.StderrLines[3], Is.EqualTo("benchmem: time rules: times are over every round, outliers included; "
            + "the results file's Statistics leave upper outliers out, as BenchmarkDotNet does."));
        Assert.That(result.StderrLines[1], Does.StartWith("  time  SortBenchmarks.Sort(n: 10): 104.5 ns → 209.0 ns (+100.0%), significant"));
        Assert.That(result.StderrLines[2], Is.EqualTo("  " + Benchmem.Core.Compare.GateResult.SignificanceNote), "what a p-value can and cannot tell");
    }

    [Test]
    public void A_directory_means_its_runs_in_name_order_labelled_by_file_name()
    {
        var saved = _dir.Folder("saved");
        Write(Path.Combine(saved, "0002_after.json"), "after", Grown());
        Write(Path.Combine(saved, "0001_before.json"), "before", Base());

        var result = Compare("saved", "--fail-on", "peak:10%");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdoutLines, Has.Some.Match(@"^SortBenchmarks\.Sort\(n: 100\)\s+0001_before\s"));
        Assert.That(result.StdoutLines, Has.Some.Match(@"^\s+0002_after\s.*\(1\.50\)"));
        Assert.That(result.StderrLines[0], Does.StartWith("benchmem: 0002_after against 0001_before: 1 regression:"));
    }

    [Test]
    public void Labels_name_the_runs_in_order()
    {
        var result = Compare("base.json", "new.json", "-l", "main", "--label", "feature");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Has.Some.Match(@"^SortBenchmarks\.Sort\(n: 100\)\s+main\s"));
        Assert.That(result.StdoutLines, Has.Some.Match(@"^\s+feature\s.*\(1\.50\)"));
    }

    [Test]
    public void Diff_shows_the_change_against_the_first_run()
    {
        var result = Compare("base.json", "new.json", "--diff", "--columns", "peak");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Has.Some.Match(@"^\s+new\s.*\+50\.0%"));
        Assert.That(result.Stdout, Does.Not.Contain("(1.50)"));
    }

    [Test]
    public void Pivot_spreads_a_dim_across_the_columns()
    {
        var result = Compare("base.json", "new.json", "--pivot", "n", "--columns", "peak");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[1], Does.Match(@"^Benchmark\s+Run\s+peak n=10\s+peak n=100$"));
    }

    [Test]
    public void Group_by_gives_a_section_per_group()
    {
        var result = Compare("base.json", "new.json", "--group-by", "group");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines.Where(l => l.StartsWith("---", StringComparison.Ordinal) && l.Contains(": ")).Select(l => l.Trim('-', ' ')),
            Is.EqualTo(new[] { "group 'parse': 1 benchmark, 2 runs", "group 'sort': 2 benchmarks, 2 runs" }));
    }

    [Test]
    public void Sort_by_change_puts_the_grown_benchmark_first()
    {
        var result = Compare("base.json", "new.json", "--sort", "change", "--columns", "peak");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[3], Does.StartWith("SortBenchmarks.Sort(n: 100) "));
    }

    [Test]
    public void Stat_all_shows_every_timing_statistic()
    {
        var result = Compare("base.json", "new.json", "--stat", "all", "--columns", "time");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[1], Does.Match(@"^Benchmark\s+Run\s+time min\s+time max\s+time mean\s+time stddev\s+time median$"));
    }

    [Test]
    public void Colour_only_when_forced_and_never_with_NO_COLOR()
    {
        var forced = Tool.Run(["compare", "base.json", "new.json"], _dir.Path, new Dictionary<string, string?> { ["FORCE_COLOR"] = "1" });
        var vetoed = Tool.Run(["compare", "base.json", "new.json"], _dir.Path, new Dictionary<string, string?> { ["FORCE_COLOR"] = "1", ["NO_COLOR"] = "1" });

        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.ToString());
        Assert.That(forced.Stdout, Does.Contain("\u001b[32m9.77 KiB (1.0)\u001b[0m"), "best in green");
        Assert.That(forced.Stdout, Does.Match("\u001b\\[(31|91)m14\\.6 KiB \\(1\\.50\\)\u001b\\[0m"), "worst in red");
        Assert.That(vetoed.Stdout, Does.Not.Contain("\u001b["));
        Assert.That(Strip(forced.Stdout), Is.EqualTo(vetoed.Stdout), "colour changes nothing but the escapes");
    }

    [Test]
    public void Markdown_and_csv_are_never_coloured()
    {
        var env = new Dictionary<string, string?> { ["FORCE_COLOR"] = "1" };
        Assert.That(Tool.Run(["compare", "base.json", "new.json", "--format", "md"], _dir.Path, env).Stdout, Does.Not.Contain("\u001b["));
        Assert.That(Tool.Run(["compare", "base.json", "new.json", "--format", "csv"], _dir.Path, env).Stdout, Does.Not.Contain("\u001b["));
    }

    [Test]
    public void A_BenchmarkDotNet_export_compares_on_time_and_allocated()
    {
        File.WriteAllText(_dir.File("bdn.json"), """
            {
              "Title": "Perf.SortBenchmarks-20261123",
              "HostEnvironmentInfo": { "BenchmarkDotNetVersion": "0.15.8" },
              "Benchmarks": [{
                "Namespace": "Perf", "Type": "SortBenchmarks", "Method": "Sort", "Parameters": "n=100",
                "FullName": "Perf.SortBenchmarks.Sort(n: 100)",
                "Statistics": { "OriginalValues": [2000, 2010, 2020, 2030, 2040], "N": 5, "Median": 2020 },
                "Memory": { "Gen0Collections": 0, "Gen1Collections": 0, "Gen2Collections": 0, "TotalOperations": 16, "BytesAllocatedPerOperation": 12000 }
              }]
            }
            """);

        var result = Compare("base.json", "bdn.json", "--fail-on", "allocated:10%,peak:10%");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdoutLines, Has.Some.Match(@"^\s+bdn\s"));
        Assert.That(result.StderrLines[0], Is.EqualTo("benchmem: bdn against base: 1 regression: 1 benchmark compared (rules: allocated:10%, peak:10%):"));
        Assert.That(result.StderrLines[1], Does.StartWith("  allocated  SortBenchmarks.Sort(n: 100): 9.77 KiB → 11.7 KiB (+20.0%)"));
    }

    private static string Strip(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");
}
