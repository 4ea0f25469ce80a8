using System.Diagnostics;
using System.Text.Json;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// Benchmarks that throw on their 1000th call, return a faulted Task, never return, or allocate 4 GiB under a
/// 2 GiB heap limit, in one real `dotnet test` run with Benchmem.Timeout: each fails its own test with a clear
/// message, and the well-behaved ones, before and after them, still run and are written.
/// </summary>
[TestFixture]
public class MisbehavingEndToEndTests
{
    private const double TimeoutSeconds = 5;
    private SampleSuite _suite = null!;
    private ProcessResult _run = null!;
    private TimeSpan _elapsed;
    private string _json = "";

    [OneTimeSetUp]
    public void RunSuite()
    {
        _suite = SampleSuite.Create("Misbehaving", Samples.Load("Misbehaving"));
        _json = Path.Combine(_suite.Directory, "misbehaving.json");
        var watch = Stopwatch.StartNew();
        _run = _suite.Test(["--", $"Benchmem.Timeout={TimeoutSeconds}", $"Benchmem.Json={_json}"],
            new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x80000000" });
        _elapsed = watch.Elapsed;
        TestContext.Progress.WriteLine(_run.Output);
    }

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    [Test]
    public void EachMisbehaviourFailsOnlyItsOwnTest()
    {
        Assert.That(_run.Output, Does.Contain("Failed:     4, Passed:     2"));
        Assert.That(_run.Output, Does.Contain("Failed ThrowsOnThe1000thCall"));
        Assert.That(_run.Output, Does.Contain("Failed FaultsOnTheFiftiethCall"));
        Assert.That(_run.Output, Does.Contain("Failed HangsOnTheTenthCall"));
        Assert.That(_run.Output, Does.Contain("Failed AllocatesFourGiB"));
    }

    [Test]
    public void TheMessagesSayWhatHappened()
    {
        Assert.That(_run.Output, Does.Contain("Benchmem: the benchmark threw while it was being measured: InvalidOperationException: call 1000 failed"));
        Assert.That(_run.Output, Does.Contain("Benchmem: the benchmark threw while it was being measured: TimeoutException: task 50 faulted"));
        Assert.That(_run.Output, Does.Contain("Benchmem: the benchmark threw while it was being measured: OutOfMemoryException"));
        Assert.That(_run.Output, Does.Contain("Benchmem: the benchmark did not finish within Benchmem.Timeout=5 s and was abandoned"));
        Assert.That(_run.Output, Does.Contain("Benchmem: WARNING: 1 benchmark(s) passed Benchmem.Timeout and were abandoned"));
        Assert.That(_run.Output, Does.Not.Contain("   at Benchmem."), "no stack trace of Benchmem's own code");
    }

    [Test]
    public void TheOthersAreWritten_AndTheHangCostsOnlyItsTimeout()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(_json));
        var names = doc.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(b => b.GetProperty("Method").GetString()).ToList();
        Assert.That(names, Is.EquivalentTo(new[] { "Fine", "ZFineAfterwards" }));
        Assert.That(_elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "the abandoned benchmark does not hold the run");
    }
}
