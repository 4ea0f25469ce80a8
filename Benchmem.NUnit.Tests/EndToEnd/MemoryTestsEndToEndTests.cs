using System.Text.Json;
using Benchmem.Core.Snapshots;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// Memory tests (Heap, [MemoryTest], [AssertTraffic], [ZeroAlloc], MaxRetained, the allocation snapshot) in real `dotnet
/// test` runs of one sample suite with known object graphs: a cache leaking n entries, a call making exactly k strings among
/// other types, survivors between points, namespace wildcards, dotMemoryUnit's documentation examples ported. The sample's
/// tests assert the exact counts from object sizes (24 B per small object, 48 B per 10-char string, 24 + 8n per array of
/// n references); this fixture the outcomes, the failure messages, and the snapshot failing on one changed count and
/// passing after `benchmem accept`. One full run, then three filtered ones (snapshot change, after accept, Host=inprocess).
/// </summary>
[TestFixture]
public class MemoryTestsEndToEndTests
{
    private const string Verbose = "console;verbosity=normal";
    private SampleSuite _suite = null!;
    private ProcessResult _run = null!, _changed = null!, _afterAccept = null!, _inProcess = null!;
    private ToolResult _accept = null!;
    private string _lock = "";
    private JsonDocument _written = null!;

    [OneTimeSetUp]
    public void RunSuite()
    {
        _suite = SampleSuite.Create("MemoryTestsSample", Samples.Load("MemoryTests"));
        _lock = Path.Combine(_suite.ProjectDirectory, "benchmem.lock.json");
        _run = _suite.Test(["--logger", Verbose, "--", "Benchmem.Snapshot=benchmem.lock.json"]);
        TestContext.Progress.WriteLine(_run.Output);
        _written = JsonDocument.Parse(File.ReadAllText(_lock));
        var extra = new Dictionary<string, string?> { ["SAMPLE_EXTRA"] = "1" };
        string[] snapshotted = ["--filter", "FullyQualifiedName~Snapshotted", "--logger", Verbose, "--", "Benchmem.Snapshot=benchmem.lock.json"];
        _changed = _suite.Test(snapshotted, extra);
        TestContext.Progress.WriteLine(_changed.Output);
        _accept = BenchmemTool.Run(["accept", _lock], _suite.ProjectDirectory);
        _afterAccept = _suite.Test(snapshotted, extra);
        TestContext.Progress.WriteLine(_afterAccept.Output);
        _inProcess = _suite.Test(["--filter", "FullyQualifiedName~CacheLeaksUntilDisposed|FullyQualifiedName~TrafficByTypeIsExact", "--logger", Verbose,
            "--", "Benchmem.Host=inprocess"]);
        TestContext.Progress.WriteLine(_inProcess.Output);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _written?.Dispose();
        _suite?.Dispose();
    }

    [TestCase("CacheLeaksUntilDisposed")]
    [TestCase("QueriesCombineAndNamespacesMatchByWildcard")]
    [TestCase("TrafficByTypeIsExact")]
    [TestCase("SurvivorsBetweenPoints")]
    [TestCase("MixedSurvivorsAreExact")]
    [TestCase("InProcessLiveObjects")]
    [TestCase("WithinItsTrafficLimits")]
    [TestCase("StringsWithinLimit")]
    [TestCase("SumsInPlace")]
    [TestCase("Snapshotted")]
    [TestCase("TestMethod1")]
    [TestCase("AlternativeSyntax")]
    [TestCase("GroupTrafficByType")]
    [TestCase("NoFooIsAlive")]
    [TestCase("AssertTrafficExample")]
    [TestCase("DifferenceExample")]
    public void Passes(string test) => Assert.That(_run.Output, Does.Contain("  Passed " + test + " "), _run.Output);

    [Test]
    public void TheHostRanTheMemoryTestsAndTheOthersFailedAsMeant()
    {
        Assert.That(_run.Output, Does.Contain("Total tests: 22" + System.Environment.NewLine + "     Passed: 16" + System.Environment.NewLine + "     Failed: 6"));
        Assert.That(_run.Output, Does.Contain("Benchmem: memory host ran 12 of 12 memory test(s) with exact heap and traffic counts."));
        Assert.That(_run.Output, Does.Contain("Benchmem: memory host measured 6 of 6 benchmark(s) with exact allocation counts and live peaks"));
    }

    [Test]
    public void AssertTrafficOnATestNamesQueryValueLimitAndTopTypes() =>
        Assert.That(_run.Output, Does.Contain("[AssertTraffic] Type.Is<System.String>(): the test allocated 50 object(s), over AllocatedObjectsCount = 10; "
            + "top types: System.String 50 (2,400 B)"));

    [Test]
    public void AssertTrafficOnABenchmarkIsJudgedOnEveryPass() =>
        Assert.That(_run.Output, Does.Contain("[AssertTraffic] Type.Is<System.String>(): pass 1 of 2 allocated 50 object(s), over AllocatedObjectsCount = 10; "
            + "top types: System.String 50 (2,400 B) (2 of 2 passes over)"));

    [Test]
    public void ZeroAllocFailsOnOneObject()
    {
        Assert.That(_run.Output, Does.Contain("  Failed AllocatesOne "));
        Assert.That(_run.Output, Does.Match(@"\[ZeroAlloc\]: pass 1 of \d+ allocated 1 object\(s\), 24 B; top types: Benchmarked\.Token 1 \(24 B\)"));
    }

    [Test]
    public void MaxRetainedFailsTheLeak()
    {
        Assert.That(_run.Output, Does.Contain("  Failed LeaksPerCall "));
        Assert.That(_run.Output, Does.Contain("exceeds MaxRetained 1KiB (worst of 2 passes)"));
        // Ground truth: 100 calls a pass, each keeping one 24-byte object; retained is exact to ±512 B.
        using var results = SampleSuite.ReadJson(_suite.DefaultResultsPath);
        var leak = results.RootElement.GetProperty("Benchmarks").EnumerateArray().Single(b => b.GetProperty("Method").GetString() == "LeaksPerCall");
        var retained = leak.GetProperty("Benchmem").GetProperty("Series").GetProperty("RetainedBytes").EnumerateArray().Select(v => v.GetInt64()).ToList();
        Assert.That(retained, Has.Count.EqualTo(2).And.All.InRange(100 * 24 - 512, 100 * 24 + 512));
    }

    [Test]
    public void InProcessTrafficNamesTheFix() =>
        Assert.That(_run.Output, Does.Contain(") needs every allocation counted, which only the memory host's profiler does, "
            + "and this test runs in process (CORECLR_ENABLE_PROFILING is not set, not 1;"));

    [Test]
    public void MixedSurvivorsInProcessAreRefusedWithTheFix()
    {
        Assert.That(_run.Output, Does.Contain("  Failed InProcessMixedSurvivorsAreRefused "));
        Assert.That(_run.Output, Does.Contain(").GetSurvivedObjects(Type.Is<Sample.Caching.CacheEntry>()) cannot be told exactly: "
            + "objects of Sample.Caching.CacheEntry were live at both points and this process does not count allocations, so survivors cannot be told "
            + "from new ones; run the test in the memory host ([MemoryTest], the profiler's platforms) or narrow the query to types that were not "
            + "live at the check point"));
    }

    [Test]
    public void TheFirstSnapshotRunWritesExactCounts()
    {
        Assert.That(_run.Output, Does.Contain($"Benchmem: wrote the allocation snapshot {_lock} (6 benchmark(s)); commit it"));
        var entry = _written.RootElement.GetProperty("Benchmarks").GetProperty("Benchmarked.BenchmarkChecks.Snapshotted");
        Assert.That(entry.GetProperty("Allocations").GetInt64(), Is.EqualTo(8));
        Assert.That(entry.GetProperty("AllocatedBytes").GetInt64(), Is.EqualTo(320));
        Assert.That(entry.GetProperty("Types").EnumerateArray().Select(t => (t.GetProperty("Type").GetString(), t.GetProperty("Objects").GetInt64(), t.GetProperty("Bytes").GetInt64())),
            Is.EqualTo(new[] { ("System.String", 3L, 144L), ("Sample.Caching.CacheEntry", 3L, 72L), ("System.Object[]", 1L, 72L), ("System.Collections.Generic.List<Object>", 1L, 32L) }));
        var zero = _written.RootElement.GetProperty("Benchmarks").GetProperty("Benchmarked.BenchmarkChecks.SumsInPlace");
        Assert.That(zero.GetProperty("Allocations").GetInt64(), Is.Zero);
    }

    [Test]
    public void OneChangedCountFailsWithThePerTypeDifference()
    {
        Assert.That(_changed.Output, Does.Contain("  Failed Snapshotted "), _changed.Output);
        Assert.That(_changed.Output, Does.Contain($"Benchmem: the allocations changed against the snapshot {_lock}:" + System.Environment.NewLine
            + "allocations 8 → 9 (+1), bytes 320 → 368 (+48)" + System.Environment.NewLine
            + "  System.String: 3 (144 B) → 4 (192 B)" + System.Environment.NewLine
            + $"If the change is intended, run: benchmem accept {_lock}"));
        Assert.That(_changed.Output, Does.Contain($"Benchmem: allocation snapshot {_lock}: 1 benchmark(s) changed, 0 new; this run's counts are in "
            + $"{AllocationSnapshot.PendingPath(_lock)}. To take them: benchmem accept {_lock}"));
    }

    [Test]
    public void AcceptTakesTheChangeAndTheNextRunPasses()
    {
        Assert.That(_accept.ExitCode, Is.Zero, _accept.ToString());
        Assert.That(_accept.StdoutLines, Is.EqualTo(new[]
        {
            "changed: Benchmarked.BenchmarkChecks.Snapshotted: allocations 8 → 9 (+1), bytes 320 → 368 (+48)",
            "  System.String: 3 (144 B) → 4 (192 B)",
            $"Accepted 1 changed and 0 new benchmark(s) into {_lock} (6 in all).",
        }));
        Assert.That(_afterAccept.ExitCode, Is.Zero, _afterAccept.Output);
        Assert.That(_afterAccept.Output, Does.Contain($"Benchmem: allocation snapshot {_lock}: all 1 benchmark(s) match."));
        Assert.That(File.Exists(AllocationSnapshot.PendingPath(_lock)), Is.False);
    }

    [Test]
    public void HostInProcessAnswersLiveQueriesAndRefusesTraffic()
    {
        Assert.That(_inProcess.Output, Does.Contain("Benchmem: Benchmem.Host=inprocess: 2 memory test(s) run in process: live-object queries from the "
            + "runtime's heap dump, traffic queries fail (they need the memory host's profiler)."));
        Assert.That(_inProcess.Output, Does.Contain("  Passed CacheLeaksUntilDisposed "), _inProcess.Output);
        Assert.That(_inProcess.Output, Does.Contain("  Failed TrafficByTypeIsExact "));
        Assert.That(_inProcess.Output, Does.Contain(") needs every allocation counted, which only the memory host's profiler does, and this test runs in process"));
    }
}
