using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>Project set-ups other than the default: Microsoft.Testing.Platform, and the suite hook left out.</summary>
[TestFixture]
public class ProjectSetupEndToEndTests
{
    [Test]
    public void TestParameterSetsTheJsonPathAndTheTableIsPrinted()
    {
        using var suite = SampleSuite.Create("Mtp", Samples.Load("ProjectB"),
            extraProperties: "<EnableNUnitRunner>true</EnableNUnitRunner><OutputType>Exe</OutputType>");
        var exe = Path.Combine(suite.ProjectDirectory, "bin", "Release", "net10.0", "Mtp");
        var json = Path.Combine(suite.Directory, "mtp", "results.json");
        var run = ProcessRunner.Run(exe, ["--test-parameter", $"Benchmem.Json={json}"], suite.ProjectDirectory);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        using var doc = SampleSuite.ReadJson(json);
        Assert.That(doc.RootElement.GetProperty("Benchmarks")[0].GetProperty("FullName").GetString(), Is.EqualTo("ProjectB.BetaBenchmarks.Beta"));

        // Relative to the project directory, as with dotnet test; several parameters at once.
        var relative = ProcessRunner.Run(exe, ["--test-parameter", "Benchmem.Json=out/r.json", "--test-parameter", "Benchmem.Rss=false"], suite.Directory);
        Assert.That(relative.ExitCode, Is.EqualTo(0), relative.Output);
        Assert.That(File.Exists(Path.Combine(suite.ProjectDirectory, "out", "r.json")), relative.Output);

        var bad = ProcessRunner.Run(exe, ["--test-parameter", "Benchmem.Jsno=x.json"], suite.ProjectDirectory);
        Assert.That(bad.ExitCode, Is.Not.EqualTo(0), bad.Output);
        Assert.That(bad.Output, Does.Contain("test parameter Benchmem.Jsno: unknown setting 'Jsno'"));
        Assert.That(bad.Output, Does.Contain("(did you mean Json?)"));
    }

    [Test]
    public void WithoutTheSuiteHookResultsAreWrittenAfterEveryBenchmark()
    {
        // BenchmemSuiteHook=false: no end-of-run hook, so no table, but the file is kept current as benchmarks finish.
        // ProjectB's only test is a [Benchmark] method: the assembly still references nunit.framework without the hook.
        using var suite = SampleSuite.Create("NoHook", Samples.Load("ProjectB", "NoHook"), extraProperties: "<BenchmemSuiteHook>false</BenchmemSuiteHook>");
        var run = suite.Test();
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("Passed:     2"));
        Assert.That(run.Output, Does.Not.Contain("Name (time in"));
        var path = Path.Combine(suite.ProjectDirectory, "BenchmarkResults", "NoHook-report-full.json");
        using var doc = SampleSuite.ReadJson(path);
        Assert.That(doc.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(b => b.GetProperty("FullName").GetString()),
            Is.EquivalentTo(new[] { "ProjectB.BetaBenchmarks.Beta", "NoHook.VoidCases.Gamma(n: 1)" }));
    }
}
