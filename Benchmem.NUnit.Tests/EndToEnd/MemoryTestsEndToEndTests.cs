using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// Memory tests (Heap, [MemoryTest], [AssertTraffic]) in one real `dotnet test` run of a sample suite with known object
/// graphs: a cache leaking n entries, a call making exactly k strings among other types, survivors between points,
/// namespace wildcards, dotMemoryUnit's documentation examples ported; the sample's tests assert the exact counts
/// (object sizes: 24 B per small object, 48 B per 10-char string), this fixture the outcomes and failure messages.
/// </summary>
[TestFixture]
public class MemoryTestsEndToEndTests
{
    private SampleSuite _suite = null!;
    private ProcessResult _run = null!;

    [OneTimeSetUp]
    public void RunSuite()
    {
        _suite = SampleSuite.Create("MemoryTestsSample", Samples.Load("MemoryTests"));
        _run = _suite.Test(["--logger", "console;verbosity=normal"]);
        TestContext.Progress.WriteLine(_run.Output);
    }

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    [TestCase("CacheLeaksUntilDisposed")]
    [TestCase("QueriesCombineAndNamespacesMatchByWildcard")]
    [TestCase("TrafficByTypeIsExact")]
    [TestCase("SurvivorsBetweenPoints")]
    [TestCase("InProcessLiveObjects")]
    [TestCase("WithinItsTrafficLimits")]
    [TestCase("TestMethod1")]
    [TestCase("AlternativeSyntax")]
    [TestCase("GroupTrafficByType")]
    [TestCase("NoFooIsAlive")]
    [TestCase("AssertTrafficExample")]
    [TestCase("DifferenceExample")]
    public void Passes(string test) => Assert.That(_run.Output, Does.Contain("Passed " + test + " "), _run.Output);

    [Test]
    public void TheHostRanTheMemoryTests()
    {
        Assert.That(_run.Output, Does.Contain("Failed:     3, Passed:    12"));
        Assert.That(_run.Output, Does.Contain("Benchmem: memory host ran 12 of 12 memory test(s) with exact heap and traffic counts."));
    }

    [Test]
    public void OverTheLimitNamesQueryValueLimitAndTopTypes() =>
        Assert.That(_run.Output, Does.Contain("[AssertTraffic] Type.Is<System.String>(): the test allocated 50 object(s), over AllocatedObjectsCount = 10; "
            + "top types: System.String 50 (2,400 B)"));

    [Test]
    public void InProcessTrafficNamesTheFix() =>
        Assert.That(_run.Output, Does.Contain(") needs every allocation counted, which only the memory host's profiler does, "
            + "and this test runs in process (CORECLR_ENABLE_PROFILING is not set, not 1;"));

    [Test]
    public void MixedSurvivorsAreRefused() =>
        Assert.That(_run.Output, Does.Contain(").GetSurvivedObjects(Type.Is<Sample.Caching.CacheEntry>()) cannot be told exactly: "
            + "objects of Sample.Caching.CacheEntry were live at both points and some were allocated in between and some died, so the counts leave "
            + "more than one answer; narrow the query, or compare GetObjects(...) counts at the two points"));
}
