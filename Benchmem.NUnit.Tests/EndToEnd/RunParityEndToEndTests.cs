using System.Globalization;
using System.Text.Json;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// Issue 17's run-side flags through real `dotnet test` runs of one sample suite: a full run (split layout, label
/// columns, Baseline ratios gated by ratio.allocated:1.0, time ceilings, a memory-only benchmark, Bench.Run's record,
/// saved as the baseline), a memory-only run of the Benchmark category against it (CompareTo alone: base and Δ columns,
/// nothing fails on them), and the category's complement.
/// </summary>
[TestFixture]
public class RunParityEndToEndTests
{
    private SampleSuite _suite = null!;
    private ProcessResult _full = null!, _memoryOnly = null!, _plain = null!;
    private JsonDocument _fullJson = null!;
    private string _storage = null!;

    [OneTimeSetUp]
    public void RunSuite()
    {
        _suite = SampleSuite.Create("ParitySample", Samples.Load("Parity"));
        _storage = Path.Combine(_suite.Directory, "store");
        // The TRX keeps every test's own output (Bench.Run's record, the one-line summaries), passing ones too.
        _full = _suite.Test(["--logger", $"trx;LogFileName={Path.Combine(_suite.Directory, "full.trx")}", "--", $"Benchmem.Storage={_storage}", "Benchmem.Save=base", "Benchmem.Layout=split",
            "Benchmem.Columns=peak,allocated,extra:impl", "Benchmem.CompareFail=ratio.allocated:1.0"], Wide);
        TestContext.Progress.WriteLine(_full.Output);
        _fullJson = SampleSuite.ReadJson(_suite.DefaultResultsPath);
        _memoryOnly = _suite.Test(["--filter", "TestCategory=Benchmark", "--logger", $"trx;LogFileName={Path.Combine(_suite.Directory, "memory.trx")}", "--", $"Benchmem.Storage={_storage}", "Benchmem.Timing=false",
            "Benchmem.CompareTo=base", "Benchmem.Columns=allocated"], Wide);
        TestContext.Progress.WriteLine(_memoryOnly.Output);
        _plain = _suite.Test(["--filter", "TestCategory!=Benchmark"]);
    }

    private static readonly Dictionary<string, string?> Wide = new() { ["COLUMNS"] = "240" };

    [OneTimeTearDown]
    public void CleanUp()
    {
        _fullJson?.Dispose();
        _suite?.Dispose();
    }

    private JsonElement Benchmark(string fullName) =>
        _fullJson.RootElement.GetProperty("Benchmarks").EnumerateArray().Single(b => b.GetProperty("FullName").GetString() == fullName);

    /// <summary>A test's own output in a run's TRX.</summary>
    private string StdOut(string trx, string testName)
    {
        var doc = System.Xml.Linq.XDocument.Load(Path.Combine(_suite.Directory, trx));
        var result = doc.Descendants().Single(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("testName") == testName);
        return result.Descendants().SingleOrDefault(e => e.Name.LocalName == "StdOut")?.Value ?? "";
    }

    private static string Line(ProcessResult run, string start) =>
        run.Output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal))
        ?? throw new AssertionException($"no line starting with '{start}' in:\n{run.Output}");

    [Test]
    public void TheCategory_SelectsTheBenchmarks_AndItsComplementThePlainTests()
    {
        Assert.That(_plain.ExitCode, Is.EqualTo(0), _plain.Output);
        Assert.That(_plain.Output, Does.Contain("Passed!  - Failed:     0, Passed:     2, Skipped:     0, Total:     2"), "PlainTest and RunReturnsTheRecord");
        Assert.That(_memoryOnly.Output, Does.Contain("Total:     6"), "the six [Benchmark] tests, no plain test");
        Assert.That(_memoryOnly.Output, Does.Not.Contain("RUN-RECORD"));
    }

    [Test]
    public void BaselineRatios_AreColumns_AndRatioRulesGateThemInsideTheRun()
    {
        Assert.That(Benchmark("Sample.Parity.Baseline1000(impl: \"small\")").GetProperty("Benchmem").GetProperty("Baseline").GetBoolean(), Is.True);
        Assert.That(Benchmark("Sample.Parity.Bytes3000(impl: \"large\")").GetProperty("Benchmem").TryGetProperty("Baseline", out _), Is.False);
        // 3,024 B over 1,024 B (object sizes), the memory host's exact allocated bytes.
        Assert.That(_full.Output, Does.Contain("Benchmem: ratio.allocated:1.0: Parity.Bytes3000(impl: \"large\") is 2.95× its baseline "
            + "Parity.Baseline1000(impl: \"small\") (2.95 KiB against 1.00 KiB), over the limit 1"));
        Assert.That(_full.Output, Does.Contain("Failed Bytes3000(\"large\")").And.Not.Contain("Failed Baseline1000"));
        var memoryRow = _full.Output.Split('\n').Where(l => l.StartsWith("Parity.Bytes3000", StringComparison.Ordinal)).ToList();
        Assert.That(memoryRow, Has.Count.EqualTo(2), "a row in the timing table and one in the memory table");
        Assert.That(memoryRow[1], Does.Match(@"^Parity\.Bytes3000\(impl: ""large""\)\s+large\s+.*2\.95 KiB \(2\.95\)\s+\S+\s+\S+\s+2\.95\s+0\.00\s*$"),
            "label column, then allocated 2.95 KiB (2.95× the best), peak Ratio/RatioSD, allocated Ratio 2.95 and RatioSD 0.00 (exact in both passes)");
        Assert.That(_full.Output, Does.Contain("Parity.Baseline1000(impl: \"small\") (B)"));
        Assert.That(_full.Output, Does.Contain("Benchmem: CompareFail ratio rules: 4 benchmark(s) have no [Benchmark(Baseline = true)] in their group (or class), "
            + "so no ratio of theirs was gated: "));
    }

    [Test]
    public void TheSplitLayout_PrintsTimingAndMemoryTables()
    {
        Assert.That(_full.Output, Does.Match(@"-+ benchmark 'copy': 2 tests \(timing\) -+"));
        Assert.That(_full.Output, Does.Match(@"-+ benchmark 'copy': 2 tests \(memory\) -+"));
        var lines = _full.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int copyTiming = lines.FindIndex(l => l.Contains(" benchmark 'copy': 2 tests (timing) "));
        Assert.That(lines[copyTiming + 1], Does.Match(@"^Name \(time in (ns|us)\)\s+impl\s+Min\s+Max\s+Mean\s+StdDev\s+Median\s+OPS.*\s+Rounds\s+time Ratio\s+time RatioSD$"));
        // The two rows are sorted by time, which 0.05 s of rounds on a loaded machine can swap: find the baseline's by name.
        var copyRows = lines.Skip(copyTiming + 3).Take(2).ToList();
        Assert.That(copyRows.Single(l => l.StartsWith("Parity.Baseline1000(", StringComparison.Ordinal)),
            Does.Match(@"^Parity\.Baseline1000\(impl: ""small""\) \(B\)\s+small\s+.*\s+1\.00\s+0\.00$"), "the baseline's own ratio");
        int copyMemory = lines.FindIndex(l => l.Contains(" benchmark 'copy': 2 tests (memory) "));
        Assert.That(lines[copyMemory + 1], Does.Match(@"^Name\s+impl\s+Alloc/op\s+peak\s+allocated\s+peak Ratio\s+peak RatioSD\s+allocated Ratio\s+allocated RatioSD$"));
        int plainTiming = lines.FindIndex(l => l.Contains(" benchmark: 4 tests (timing) "));
        Assert.That(lines[plainTiming + 6], Does.Match(@"^Parity\.Keep100\s+-(\s+-)+$"), "the memory-only row: '-' in every timing column, last");
    }

    [Test]
    public void TimeCeilings_FailPastTheLimit_AndAMalformedOneSaysSo()
    {
        Assert.That(_full.Output, Does.Match(@"median \d+(\.\d+)? (ns|us|ms) exceeds MaxMedian 1ns \(over \d+ rounds, outliers included\)"));
        Assert.That(_full.Output, Does.Contain("Failed SlowerThanOneNanosecond").And.Not.Contain("Failed WithinItsCeilings"));
        Assert.That(_full.Output, Does.Contain("[Benchmark(MaxMin = \"fast\")]: 'fast' is not a time: use a number and a unit, e.g. 5ms, 10us, 2s or 100ns."));
        // Bytes3000 (ratio rule), SlowerThanOneNanosecond, MalformedCeiling.
        Assert.That(_full.Output, Does.Contain("Failed:     3, Passed:     5"));
        // A memory-only run of a suite with time ceilings does not judge them, and says so.
        Assert.That(StdOut("memory.trx", "SlowerThanOneNanosecond"), Does.Contain("Benchmem: MaxMedian = \"1ns\" not judged: Benchmem.Timing=false (runsettings <Benchmem><Timing>) takes no timing rounds."));
        Assert.That(StdOut("memory.trx", "WithinItsCeilings"), Does.Contain("Benchmem: MaxMean = \"10s\", MaxMin = \"10s\" not judged: "));
    }

    [Test]
    public void MemoryOnly_HasPassesAndNoRounds_InTheFileAndTheTable()
    {
        var keep = Benchmark("Sample.Parity.Keep100");
        Assert.That(keep.TryGetProperty("Statistics", out _), Is.False, "no timing rounds, so no BDN Statistics");
        Assert.That(keep.GetProperty("Benchmem").TryGetProperty("Timing", out _), Is.False);
        var series = keep.GetProperty("Benchmem").GetProperty("Series");
        Assert.That(series.GetProperty("AllocatedBytes").EnumerateArray().Select(v => v.GetInt64()), Is.EqualTo(new long[] { 824, 824 }));
        Assert.That(series.GetProperty("Allocations").EnumerateArray().Select(v => v.GetInt64()), Is.EqualTo(new long[] { 1, 1 }));
        Assert.That(keep.GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64(), Is.EqualTo(824), "the allocation pass's one call");
        Assert.That(StdOut("full.trx", "Keep100"), Does.Contain("Benchmem: no timing rounds (memory only), 824 B/op allocated; memory: peak "));
    }

    [Test]
    public void CompareToAlone_ShowsBaseAndDelta_WithoutFailing()
    {
        Assert.That(_memoryOnly.Output, Does.Contain($"Benchmem: CompareTo=base: the table shows each benchmark against {Path.Combine(_storage, Core.Results.RunStorage.MachineKey, "0001_base.json")}"));
        Assert.That(Line(_memoryOnly, "Name "), Does.Match(@"^Name\s+Alloc/op\s+allocated\s+allocated base\s+allocated Δ$"), "no timing columns in a memory-only run");
        // Alloc/op, allocated, allocated base, allocated Δ, then the ratio columns (allocated Ratio, RatioSD).
        Assert.That(Line(_memoryOnly, "Parity.Bytes3000"), Does.Match(@"^Parity\.Bytes3000\(impl: ""large""\)\s+2\.95 KiB \(2\.95\)\s+2\.95 KiB \(2\.95\)\s+2\.95 KiB\s+0\.0%\s+2\.95\s+0\.00$"));
        Assert.That(Line(_memoryOnly, "Parity.Keep100"), Does.Match(@"^Parity\.Keep100\s+824 B \(\S+\)\s+824 B \(\S+\)\s+824 B\s+0\.0%$"));
        // Only the malformed ceiling fails: the comparison gates nothing, and the others' time ceilings are not judged.
        Assert.That(_memoryOnly.Output, Does.Contain("Failed:     1, Passed:     5"), "MalformedCeiling");
    }

    [Test]
    public void BenchRun_ReturnsTheRecordTheFileHolds()
    {
        var line = StdOut("full.trx", "RunReturnsTheRecord").Split('\n').Single(l => l.StartsWith("RUN-RECORD ", StringComparison.Ordinal)).TrimEnd('\r').Split(' ');
        var recorded = Benchmark(line[1]);
        var rounds = recorded.GetProperty("Benchmem").GetProperty("Timing").GetProperty("RoundNanoseconds").EnumerateArray().Select(v => v.GetDouble()).Order().ToArray();
        double median = rounds.Length % 2 == 1 ? rounds[rounds.Length / 2] : (rounds[rounds.Length / 2 - 1] + rounds[rounds.Length / 2]) / 2;
        Assert.That(int.Parse(line[^1], CultureInfo.InvariantCulture), Is.EqualTo(rounds.Length));
        Assert.That(double.Parse(line[^2], CultureInfo.InvariantCulture), Is.EqualTo(median).Within(1e-9).Percent, "the returned record's median is the file's rounds' median");
        Assert.That(recorded.GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64(), Is.EqualTo(1024));
        // Bench.Metric: in the record Bench.Run returned (asserted in the test), in the file, and a column of the table.
        Assert.That(recorded.GetProperty("Benchmem").GetProperty("Metrics").GetProperty("items").GetDouble(), Is.EqualTo(1000));
        var lines = _full.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int memory = lines.FindIndex(l => l.Contains(" benchmark: 4 tests (memory) "));
        Assert.That(lines[memory + 1], Does.Match(@"^Name\s+impl\s+Alloc/op\s+peak\s+allocated\s+items$"));
        Assert.That(lines[memory + 4], Does.Match(@"^Parity\.RunReturnsTheRecord\s+-\s+1\.00 KiB \(\S+\)\s+-\s+-\s+1,000 \(1\.0\)$"));
    }
}
