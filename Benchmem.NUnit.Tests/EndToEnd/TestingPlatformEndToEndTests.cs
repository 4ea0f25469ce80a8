using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>Under Microsoft.Testing.Platform (NUnit's runner), settings arrive as --test-parameter Benchmem.X=value.</summary>
[TestFixture]
public class TestingPlatformEndToEndTests
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

        var bad = ProcessRunner.Run(exe, ["--test-parameter", "Benchmem.Jsno=x.json"], suite.ProjectDirectory);
        Assert.That(bad.ExitCode, Is.Not.EqualTo(0), bad.Output);
        Assert.That(bad.Output, Does.Contain("test parameter Benchmem.Jsno: unknown setting 'Jsno'"));
    }
}
