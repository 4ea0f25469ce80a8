using Benchmem.Cli.Tests.Infrastructure;

namespace Benchmem.Cli.Tests;

/// <summary>
/// `benchmem sweep` input errors: exit 2, nothing on stdout, one line on stderr, nothing built or written. The sweeps
/// themselves (real builds of real package versions) are end-to-end tests in Benchmem.NUnit.Tests (SweepEndToEndTests).
/// </summary>
public class SweepTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void WriteProject()
    {
        _dir = new TempDirectory();
        File.WriteAllText(_dir.File("P.csproj"), """<Project Sdk="Microsoft.NET.Sdk" />""");
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static IEnumerable<TestCaseData> BadInputs()
    {
        TestCaseData Case(string expected, params string[] args) => new TestCaseData(args, expected).SetArgDisplayNames(string.Join(' ', args));

        yield return Case("benchmem: Option '--package' is required; see 'benchmem sweep --help'.",
            "sweep", "--project", "P.csproj");
        yield return Case("benchmem: Option '--project' is required; see 'benchmem sweep --help'.",
            "sweep", "--package", "Newtonsoft.Json", "13.0.1");
        yield return Case("benchmem: no versions given for Newtonsoft.Json; list them after the name, e.g. --package Newtonsoft.Json 12.0.3 13.0.1.",
            "sweep", "--package", "Newtonsoft.Json", "--project", "P.csproj");
        yield return Case("benchmem: '13.*' is not a NuGet version; give exact versions such as 13.0.1 or 2.0.0-beta.1 (no ranges or wildcards).",
            "sweep", "--package", "Newtonsoft.Json", "12.0.3", "13.*", "--project", "P.csproj");
        yield return Case("benchmem: --project 'Missing': no such file or folder; give the test project's .csproj or its folder.",
            "sweep", "--package", "Newtonsoft.Json", "13.0.1", "--project", "Missing");
        yield return Case("benchmem: --project 'empty': the folder has no project file; give the test project's .csproj or its folder.",
            "sweep", "--package", "Newtonsoft.Json", "13.0.1", "--project", "empty");
        yield return Case("benchmem: test argument 'Benchmem.Json=x.json': the sweep sets Benchmem.Json itself (<out>/<label>.json); choose the folder with --out instead.",
            "sweep", "--package", "Newtonsoft.Json", "13.0.1", "--project", "P.csproj", "--test-arg", "Benchmem.Json=x.json");
        yield return Case("benchmem: 'net 10' is not a target framework moniker; give one such as net10.0 or net8.0.",
            "sweep", "--package", "Newtonsoft.Json", "13.0.1", "--project", "P.csproj", "-f", "net 10");
    }

    [TestCaseSource(nameof(BadInputs))]
    public void Bad_input_prints_one_line_and_exits_2(string[] args, string expected)
    {
        _dir.Folder("empty");
        var result = Tool.Run(args, _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty, result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { expected }), result.ToString());
        Assert.That(Directory.Exists(_dir.File("benchmem-sweep")), Is.False, "nothing written");
    }

    [Test]
    public void Versions_may_also_be_given_comma_separated()
    {
        var result = Tool.Run(["sweep", "--package", "Newtonsoft.Json", "12.0.3,13.x", "--project", "P.csproj"], _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { "benchmem: '13.x' is not a NuGet version; give exact versions such as 13.0.1 or 2.0.0-beta.1 (no ranges or wildcards)." }));
    }
}
