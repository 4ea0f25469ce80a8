using System.Text.Json;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// One real `dotnet test -c Release` of a sample suite covering every way a benchmark can be declared; the
/// assertions read the JSON file it wrote, its console output and its TRX.
/// </summary>
[TestFixture]
public class TimingEndToEndTests
{
    private SampleSuite _suite = null!;
    private ProcessResult _run = null!;
    private JsonDocument _json = null!;

    private static readonly string[] ExpectedNames =
    [
        "Sample.Basics.Allocate1000",
        "Sample.Basics.NoAllocation",
        "Sample.Basics.SortCase(n: 10)",
        "Sample.Basics.SortCase(n: 100)",
        "Sample.Basics.Optional(n: 3, label: \"x\")",
        "Sample.Basics.Combined(a: 1, flag: True)",
        "Sample.Basics.Combined(a: 2, flag: True)",
        "Sample.Basics.FromSource(values: [1, 2, 3], tag: \"arr\")",
        "Sample.Basics.Generic<Int32>(value: 5)",
        "Sample.Basics.AsyncTask",
        "Sample.Basics.AsyncValueTask",
        "Sample.Basics.StaticMethod",
        "Sample.Basics.Square(x: 2)",
        "Sample.Basics.Writes",
        "Sample.Basics.SetUpOnce",
        "Sample.Work.Run(size: 10)",
        "Sample.Work.Run(size: 20)",
        "Sample.Work.Mixed(c: 'x', shape: Square, s: null, values: [1, 2, 3], size: 10)",
        "Sample.Work.Mixed(c: 'x', shape: Square, s: null, values: [1, 2, 3], size: 20)",
        "Sample.Work.Dup(n: 1, size: 10)",
        "Sample.Work.Dup(n: 1, size: 20)",
        "Sample.Outer+Nested.Run",
        "Sample.Cache<Int32>.Get",
    ];

    private const string ReturnValuesGenericReason =
        "Benchmem: a generic [TestCase] benchmark cannot return a value (NUnit infers its type arguments only for void methods): "
        + "make it void and pass the result to Bench.Consume(result).";

    [OneTimeSetUp]
    public void RunSuite()
    {
        _suite = SampleSuite.Create("Sample", Samples.Load("Basics"));
        var trx = Path.Combine(_suite.Directory, "run.trx");
        _run = _suite.Test(["--logger", $"trx;LogFileName={trx}"]);
        TestContext.Progress.WriteLine(_run.Output);
        _json = SampleSuite.ReadJson(_suite.DefaultResultsPath);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _json?.Dispose();
        _suite?.Dispose();
    }

    private JsonElement Benchmark(string fullName) =>
        _json.RootElement.GetProperty("Benchmarks").EnumerateArray().Single(b => b.GetProperty("FullName").GetString() == fullName);

    [Test]
    public void OnlyTheFailingTestFailsTheRun()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(1), _run.Output);
        Assert.That(_run.Output, Does.Contain("Failed:     4, Passed:    23"));
        Assert.That(_run.Output, Does.Contain("Expected: 5").And.Contain("But was:  4"));
        Assert.That(_run.Output, Does.Contain("Failed GenericReturning<T>(5)").And.Contain(ReturnValuesGenericReason));
    }

    [Test]
    public void EveryPassingBenchmarkIsWrittenOnceUnderAUniqueFullName()
    {
        var names = _json.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(b => b.GetProperty("FullName").GetString()).ToList();
        Assert.That(names, Is.EquivalentTo(ExpectedNames));
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void BenchmarkDotNetFieldsArePresentAndConsistent()
    {
        var root = _json.RootElement;
        Assert.That(root.GetProperty("Title").GetString(), Does.Match(@"^Sample-\d{8}-\d{6}$"));
        var host = root.GetProperty("HostEnvironmentInfo");
        Assert.That(host.GetProperty("Architecture").GetString(), Is.EqualTo("X64"));
        Assert.That(host.GetProperty("Configuration").GetString(), Is.EqualTo("RELEASE"));
        foreach (var b in root.GetProperty("Benchmarks").EnumerateArray())
        {
            var stats = b.GetProperty("Statistics");
            var values = stats.GetProperty("OriginalValues").EnumerateArray().Select(v => v.GetDouble()).OrderBy(v => v).ToArray();
            Assert.That(stats.GetProperty("N").GetInt32(), Is.EqualTo(values.Length));
            // BDN's statistics: every round (Benchmem.Timing.RoundNanoseconds) but those above the Tukey upper fence
            // (Q3 + 1.5 IQR, type-7 quartiles) of the rounds' totals; computed here independently.
            var timing = b.GetProperty("Benchmem").GetProperty("Timing");
            long ops = timing.GetProperty("IterationsPerRound").GetInt64();
            var rounds = timing.GetProperty("RoundNanoseconds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.That(rounds.Length, Is.EqualTo(timing.GetProperty("Rounds").GetInt32()).And.GreaterThanOrEqualTo(5));
            var totals = rounds.Select(r => r * ops).Order().ToArray();
            double Q(double p) { double h = (totals.Length - 1) * p; int lo = (int)Math.Floor(h); return lo + 1 < totals.Length ? totals[lo] + (h - lo) * (totals[lo + 1] - totals[lo]) : totals[lo]; }
            double fence = Q(0.75) + 1.5 * (Q(0.75) - Q(0.25));
            var kept = rounds.Where(r => r * ops <= fence).Select(r => r * ops < 0.1 ? 0 : r * ops / ops).Order().ToArray();
            Assert.That(values, Is.EqualTo(kept).Within(1e-9).Percent, b.GetProperty("FullName").GetString());
            Assert.That(timing.GetProperty("UpperOutliersRemoved").GetInt32(), Is.EqualTo(rounds.Length - kept.Length));
            Assert.That(b.GetProperty("Measurements").GetArrayLength(), Is.EqualTo(rounds.Length + kept.Length));
            Assert.That(b.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Descriptor").GetProperty("Id").GetString()),
                Is.EqualTo(new[] { "Gen0Collects", "Gen1Collects", "Gen2Collects", "Allocated Memory" }));
            Assert.That(stats.GetProperty("Min").GetDouble(), Is.EqualTo(values[0]));
            Assert.That(stats.GetProperty("Max").GetDouble(), Is.EqualTo(values[^1]));
            Assert.That(stats.GetProperty("Mean").GetDouble(), Is.EqualTo(values.Average()).Within(1e-9).Percent);
            double median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
            Assert.That(stats.GetProperty("Median").GetDouble(), Is.EqualTo(median).Within(1e-9).Percent);
            var memory = b.GetProperty("Memory");
            Assert.That(memory.GetProperty("TotalOperations").GetInt64(), Is.EqualTo(b.GetProperty("Benchmem").GetProperty("Timing").GetProperty("IterationsPerRound").GetInt64()));
            Assert.That(b.GetProperty("Benchmem").GetProperty("Optimized").GetBoolean(), Is.True);
            // MaxTime = 0.2 s is the whole timing budget; rounds stop once it is spent.
            Assert.That(b.GetProperty("Benchmem").GetProperty("Timing").GetProperty("TotalMilliseconds").GetDouble(), Is.LessThan(450), b.GetProperty("FullName").GetString());
        }
    }

    [Test]
    public void NamesAreBenchmarkDotNets_FixtureArgumentsIncluded()
    {
        // The expected texts are BDN 0.15.8's for the same [Params]/[Arguments] (Benchmem.Core.Tests BenchmarkNamesParityTests).
        var run = Benchmark("Sample.Work.Run(size: 10)");
        Assert.That((run.GetProperty("Type").GetString(), run.GetProperty("Parameters").GetString()), Is.EqualTo(("Work", "size=10")));
        var mixed = Benchmark("Sample.Work.Mixed(c: 'x', shape: Square, s: null, values: [1, 2, 3], size: 20)");
        Assert.That(mixed.GetProperty("Parameters").GetString(), Is.EqualTo("size=20&c=x&shape=Square&s=?&values=Int32[3]"));
        Assert.That(mixed.GetProperty("DisplayInfo").GetString(), Is.EqualTo("Work.Mixed: Benchmem [size=20, c=x, shape=Square, s=?, values=Int32[3]]"));
        Assert.That(Dims("Sample.Work.Mixed(c: 'x', shape: Square, s: null, values: [1, 2, 3], size: 20)"),
            Is.EqualTo("{\"size\":20,\"c\":\"x\",\"shape\":\"Square\",\"s\":null}"));
        Assert.That(Benchmark("Sample.Outer+Nested.Run").GetProperty("Type").GetString(), Is.EqualTo("Nested"));
        Assert.That(Benchmark("Sample.Cache<Int32>.Get").GetProperty("Type").GetString(), Is.EqualTo("Cache<Int32>"));
    }

    [Test]
    public void TwoBenchmarksWithOneName_FailWithAMessageNamingBoth()
    {
        Assert.That(_run.Output, Does.Contain("Benchmem: two benchmarks have the FullName \"Sample.Work.Dup(n: 1, size: 10)\": test Sample.Work(10).")
            .And.Contain("give them different arguments, or rename one method"));
        Assert.That(_run.Output, Does.Contain("test Sample.Work(10).Dup(1)").And.Contain("test Sample.Work(10).DupAgain"));
    }

    [Test]
    public void ReportsAreWrittenBesideTheResults()
    {
        var folder = Path.GetDirectoryName(_suite.DefaultResultsPath)!;
        foreach (var name in new[] { "Sample-report-github.md", "Sample-report.csv", "Sample-report.html" })
            Assert.That(File.Exists(Path.Combine(folder, name)), Is.True, name);
        var csv = File.ReadAllLines(Path.Combine(folder, "Sample-report.csv"));
        Assert.That(csv.Length, Is.EqualTo(1 + ExpectedNames.Length));
        Assert.That(_run.Output, Does.Contain("times are over every round, outliers included"));
    }

    [Test]
    public void AllocatedBytesPerOperationAreExact()
    {
        // new byte[1000]: 16 B header + 8 B length + 1000 B of data = 1024 B on x64.
        Assert.That(Benchmark("Sample.Basics.Allocate1000").GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64(), Is.EqualTo(1024));
        Assert.That(Benchmark("Sample.Basics.NoAllocation").GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64(), Is.EqualTo(0));
        // Enumerable.Range(0, 100).Reverse().ToArray(): one int[100] = 24 + 400 = 424 B plus the iterator objects.
        long sort100 = Benchmark("Sample.Basics.SortCase(n: 100)").GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64();
        long sort10 = Benchmark("Sample.Basics.SortCase(n: 10)").GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64();
        Assert.That(sort100 - sort10, Is.EqualTo(360), "90 more ints, 4 B each");
    }

    [Test]
    public void ScalarArgumentsBecomeDimsByParameterName()
    {
        Assert.That(Dims("Sample.Basics.SortCase(n: 10)"), Is.EqualTo("{\"n\":10}"));
        Assert.That(Dims("Sample.Basics.Optional(n: 3, label: \"x\")"), Is.EqualTo("{\"n\":3,\"label\":\"x\"}"));
        Assert.That(Dims("Sample.Basics.Combined(a: 2, flag: True)"), Is.EqualTo("{\"a\":2,\"flag\":true}"));
        Assert.That(Dims("Sample.Basics.FromSource(values: [1, 2, 3], tag: \"arr\")"), Is.EqualTo("{\"tag\":\"arr\"}"), "the array is not a scalar");
        Assert.That(Dims("Sample.Basics.Generic<Int32>(value: 5)"), Is.EqualTo("{\"value\":5}"));
        Assert.That(Dims("Sample.Basics.Allocate1000"), Is.EqualTo("{}"));
        Assert.That(Benchmark("Sample.Basics.SortCase(n: 10)").GetProperty("Parameters").GetString(), Is.EqualTo("n=10"));
        Assert.That(Benchmark("Sample.Basics.Optional(n: 3, label: \"x\")").GetProperty("Parameters").GetString(), Is.EqualTo("n=3&label=x"));
        Assert.That(Benchmark("Sample.Basics.Allocate1000").GetProperty("Benchmem").GetProperty("Group").GetString(), Is.EqualTo("alloc"));
    }

    [Test]
    public void SetUpRunsOnceAndUserDimsAreKept()
    {
        Assert.That(Dims("Sample.Basics.SetUpOnce"), Is.EqualTo("{\"setups\":1,\"phase\":\"to_lp\"}"));
    }

    [Test]
    public void TestOutputIsNotRepeatedByTheTimedCalls()
    {
        // The test's own result in the TRX: its output must hold each line once, not once per timed call.
        var trx = System.Xml.Linq.XDocument.Load(Path.Combine(_suite.Directory, "run.trx"));
        var result = trx.Descendants().Single(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("testName") == "Writes");
        var stdout = result.Descendants().Single(e => e.Name.LocalName == "StdOut").Value;
        Assert.That(Count(stdout, "MARKER-CONSOLE"), Is.EqualTo(1), stdout);
        Assert.That(Count(stdout, "MARKER-CONTEXT"), Is.EqualTo(1), stdout);
        Assert.That(stdout, Does.Contain("Benchmem: median "), "the one-line summary is in the test's output");
    }

    [Test]
    public void ConsoleShowsTheTableAndTheResultsPath()
    {
        Assert.That(_run.Output, Does.Contain("benchmark 'alloc': 2 tests"));
        // The table fits 120 columns: with this suite's long names it keeps Min first; which other columns fit
        // depends on how wide the measured numbers are (ns or us, thousands separators), so only the width is fixed.
        var headers = _run.Output.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Name \(time in (ns|us)\)\s+Min\b")).ToList();
        Assert.That(headers, Has.Count.EqualTo(2), "one header per group, each starting with Min");
        var tableLines = _run.Output.Split('\n').Where(l => l.Contains('│') || l.StartsWith("-----")).Select(l => l.TrimEnd('\r')).ToList();
        Assert.That(tableLines.Where(l => l.Length > 120), Is.Empty, "every table line fits the default 120 columns");
        Assert.That(_run.Output, Does.Match(@"Basics\.Allocate1000 .*│\s+1\.00 KiB"));
        Assert.That(_run.Output, Does.Contain($"Benchmem: {ExpectedNames.Length} benchmark(s) written to {_suite.DefaultResultsPath}"));
    }

    [Test]
    public void TheJournalIsGoneOnceTheFileIsWritten()
    {
        var leftovers = Directory.GetFiles(Path.GetDirectoryName(_suite.DefaultResultsPath)!).Select(Path.GetFileName);
        Assert.That(leftovers, Is.EquivalentTo(new[] { "Sample-report-full.json", "Sample-report-github.md", "Sample-report.csv", "Sample-report.html" }),
            "the results file and its reports, no journal");
    }

    private string Dims(string fullName) => JsonSerializer.Serialize(Benchmark(fullName).GetProperty("Benchmem").GetProperty("Dims"));

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
