using System.Text.RegularExpressions;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// The README's install, literally, into the project `dotnet new nunit` writes (NUnit 4.3.2, NUnit3TestAdapter 5.0.0):
/// the local feed added with `dotnet nuget add source`, `dotnet add package Benchmem.NUnit --version …` (no NU1605
/// downgrade), then a run with memory passes, and the run's messages each said once.
/// </summary>
[TestFixture]
public class InstallEndToEndTests
{
    private SampleSuite _suite = null!;
    private ProcessResult _add = null!, _build = null!;

    [OneTimeSetUp]
    public void Install()
    {
        _suite = SampleSuite.Create("Template", Samples.Load("Template"), packages: SampleSuite.TemplateNUnit4Packages, benchmemReference: false);
        // The suite's nuget.config names only this run's feed: start from one without it, as a user's machine is.
        var config = Path.Combine(_suite.Directory, "nuget.config");
        File.WriteAllText(config, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n  </packageSources>\n</configuration>\n");
        var source = _suite.Dotnet(["nuget", "add", "source", PackedPackages.Feed, "--name", "benchmem-local", "--configfile", config]);
        Assert.That(source.ExitCode, Is.EqualTo(0), source.Output);
        _add = _suite.Dotnet(["add", "package", "Benchmem.NUnit", "--version", PackedPackages.Version]);
        _build = _add.ExitCode == 0 ? _suite.Build() : _add;
    }

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [Test]
    public void AddPackageOnNUnit4RestoresWithoutADowngrade()
    {
        Assert.That(_add.ExitCode, Is.EqualTo(0), _add.Output);
        Assert.That(_add.Output, Does.Not.Contain("NU1605"));
        Assert.That(File.ReadAllText(Path.Combine(_suite.ProjectDirectory, "Template.csproj")),
            Does.Contain($"<PackageReference Include=\"Benchmem.NUnit\" Version=\"{PackedPackages.Version}\" />"));
        Assert.That(_build.ExitCode, Is.EqualTo(0), _build.Output);
    }

    [Test]
    public void OnNUnit4TheRunMeasuresAndABadAttributeIsOneMessage()
    {
        Assert.That(_build.ExitCode, Is.EqualTo(0), _build.Output);
        var run = _suite.Test(["--", "Benchmem.Enabled=true"]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output);
        Assert.That(run.Output, Does.Contain("Failed:     1, Passed:     4"), run.Output);
        // byte[1000]: 24 bytes of header and length, 1000 of data: 1,024 bytes, one object, counted by the host's profiler.
        using var json = SampleSuite.ReadJson(_suite.DefaultResultsPath);
        var kilobyte = json.RootElement.GetProperty("Benchmarks").EnumerateArray()
            .Single(b => b.GetProperty("Method").GetString() == "Kilobyte").GetProperty("Benchmem");
        Assert.That(kilobyte.GetProperty("Series").GetProperty("AllocatedBytes").EnumerateArray().Select(v => v.GetInt64()), Is.EqualTo(new[] { 1024L, 1024L }));
        Assert.That(kilobyte.GetProperty("Series").GetProperty("Allocations").EnumerateArray().Select(v => v.GetInt64()), Is.EqualTo(new[] { 1L, 1L }));
        // The run block names the package's own version and the commit it was packed from.
        var block = json.RootElement.GetProperty("Benchmem");
        Assert.That(block.GetProperty("Version").GetString(), Is.EqualTo(PackedPackages.Version));
        var head = ProcessRunner.Run("git", ["rev-parse", "HEAD"], PackedPackages.RepositoryRoot);
        if (head.ExitCode == 0)
            Assert.That(block.GetProperty("BenchmemCommit").GetString(), Is.EqualTo(head.Output.Trim()));

        Assert.That(Count(run.Output, "[BenchMem(MaxPeak = \"1XB\")]: '1XB' has an unknown unit 'XB'"), Is.EqualTo(1), run.Output);
        Assert.That(run.Output, Does.Contain("Benchmem: memory host measured 3 of 4 benchmark(s) with exact allocation counts"));
        Assert.That(run.Output, Does.Contain("1 failed there and are measured in process instead (Template.TemplateBenchmarks.BadCeiling)"));
        Assert.That(run.Output, Does.Not.Contain("child tests had errors"));
        Assert.That(run.Output, Does.Not.Contain("Its output:"));
    }

    [Test]
    public void ASettingsTypoIsOneMessageOnce()
    {
        Assert.That(_build.ExitCode, Is.EqualTo(0), _build.Output);
        var run = _suite.Test(["--", "Benchmem.Enabld=true"]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output);
        Assert.That(Count(run.Output, "unknown setting 'Enabld'"), Is.EqualTo(1), run.Output);
        Assert.That(run.Output, Does.Contain("Failed:     1, Passed:     0, Skipped:     4"), run.Output);
        Assert.That(run.Output, Does.Not.Contain("at Benchmem."), "no stack trace");
        Assert.That(run.Output, Does.Not.Contain("OneTimeSetUp"));
    }
}
