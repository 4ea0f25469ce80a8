using Benchmem.Sweeps.Tests.Infrastructure;

namespace Benchmem.Sweeps.Tests;

/// <summary>Bad input stops a sweep before anything is copied or built, with one line naming the input and the fix.</summary>
public class SweepInputTests
{
    private TempDirectory _dir = null!;
    private string _project = null!;

    [SetUp]
    public void Create()
    {
        _dir = new TempDirectory();
        _project = _dir.File("P.csproj");
        File.WriteAllText(_project, """<Project Sdk="Microsoft.NET.Sdk" />""");
    }

    [TearDown]
    public void Delete() => _dir.Dispose();

    private string Message(string package = "Newtonsoft.Json", string[]? versions = null, string? project = null, string[]? frameworks = null,
        string[]? testArguments = null, string? outDirectory = null) =>
        Assert.Throws<SweepInputException>(() => new Sweep
        {
            Package = package,
            Versions = versions ?? ["13.0.1"],
            Project = project ?? _project,
            Frameworks = frameworks ?? [],
            TestArguments = testArguments ?? [],
            OutDirectory = outDirectory ?? _dir.File("out"),
        }.Run())!.Message;

    [Test]
    public void No_package() =>
        Assert.That(Message(package: " "), Is.EqualTo("no package given; name the NuGet package whose versions to sweep, e.g. --package Newtonsoft.Json 12.0.3 13.0.1."));

    [Test]
    public void A_package_id_with_a_path_in_it() =>
        Assert.That(Message(package: "../evil"), Is.EqualTo("'../evil' is not a NuGet package id (letters, digits, '.', '_', '-'); e.g. --package Newtonsoft.Json 12.0.3 13.0.1."));

    [Test]
    public void No_versions() =>
        Assert.That(Message(versions: []), Is.EqualTo("no versions given for Newtonsoft.Json; list them after the name, e.g. --package Newtonsoft.Json 12.0.3 13.0.1."));

    [TestCase("13.*")]
    [TestCase("[13.0.1,)")]
    [TestCase("13")]
    [TestCase("13.0.1/../x")]
    public void A_version_that_is_not_one_exact_version(string version) =>
        Assert.That(Message(versions: ["13.0.1", version]), Is.EqualTo($"'{version}' is not a NuGet version; give exact versions such as 13.0.1 or 2.0.0-beta.1 (no ranges or wildcards)."));

    [Test]
    public void A_bad_framework() =>
        Assert.That(Message(frameworks: ["net 10"]), Is.EqualTo("'net 10' is not a target framework moniker; give one such as net10.0 or net8.0."));

    [Test]
    public void A_results_path_among_the_test_arguments() =>
        Assert.That(Message(testArguments: ["Benchmem.Repeats=3", "Benchmem.Json=x.json"]),
            Is.EqualTo("test argument 'Benchmem.Json=x.json': the sweep sets Benchmem.Json itself (<out>/<label>.json); choose the folder with --out instead."));

    [Test]
    public void A_missing_project()
    {
        var missing = _dir.File("Nope");
        Assert.That(Message(project: missing), Is.EqualTo($"--project '{missing}': no such file or folder; give the test project's .csproj or its folder."));
    }

    [Test]
    public void A_folder_with_two_projects()
    {
        File.WriteAllText(_dir.File("Q.csproj"), "<Project />");
        Assert.That(Message(project: _dir.Path), Is.EqualTo($"--project '{_dir.Path}': the folder has 2 project files (P.csproj, Q.csproj); name one."));
    }

    [Test]
    public void An_output_path_that_is_a_file()
    {
        var file = _dir.File("out.txt");
        File.WriteAllText(file, "");
        Assert.That(Message(outDirectory: file), Is.EqualTo($"--out '{file}' is a file; give a folder for the results."));
    }

    [Test]
    public void Nothing_is_written_for_bad_input()
    {
        _ = Message(versions: ["nope"]);
        Assert.That(Directory.Exists(_dir.File("out")), Is.False);
    }
}
