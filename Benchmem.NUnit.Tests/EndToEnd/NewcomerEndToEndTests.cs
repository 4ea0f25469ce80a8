using System.Text.Json;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// What a new user met (issue 16), end to end with real `dotnet test` runs of one sample suite: a filtered run keeps
/// the rest of the results file, the inline gate names the benchmarks it could not gate, and the in-test
/// Benchmem.Compare reads relative paths from the project directory and the current run's file in the same run.
/// </summary>
[TestFixture]
public class NewcomerEndToEndTests
{
    private SampleSuite _suite = null!;

    [OneTimeSetUp]
    public void Build() => _suite = SampleSuite.Create("Newcomer", Samples.Load("Newcomer"));

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    private ProcessResult Run(IEnumerable<string> arguments, params (string Name, string Value)[] environment) =>
        _suite.Test(arguments, environment.ToDictionary(e => e.Name, e => (string?)e.Value));

    private static Dictionary<string, string?> Benchmarks(string path)
    {
        using var doc = SampleSuite.ReadJson(path);
        return doc.RootElement.GetProperty("Benchmarks").EnumerateArray().ToDictionary(
            b => b.GetProperty("FullName").GetString()!,
            b => b.GetProperty("Benchmem").TryGetProperty("KeptFrom", out var k) ? k.GetString() : null);
    }

    private static string Title(string path)
    {
        using var doc = SampleSuite.ReadJson(path);
        return doc.RootElement.GetProperty("Title").GetString()!;
    }

    [Test]
    public void AFilteredRunKeepsTheOtherBenchmarksOfTheFileMarked()
    {
        string[] all = ["Sample.Lookups.Small", "Sample.Lookups.Large", "Sample.Lookups.Cases(n: 10)"];
        var full = Run([]);
        Assert.That(full.ExitCode, Is.EqualTo(0), full.Output);
        var path = _suite.DefaultResultsPath;
        Assert.That(Benchmarks(path), Is.EquivalentTo(all.ToDictionary(n => n, _ => (string?)null)));
        string firstTitle = Title(path);

        var filtered = Run(["--filter", "Name=Small"]);
        Assert.That(filtered.ExitCode, Is.EqualTo(0), filtered.Output);
        Assert.That(filtered.Output, Does.Contain("Passed:     1,"), "the filter ran one test");
        Assert.That(filtered.Output, Does.Contain("Benchmem: this run measured 1 of the suite's 3 benchmark(s) (a --filter, or tests that failed); "
            + $"the results file keeps the other 2 from {firstTitle} (written "));
        var kept = Benchmarks(path);
        Assert.That(kept.Keys, Is.EquivalentTo(all), "no benchmark lost");
        Assert.That(kept["Sample.Lookups.Small"], Is.Null, "measured by this run");
        Assert.That(kept["Sample.Lookups.Large"], Does.StartWith(firstTitle + " (written "));
        Assert.That(kept["Sample.Lookups.Cases(n: 10)"], Is.EqualTo(kept["Sample.Lookups.Large"]));
        Assert.That(Title(path), Is.Not.EqualTo(firstTitle), "the file is this run's");

        var again = Run([]);
        Assert.That(again.ExitCode, Is.EqualTo(0), again.Output);
        Assert.That(again.Output, Does.Not.Contain("Benchmem: this run measured"));
        Assert.That(Benchmarks(path).Values, Is.All.Null, "a full run replaces the kept ones");
    }

    [Test]
    public void TheInlineGateNamesNewBenchmarksOnce()
    {
        var storage = Path.Combine(_suite.Directory, "store-" + Guid.NewGuid().ToString("N")[..6]);
        var save = Run(["--", $"Benchmem.Storage={storage}", "Benchmem.Save=base"]);
        Assert.That(save.ExitCode, Is.EqualTo(0), save.Output);

        var gated = Run(["--", $"Benchmem.Storage={storage}", "Benchmem.CompareFail=allocated:10%"], ("SAMPLE_EXTRA", "1"));
        Assert.That(gated.ExitCode, Is.EqualTo(0), gated.Output);
        string line = "Benchmem: CompareFail: 1 benchmark(s) new since the baseline ";
        Assert.That(gated.Output.Split('\n').Count(l => l.Contains(line)), Is.EqualTo(1), gated.Output);
        Assert.That(gated.Output, Does.Match(@"Benchmem: CompareFail: 1 benchmark\(s\) new since the baseline \S+0001_base\.json, so not gated \(no numbers to compare with\): Sample\.Lookups\.Cases\(n: 20\)\."));
    }

    [Test]
    public void CompareRunsReadsTheProjectDirectoryAndThisRunsFile()
    {
        // baseline.json is written into the project directory (Benchmem.Json is relative to it), then a run where
        // Small allocates 4x compares itself against it from inside a test.
        var baseline = Run(["--", "Benchmem.Json=baseline.json"]);
        Assert.That(baseline.ExitCode, Is.EqualTo(0), baseline.Output);
        Assert.That(File.Exists(Path.Combine(_suite.ProjectDirectory, "baseline.json")), baseline.Output);
        File.Delete(_suite.DefaultResultsPath); // nothing to read from an earlier run: the same run must supply it

        var grown = Run([], ("SAMPLE_SIZE", "400"), ("SAMPLE_GATE", "allocated:10%"));
        Assert.That(grown.ExitCode, Is.Not.EqualTo(0), grown.Output);
        Assert.That(grown.Output, Does.Contain($"Benchmem.Compare: {_suite.DefaultResultsPath} is this run's results file, not written until the run ends: "
            + "comparing the 3 benchmark(s) measured so far in this run."));
        Assert.That(grown.Output, Does.Contain("Failed NoRegression"));
        Assert.That(grown.Output, Does.Match(@"allocated\s+Lookups\.Small: 1\d\d B → 4\d\d B \(\+\d+\.\d%\)"));
        Assert.That(grown.Output, Does.Contain("Failed:     1, Passed:     3"));

        var same = Run([], ("SAMPLE_GATE", "allocated:10%"));
        Assert.That(same.ExitCode, Is.EqualTo(0), same.Output);

        var missing = Run([], ("SAMPLE_GATE", "allocated:10%"), ("SAMPLE_BASELINE", "missing.json"));
        Assert.That(missing.ExitCode, Is.Not.EqualTo(0), missing.Output);
        Assert.That(missing.Output, Does.Contain($"{Path.Combine(_suite.ProjectDirectory, "missing.json")}: no such file."), "the full path tried");
    }
}
