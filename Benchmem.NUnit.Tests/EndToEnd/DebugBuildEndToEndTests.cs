using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>A Debug build is measured but flagged, in the table, the test output and the JSON, with the fix.</summary>
[TestFixture]
public class DebugBuildEndToEndTests
{
    [Test]
    public void DebugBenchmarksAreFlaggedWithTheFix()
    {
        using var suite = SampleSuite.Create("DebugSample", Samples.Load("Debug"), configuration: "Debug");
        var run = suite.Test();
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Match(@"DebugBuilt\.Loop \[debug\]"));
        Assert.That(run.Output, Does.Contain("[debug] built without optimizations: timings are not representative; run with -c Release"));
        using var json = SampleSuite.ReadJson(suite.DefaultResultsPath);
        Assert.That(json.RootElement.GetProperty("HostEnvironmentInfo").GetProperty("Configuration").GetString(), Is.EqualTo("DEBUG"));
        Assert.That(json.RootElement.GetProperty("Benchmarks")[0].GetProperty("Benchmem").GetProperty("Optimized").GetBoolean(), Is.False);
    }
}
