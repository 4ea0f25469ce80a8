using Benchmem.Cli.Tests.Infrastructure;
using Benchmem.Core.Memory;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;
using static Benchmem.Cli.Tests.Infrastructure.ResultFiles;

namespace Benchmem.Cli.Tests;

/// <summary><c>benchmem list</c>, <c>benchmem export --format long-csv</c> and <c>compare --pivot --fail-on</c> through the real process.</summary>
public class ListExportPivotTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void Create() => _dir = new TempDirectory();

    [TearDown]
    public void Delete() => _dir.Dispose();

    [Test]
    public void List_ShowsEverySavedRunWithItsFacts_AndADamagedOneAsUnreadable()
    {
        var machine = _dir.Folder(Path.Combine("store", "Linux-net10.0-X64"));
        Write(Path.Combine(machine, "0001_base.json"), Run("Perf-20261123-201500", machine: "ci-1"), Record("Sort", 10, [100, 110], [1000], 1000));
        var dirty = Run("Perf-20261124-080000", machine: "ci-2") with
        {
            Started = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
            Commit = new CommitInfo("fedcba9876543210fedcba9876543210fedcba98", Dirty: true, Branch: "pr"),
        };
        Write(Path.Combine(machine, "0002_pr.json"), dirty, Record("Sort", 10, [100], [1000], 1000), Record("Sort", 20, [200], [2000], 2000),
            Record("Sort", 30, [300], [3000], 3000));
        File.WriteAllText(Path.Combine(machine, "notes.json"), "{}"); // not NNNN_name.json: not a saved run

        var clean = Tool.Run("list", Path.Combine(_dir.Path, "store"));
        Assert.That(clean.ExitCode, Is.EqualTo(0), clean.ToString());
        Assert.That(clean.StdoutLines, Is.EqualTo(new[]
        {
            machine + ":",
            "  Number  Name  Date              Commit         Machine  Benchmarks",
            "  0001    base  2026-11-23 20:15  0123456        ci-1              1",
            "  0002    pr    2026-11-24 08:00  fedcba9-dirty  ci-2              3",
        }));
        Assert.That(clean.Stderr, Is.Empty);

        File.WriteAllText(Path.Combine(machine, "0003_cut.json"), "{\"Benchmarks\": [");
        var damaged = Tool.Run("list", machine); // a machine folder given directly
        Assert.That(damaged.ExitCode, Is.EqualTo(2), damaged.ToString());
        Assert.That(damaged.StdoutLines[^1], Is.EqualTo("  0003    cut   -                 -              Linux-net10.0-X64  unreadable"));
        Assert.That(damaged.StderrLines, Has.Length.EqualTo(1));
        Assert.That(damaged.StderrLines[0], Does.StartWith($"benchmem: {Path.Combine(machine, "0003_cut.json")}: not valid JSON"));
    }

    [Test]
    public void List_OfAMissingOrEmptyFolder_IsOneLine()
    {
        var missing = Tool.Run("list", _dir.File("nope"));
        Assert.That(missing.ExitCode, Is.EqualTo(2));
        Assert.That(missing.StderrLines, Is.EqualTo(new[] { $"benchmem: {_dir.File("nope")}: no such directory; give the saved-runs folder (Benchmem.Storage, "
            + "default .benchmarks in the test project), after a run with Benchmem.Save=NAME or Benchmem.Autosave=true." }));
        var empty = Tool.Run("list", _dir.Folder("empty"));
        Assert.That(empty.ExitCode, Is.EqualTo(2));
        Assert.That(empty.StderrLines, Is.EqualTo(new[] { $"benchmem: {_dir.File("empty")}: no saved runs (NNNN_name.json) in it or its machine folders; "
            + "save one with Benchmem.Save=NAME or Benchmem.Autosave=true." }));
    }

    [Test]
    public void ExportLongCsv_IsOneRowPerSample_EveryDimAColumn()
    {
        var a = Record("Sort", 10, [100.5, 120], [1000, 1008], 1024, allocations: 3, group: "g");
        a.Dims["impl"] = "quick, sort"; // a comma: the cell is quoted
        var b = new BenchmarkRecord
        {
            Namespace = "Perf", Type = "Plain", Method = "Time", FullName = "Perf.Plain.Time",
            Timing = new TimingResult { RoundNanoseconds = [7], IterationsPerRound = 1 },
            Allocation = new AllocationResult { TotalOperations = 1, BytesAllocatedPerOperation = 40 },
        };
        var first = Write(_dir.File("one.json"), "one", a);
        var second = Write(_dir.File("two.json"), "two", b);

        var result = Tool.Run("export", first, second, "--format", "long-csv", "-l", "main", "-l", "pr");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        // time: one row per round; each memory metric one per pass (rss, gen0–2 not measured: none); no passes: allocated per op.
        string A(string metric, string sample, string value, string unit) =>
            $"main,Perf.SortBenchmarks.Sort(n: 10),Perf,SortBenchmarks,Sort,g,10,\"quick, sort\",{metric},{sample},{value},{unit}";
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            "run,benchmark,namespace,type,method,group,n,impl,metric,sample,value,unit",
            A("peak", "1", "1000", "B"), A("peak", "2", "1008", "B"),
            A("allocated", "1", "1024", "B"), A("allocated", "2", "1024", "B"),
            A("allocations", "1", "3", "count"), A("allocations", "2", "3", "count"),
            A("retained", "1", "0", "B"), A("retained", "2", "0", "B"),
            A("gen0", "1", "0", "count"), A("gen0", "2", "0", "count"),
            A("gen1", "1", "0", "count"), A("gen1", "2", "0", "count"),
            A("gen2", "1", "0", "count"), A("gen2", "2", "0", "count"),
            A("time", "1", "100.5", "ns"), A("time", "2", "120", "ns"),
            "pr,Perf.Plain.Time,Perf,Plain,Time,,,,allocated,per-op,40,B",
            "pr,Perf.Plain.Time,Perf,Plain,Time,,,,time,1,7,ns",
        }));
    }

    [Test]
    public void Export_RefusesAmbiguousRequests_InOneLine()
    {
        var run = Write(_dir.File("r.json"), "r", Record("Sort", 10, [100], [1000], 1000));
        var other = Write(_dir.File("s.json"), "s", Record("Sort", 10, [100], [1000], 1000));
        (string[] Args, string Line)[] cases =
        [
            ([run], "benchmem: give --to github-action-benchmark|bencher (a dashboard's format), or --format long-csv (the tidy table)."),
            ([run, "--to", "bencher", "--format", "long-csv"], "benchmem: --to and --format are two different exports: give one of them."),
            ([run, "--format", "wide"], "benchmem: --format: unknown format 'wide': use long-csv (or --to for a dashboard's format)."),
            ([run, other, "--to", "bencher"], "benchmem: --to exports one run, and 2 were given; export them one by one, or use --format long-csv for several."),
            ([run, "--format", "long-csv", "-o", run], $"benchmem: -o {run} is a results file being read; write the export to another file."),
        ];
        foreach (var (args, line) in cases)
        {
            var result = Tool.Run(["export", .. args]);
            Assert.That((result.ExitCode, result.StderrLines), Is.EqualTo((2, new[] { line })), string.Join(' ', args));
        }
    }

    [Test]
    public void ComparePivot_GatesOneRunAlongTheDim_FirstValueIsTheBaseline()
    {
        static BenchmarkRecord Impl(string impl, long n, long allocated)
        {
            var r = Record("Sort", n, [100], [allocated], allocated);
            r.FullName = $"Perf.SortBenchmarks.Sort(n: {n}, impl: \"{impl}\")";
            r.Dims["impl"] = impl;
            return r;
        }
        var run = Write(_dir.File("ab.json"), "ab", Impl("a", 10, 1000), Impl("b", 10, 1500), Impl("a", 20, 2000), Impl("b", 20, 2000));

        var result = Tool.Run("compare", run, "--pivot", "impl", "--columns", "allocated", "--fail-on", "allocated:10%");
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain("benchmem: ab impl=b against ab impl=a: 1 regression"));
        Assert.That(result.Stderr, Does.Contain("Sort(n: 10): 1000 B → 1.46 KiB (+50.0%)").And.Not.Contain("Sort(n: 20):"));

        var passing = Tool.Run("compare", run, "--pivot", "impl", "--fail-on", "allocated:60%");
        Assert.That(passing.ExitCode, Is.EqualTo(0), passing.ToString());

        var single = Write(_dir.File("a.json"), "a", Impl("a", 10, 1000));
        var lone = Tool.Run("compare", single, "--pivot", "impl", "--fail-on", "allocated:60%");
        Assert.That(lone.ExitCode, Is.EqualTo(2), lone.ToString());
        Assert.That(lone.StderrLines, Is.EqualTo(new[] { "benchmem: --pivot impl --fail-on: a has one value of the dim impl, so there is nothing to gate "
            + "along it; give a dim with two or more values (the first is the baseline)." }));
    }

    [Test]
    public void ACustomMetric_IsComparedGatedExportedAndPlotted_AsMetricName()
    {
        BenchmarkRecord WithRows(long n, double rows)
        {
            var r = Record("Parse", n, [100], [1000], 1000);
            r.Metrics["rows"] = rows;
            return r;
        }
        var before = Write(_dir.File("before.json"), "before", WithRows(10, 1000), WithRows(100, 10_000));
        var after = Write(_dir.File("after.json"), "after", WithRows(10, 1000), WithRows(100, 12_500.5));

        var gate = Tool.Run("compare", before, after, "--columns", "metric.rows", "--fail-on", "metric.rows:10%");
        Assert.That(gate.ExitCode, Is.EqualTo(1), gate.ToString());
        Assert.That(gate.Stdout, Does.Contain("metric.rows"));
        Assert.That(gate.Stdout, Does.Contain("12,500.5"));
        Assert.That(gate.Stderr, Does.Contain("Parse(n: 100): 10,000 → 12,500.5 (+25.0%)").And.Not.Contain("Parse(n: 10):"));
        Assert.That(Tool.Run("compare", before, after, "--fail-on", "metric.rows:30%").ExitCode, Is.EqualTo(0));

        var csv = Tool.Run("export", after, "--format", "long-csv").StdoutLines;
        Assert.That(csv, Does.Contain("after,Perf.SortBenchmarks.Parse(n: 100),Perf,SortBenchmarks,Parse,,100,metric.rows,value,12500.5,count"));

        var page = _dir.File("rows.html");
        var plot = Tool.Run("plot", after, "--columns", "metric.rows", "-o", page);
        Assert.That(plot.ExitCode, Is.EqualTo(0), plot.ToString());
        var ys = PlotOutput.Traces(PlotOutput.Figure(page)).SelectMany(t => PlotOutput.Numbers(t.GetProperty("y"))).ToArray();
        Assert.That(ys, Is.EquivalentTo(new double?[] { 1000, 12_500.5 }), "the recorded numbers, n on x");

        var missing = Tool.Run("compare", before, after, "--fail-on", "metric.other:10%");
        Assert.That(missing.ExitCode, Is.EqualTo(0), "not comparable is reported, as for a built-in metric a run did not measure");
        Assert.That(missing.Stderr, Does.Contain("Not comparable, not checked (2):")
            .And.Contain("metric.other  SortBenchmarks.Parse(n: 100): not measured in either run"), missing.ToString());
    }
}
