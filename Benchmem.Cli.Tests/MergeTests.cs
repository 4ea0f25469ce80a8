using Benchmem.Cli.Tests.Infrastructure;
using static Benchmem.Cli.Tests.Infrastructure.ResultFiles;

namespace Benchmem.Cli.Tests;

public class MergeTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static readonly double[] Times = [100, 110, 120, 130, 140];

    private string Shard(string name, string machine, params string[] methods) =>
        Write(_dir.File(name), Run($"Perf-{name}", machine), methods.Select(m => Record(m, 10, Times, [1000], 1000)).ToArray());

    [Test]
    public void Joins_shards_in_order_and_keeps_the_first_shards_title_and_host()
    {
        var a = Shard("shard-a.json", "node-a", "Sort", "Reverse");
        var b = Shard("shard-b.json", "node-b", "Shuffle");
        var c = Shard("shard-c.json", "node-c", "Search", "Insert");
        var output = _dir.File("merged.json");

        var result = Tool.Run("merge", a, b, c, "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stderr, Is.Empty);
        Assert.That(result.StdoutLines, Is.EqualTo(new[] { $"benchmem: merged 3 shard(s), 5 benchmark(s) into {output}." }));
        Assert.That(FullNames(output), Is.EqualTo(new[]
        {
            "Perf.SortBenchmarks.Sort(n: 10)", "Perf.SortBenchmarks.Reverse(n: 10)", "Perf.SortBenchmarks.Shuffle(n: 10)",
            "Perf.SortBenchmarks.Search(n: 10)", "Perf.SortBenchmarks.Insert(n: 10)",
        }));
        var root = Root(output);
        Assert.That(root.GetProperty("Title").GetString(), Is.EqualTo("Perf-shard-a.json"));
        Assert.That(root.GetProperty("Benchmem").GetProperty("MachineInfo").GetProperty("Node").GetString(), Is.EqualTo("node-a"));
        Assert.That(root.GetProperty("HostEnvironmentInfo").GetProperty("ProcessorName").GetString(), Is.EqualTo("Test CPU @ 3.00GHz"));
    }

    [Test]
    public void The_merged_file_reads_back_with_every_series_intact()
    {
        var a = Write(_dir.File("a.json"), "a", Record("Sort", 10, [1, 2, 3], [4096, 4000, 4100], 512, allocations: 7));
        var b = Write(_dir.File("b.json"), "b", Record("Sort", 20, [4, 5, 6], [8192], 1024, allocations: 9));
        var output = _dir.File("out/merged.json");

        var result = Tool.Run("merge", a, b, "--output", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var run = Benchmem.Core.Results.BenchmarkRun.Load(output);
        Assert.That(run.Benchmarks.Select(r => r.FullName), Is.EqualTo(new[] { "Perf.SortBenchmarks.Sort(n: 10)", "Perf.SortBenchmarks.Sort(n: 20)" }));
        var first = run.Benchmarks[0];
        Assert.That(first.Timing!.RoundNanoseconds, Is.EqualTo(new double[] { 1, 2, 3 }));
        Assert.That(first.Memory!.Passes.Select(p => p.PeakBytes), Is.EqualTo(new long[] { 4096, 4000, 4100 }));
        Assert.That(first.Memory.Passes.Select(p => p.Allocations), Is.EqualTo(new long?[] { 7, 7, 7 }));
        Assert.That(run.Benchmarks[1].Allocation!.BytesAllocatedPerOperation, Is.EqualTo(1024));
        Assert.That(run.Benchmarks[1].Dims["n"], Is.EqualTo(20L));
    }

    [Test]
    public void The_same_FullName_in_two_shards_is_an_error_naming_both_files_and_nothing_is_written()
    {
        var a = Shard("shard-a.json", "node-a", "Sort", "Reverse");
        var b = Shard("shard-b.json", "node-b", "Shuffle", "Reverse");
        var output = _dir.File("merged.json");

        var result = Tool.Run("merge", a, b, "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            $"benchmem: merge: \"Perf.SortBenchmarks.Reverse(n: 10)\" is in both {a} and {b}; give each shard distinct benchmarks, or pass --prefer last (or first) to keep one.",
        }));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void Prefer_last_takes_the_later_shards_benchmark_in_the_earlier_position()
    {
        var a = Write(_dir.File("shard-a.json"), "a",
            Record("Sort", 10, Times, [1000], 1000), Record("Reverse", 10, Times, [1000], 1000));
        var rerun = Write(_dir.File("shard-b.json"), "b",
            Record("Shuffle", 10, Times, [1000], 1000), Record("Reverse", 10, Times, [2222], 2222));
        var output = _dir.File("merged.json");

        var result = Tool.Run("merge", a, rerun, "-o", output, "--prefer", "last");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[] { $"benchmem: merged 2 shard(s), 3 benchmark(s) into {output} (1 duplicate(s) taken from the later shard)." }));
        Assert.That(FullNames(output), Is.EqualTo(new[]
        {
            "Perf.SortBenchmarks.Sort(n: 10)", "Perf.SortBenchmarks.Reverse(n: 10)", "Perf.SortBenchmarks.Shuffle(n: 10)",
        }));
        var reverse = Benchmem.Core.Results.BenchmarkRun.Load(output).Benchmarks[1];
        Assert.That(reverse.Memory!.Headline.PeakBytes, Is.EqualTo(2222));
    }

    [Test]
    public void Prefer_first_keeps_the_earlier_shards_benchmark()
    {
        var a = Write(_dir.File("shard-a.json"), "a", Record("Reverse", 10, Times, [1000], 1000));
        var b = Write(_dir.File("shard-b.json"), "b", Record("Reverse", 10, Times, [2222], 2222));
        var output = _dir.File("merged.json");

        var result = Tool.Run("merge", a, b, "-o", output, "--prefer", "first");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(Benchmem.Core.Results.BenchmarkRun.Load(output).Benchmarks.Single().Memory!.Headline.PeakBytes, Is.EqualTo(1000));
    }

    [Test]
    public void A_directory_means_its_json_files_in_name_order_without_the_output_itself()
    {
        var shards = _dir.Folder("shards");
        Write(Path.Combine(shards, "2-b.json"), "b", Record("Shuffle", 10, Times, [1000], 1000));
        Write(Path.Combine(shards, "1-a.json"), "a", Record("Sort", 10, Times, [1000], 1000));
        File.WriteAllText(Path.Combine(shards, "notes.txt"), "not a run");
        var output = Path.Combine(shards, "merged.json");

        var first = Tool.Run("merge", shards, "-o", output);
        var again = Tool.Run("merge", shards, "-o", output);   // the output now sits in the folder: not a shard

        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        Assert.That(FullNames(output), Is.EqualTo(new[] { "Perf.SortBenchmarks.Sort(n: 10)", "Perf.SortBenchmarks.Shuffle(n: 10)" }));
        Assert.That(Root(output).GetProperty("Title").GetString(), Is.EqualTo("a"));
    }

    [Test]
    public void A_bad_shard_fails_with_its_own_message_and_nothing_is_written()
    {
        var a = Shard("shard-a.json", "node-a", "Sort");
        var broken = _dir.File("shard-b.json");
        File.WriteAllText(broken, "{ \"Benchmarks\": [ ");
        var output = _dir.File("merged.json");

        var result = Tool.Run("merge", a, broken, "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.StderrLines[0], Does.StartWith($"benchmem: {broken}: not valid JSON ("));
        Assert.That(result.StderrLines[0], Does.EndWith("; was the file cut short?"));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void Output_is_required()
    {
        var a = Shard("shard-a.json", "node-a", "Sort");

        var result = Tool.Run("merge", a);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { "benchmem: Option '--output' is required; see 'benchmem merge --help'." }));
    }

    [Test]
    public void An_unknown_prefer_value_is_refused()
    {
        var a = Shard("shard-a.json", "node-a", "Sort");

        var result = Tool.Run("merge", a, "-o", _dir.File("m.json"), "--prefer", "newest");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: --prefer 'newest' is not a choice; use --prefer last (keep the later shard's benchmark) or --prefer first.",
        }));
    }
}

/// <summary><c>merge --recover</c>: the journals an interrupted run left become a valid results file.</summary>
public class MergeRecoverTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static readonly double[] Times = [100, 110, 120];

    /// <summary>A journal as a killed test host leaves it: complete lines, and the last one cut short.</summary>
    private string Journal(string name, string cutShort, params string[] methods)
    {
        var path = _dir.File(name);
        using (var stream = File.Create(path))
        {
            foreach (var m in methods)
                stream.Write(Benchmem.Core.Results.ResultsJson.ToJournalLine(Record(m, 10, Times, [1000], 1000)));
            stream.Write(System.Text.Encoding.UTF8.GetBytes(cutShort));
        }
        return path;
    }

    [Test]
    public void Keeps_every_finished_benchmark_and_says_what_was_dropped()
    {
        Journal("Tests-report-full.json.4242.journal", "{\"FullName\":\"Perf.SortBenchmarks.Cut", "Sort", "Reverse");
        var output = _dir.File("recovered.json");

        var result = Tool.Run("merge", "--recover", _dir.Path, "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            "benchmem: recovered 2 finished benchmark(s) from 1 journal(s) of interrupted runs; 1 line(s) cut short by the crash dropped.",
            $"benchmem: merged 1 shard(s), 2 benchmark(s) into {output}.",
        }));
        Assert.That(FullNames(output), Is.EqualTo(new[] { "Perf.SortBenchmarks.Sort(n: 10)", "Perf.SortBenchmarks.Reverse(n: 10)" }));
        Assert.That(Root(output).GetProperty("Title").GetString(), Does.Match(@"^Tests_report_full_recovered-\d{8}-\d{6}$"), "a BDN title, its time after the first '-'");
        // The recovered file is an ordinary run: compare reads it.
        Assert.That(Tool.Run("compare", output, output).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Joins_recovered_journals_with_shards()
    {
        var shard = Write(_dir.File("shard.json"), "shard", Record("Search", 10, Times, [1000], 1000));
        var journal = Journal("Tests-report-full.json.77.journal", "", "Sort");
        var output = _dir.File("all.json");

        var result = Tool.Run("merge", "--recover", shard, journal, "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(FullNames(output), Is.EqualTo(new[] { "Perf.SortBenchmarks.Search(n: 10)", "Perf.SortBenchmarks.Sort(n: 10)" }));
    }

    [Test]
    public void A_journal_without_recover_is_refused_with_the_fix()
    {
        var journal = Journal("Tests-report-full.json.5.journal", "", "Sort");
        var result = Tool.Run("merge", journal, "-o", _dir.File("out.json"));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines, Is.EqualTo(new[]
            { $"benchmem: {journal} is the journal of an interrupted run, not a results file; add --recover to keep the benchmarks it holds." }));
    }

    [Test]
    public void Journals_with_nothing_finished_write_nothing()
    {
        var journal = Journal("Tests-report-full.json.6.journal", "{\"Full");
        var output = _dir.File("out.json");
        var result = Tool.Run("merge", "--recover", journal, "-o", output);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines.Last(), Is.EqualTo($"benchmem: merge --recover: the journal(s) hold no finished benchmark ({journal}); nothing to write."));
        Assert.That(File.Exists(output), Is.False);
    }
}
