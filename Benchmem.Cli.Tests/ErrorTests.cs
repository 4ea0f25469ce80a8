using Benchmem.Cli.Tests.Infrastructure;
using static Benchmem.Cli.Tests.Infrastructure.ResultFiles;

namespace Benchmem.Cli.Tests;

/// <summary>Every bad input: exit 2, nothing on stdout, and exactly one line on stderr naming the input and the fix.</summary>
public class ErrorTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void WriteFiles()
    {
        _dir = new TempDirectory();
        double[] times = [10, 11, 12, 13, 14];
        Write(_dir.File("base.json"), "base", Record("Sort", 10, times, [1000], 1000));
        Write(_dir.File("new.json"), "new", Record("Sort", 10, times, [1000], 1000));
        File.WriteAllText(_dir.File("shape.json"), """{ "Title": "x", "Results": [] }""");
        File.WriteAllText(_dir.File("cut.json"), """{ "Title": "x", "Benchmarks": [ { "FullName": "A" """);
        File.WriteAllText(_dir.File("dup.json"), """{ "Benchmarks": [ { "FullName": "Perf.A.M" }, { "FullName": "Perf.A.M" } ] }""");
        File.WriteAllText(_dir.File("newer.json"), """{ "Benchmarks": [], "Benchmem": { "SchemaVersion": 99 } }""");
        _dir.Folder("empty");
        File.WriteAllBytes(_dir.File("zero.json"), []);
        File.WriteAllText(_dir.File("dims.json"), """{ "Benchmarks": [ { "FullName": "Perf.A.M", "Benchmem": { "Dims": [1] } } ] }""");
        File.WriteAllText(_dir.File("huge.json"), """{ "Benchmarks": [ { "FullName": "Perf.A.M", "Statistics": { "OriginalValues": [10, 1e400] } } ] }""");
        File.WriteAllText(_dir.File("deep.json"), new string('[', 10_000));
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static IEnumerable<TestCaseData> BadInputs()
    {
        TestCaseData Case(string expected, params string[] args) => new TestCaseData(args, expected).SetArgDisplayNames(string.Join(' ', args));

        // Files
        yield return Case("benchmem: missing.json: no such file.", "compare", "base.json", "missing.json");
        yield return Case("benchmem: shape.json: neither a Benchmem results file nor a BenchmarkDotNet full JSON export (no \"Benchmarks\" array).",
            "compare", "base.json", "shape.json");
        yield return Case("benchmem: dup.json: FullName \"Perf.A.M\" appears twice; FullNames must be unique in a run.",
            "compare", "dup.json", "base.json");
        yield return Case("benchmem: newer.json: written by a newer Benchmem (schema 99; this one reads up to 2); update Benchmem to read it.",
            "compare", "base.json", "newer.json");
        yield return Case("benchmem: zero.json: is empty; expected a Benchmem results file or a BenchmarkDotNet full JSON export.",
            "compare", "base.json", "zero.json");
        yield return Case("benchmem: dims.json: benchmark #1 is malformed (Benchmem.Dims is an array; expected an object).",
            "compare", "base.json", "dims.json");
        yield return Case("benchmem: huge.json: benchmark #1 is malformed (Statistics.OriginalValues[1] is 1e400; expected a finite number).",
            "compare", "base.json", "huge.json");
        yield return Case("benchmem: deep.json: not a results file (JSON nested deeper than 64 levels, line 1).",
            "compare", "base.json", "deep.json");
        yield return Case("benchmem: no-such-folder/new.json: no such file.",
            "compare", "base.json", "no-such-folder/new.json");
        yield return Case("benchmem: no-such-folder/: no such directory.",
            "compare", "base.json", "no-such-folder/");
        yield return Case("benchmem: empty: directory has no *.json results files; give result files, or a directory of saved runs.",
            "compare", "base.json", "empty");
        yield return Case("benchmem: compare needs at least 2 runs, got 1 (base.json); give a baseline and a candidate, e.g. benchmem compare base.json new.json, or a directory holding 2 or more runs.",
            "compare", "base.json");
        // Rules and option values
        yield return Case("benchmem: --fail-on: 'peak:10' has no unit: write peak:10% or peak:10MiB.",
            "compare", "base.json", "new.json", "--fail-on", "peak:10");
        yield return Case("benchmem: --fail-on: 'heap:5%': unknown field 'heap', did you mean peak? (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time).",
            "compare", "base.json", "new.json", "--fail-on", "peak:10%,heap:5%");
        yield return Case("benchmem: --fail-on: 'peek:5%': unknown field 'peek', did you mean peak? (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time).",
            "compare", "base.json", "new.json", "--fail-on", "peek:5%");
        yield return Case("benchmem: --fail-on: 'memory:5%': unknown field 'memory' (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time).",
            "compare", "base.json", "new.json", "--fail-on", "memory:5%");   // nothing near: no guess
        yield return Case("benchmem: --fail-on: 'time:5%:signif': unknown option 'signif': the options are :significant and :noise, e.g. time:5%:significant.",
            "compare", "base.json", "new.json", "--fail-on", "time:5%:signif");
        yield return Case("benchmem: --fail-on: 'peak:10' has no unit: write peak:10% or peak:10MiB.",
            "compare", "missing-a.json", "missing-b.json", "--fail-on", "peak:10");   // a typo is reported before any file is read
        yield return Case("benchmem: --columns: unknown field 'heap', did you mean peak? (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time); e.g. --columns time,peak.",
            "compare", "base.json", "new.json", "--columns", "time,heap");
        yield return Case("benchmem: --columns: unknown field 'alocations', did you mean allocations? (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time); e.g. --columns time,peak.",
            "compare", "base.json", "new.json", "--columns", "peak,alocations");
        yield return Case("benchmem: --stat: unknown statistic 'p99': use min, max, mean, median, stddev or all.",
            "compare", "base.json", "new.json", "--stat", "p99");
        yield return Case("benchmem: --sort: unknown sort 'size': use name, value or change.",
            "compare", "base.json", "new.json", "--sort", "size");
        yield return Case("benchmem: --format: unknown format 'html': use table, md or csv.",
            "compare", "base.json", "new.json", "--format", "html");
        yield return Case("benchmem: --pivot 'size': no benchmark has a dim 'size' (dims: n).",
            "compare", "base.json", "new.json", "--pivot", "size");
        yield return Case("benchmem: --group-by 'size': no benchmark has a dim 'size' (dims: n; or group, type, method, namespace).",
            "compare", "base.json", "new.json", "--group-by", "size");
        yield return Case("benchmem: 2 run(s) but 1 label(s); give one -l/--label per run, in order (base.json, new.json), or none.",
            "compare", "base.json", "new.json", "-l", "main");
        yield return Case("benchmem: -l/--label: \"main\" labels two runs; give each run its own label.",
            "compare", "base.json", "new.json", "-l", "main", "-l", "main");
        // The command line itself
        yield return Case("benchmem: --bogus: unknown option; see 'benchmem compare --help' (a file whose name starts with '-' is given as ./--bogus).",
            "compare", "base.json", "new.json", "--bogus");
        yield return Case("benchmem: Required argument missing for option: '--stat'; see 'benchmem compare --help'.",
            "compare", "base.json", "new.json", "--stat");
        yield return Case("benchmem: Required argument missing for command: 'compare'; see 'benchmem compare --help'.",
            "compare");
        yield return Case("benchmem: Required command was not provided; see 'benchmem --help'.");
        yield return Case("benchmem: 'frobnicate' is not a command; use compare, plot, merge, sweep, profile, report, export, list, calibrate or accept (see 'benchmem --help').",
            "frobnicate");
        // merge
        yield return Case("benchmem: Option '--output' is required; see 'benchmem merge --help'.",
            "merge", "base.json");
        yield return Case("benchmem: missing.json: no such file.",
            "merge", "base.json", "missing.json", "-o", "merged.json");
        yield return Case("benchmem: merge: \"Perf.SortBenchmarks.Sort(n: 10)\" is in both base.json and new.json; give each shard distinct benchmarks, or pass --prefer last (or first) to keep one.",
            "merge", "base.json", "new.json", "-o", "merged.json");
        yield return Case("benchmem: huge.json: benchmark #1 is malformed (Statistics.OriginalValues[1] is 1e400; expected a finite number).",
            "merge", "base.json", "huge.json", "-o", "merged.json");
        yield return Case("benchmem: -o/--output 'empty' is not a file path; give the merged file's path, e.g. -o merged.json.",
            "merge", "base.json", "-o", "empty");
    }

    [TestCaseSource(nameof(BadInputs))]
    public void Bad_input_prints_one_line_and_exits_2(string[] args, string expected)
    {
        var result = Tool.Run(args, _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty, result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { expected }), result.ToString());
        Assert.That(File.Exists(_dir.File("merged.json")), Is.False);
    }

    [Test]
    public void Invalid_json_names_the_file_and_the_place()
    {
        var result = Tool.Run(["compare", "base.json", "cut.json"], _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines[0], Does.StartWith("benchmem: cut.json: not valid JSON ("));
        Assert.That(result.StderrLines[0], Does.EndWith(", line 1); was the file cut short?"));
    }

    [Test]
    public void An_unwritable_output_is_bad_input_not_a_crash()
    {
        // A path "under" a regular file cannot be created.
        var result = Tool.Run(["merge", "base.json", "-o", "base.json/merged.json"], _dir.Path, environment: null);
        var csv = Tool.Run(["compare", "base.json", "new.json", "--csv", "base.json/compare.csv"], _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines[0], Does.StartWith("benchmem: merge: cannot write base.json/merged.json: "));
        Assert.That(result.StderrLines[0], Does.EndWith(" Choose an -o path in a writable folder."));
        Assert.That(csv.ExitCode, Is.EqualTo(2), csv.ToString());
        Assert.That(csv.StderrLines, Has.Length.EqualTo(1), csv.ToString());
        Assert.That(csv.StderrLines[0], Does.StartWith("benchmem: --csv: cannot write base.json/compare.csv: "));
    }

    [Test]
    public void A_csv_path_that_is_a_directory_is_bad_input()
    {
        var result = Tool.Run(["compare", "base.json", "new.json", "--csv", "empty"], _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines[0], Does.StartWith("benchmem: --csv: cannot write empty: "));
        Assert.That(result.StderrLines[0], Does.EndWith(" Choose a path in a writable folder."));
    }

    [Test]
    public void An_output_in_a_folder_that_does_not_exist_yet_is_created()
    {
        var result = Tool.Run(["merge", "base.json", "-o", "out/shards/merged.json"], _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(FullNames(_dir.File("out/shards/merged.json")), Is.EqualTo(new[] { "Perf.SortBenchmarks.Sort(n: 10)" }));
    }

    [Test]
    public void A_utf8_byte_order_mark_is_accepted_by_compare_and_merge()
    {
        File.WriteAllBytes(_dir.File("bom.json"), [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(_dir.File("new.json"))]);

        var compare = Tool.Run(["compare", "base.json", "bom.json"], _dir.Path, environment: null);
        var merge = Tool.Run(["merge", "bom.json", "-o", "merged.json"], _dir.Path, environment: null);

        Assert.That(compare.ExitCode, Is.EqualTo(0), compare.ToString());
        Assert.That(compare.StdoutLines, Has.Some.Match(@"^\s+bom\s"));
        Assert.That(merge.ExitCode, Is.EqualTo(0), merge.ToString());
        Assert.That(FullNames(_dir.File("merged.json")), Is.EqualTo(new[] { "Perf.SortBenchmarks.Sort(n: 10)" }));
    }
}
