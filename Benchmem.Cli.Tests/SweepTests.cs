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

        yield return Case("benchmem: Option '--package' or '--ref' is required: the package versions to sweep (--package Newtonsoft.Json 12.0.3 13.0.1) or the git refs to run (--ref main --ref HEAD); see 'benchmem sweep --help'.",
            "sweep", "--project", "P.csproj");
        yield return Case("benchmem: --ref and --package Newtonsoft.Json both given; a sweep runs either git refs or package versions — sweep the refs with --pin Newtonsoft.Json=VERSION, or the versions at one checkout.",
            "sweep", "--package", "Newtonsoft.Json", "13.0.1", "--ref", "main", "--project", "P.csproj");
        yield return Case("benchmem: --pin Newtonsoft.Json: give NAME=VERSION, e.g. --pin Newtonsoft.Json=13.0.3.",
            "sweep", "--package", "NUnit", "4.3.2", "--pin", "Newtonsoft.Json", "--project", "P.csproj");
        yield return Case("benchmem: --pin Newtonsoft.Json=13.*: '13.*' is not a NuGet version; give an exact one, e.g. --pin Newtonsoft.Json=13.0.3 (no ranges or wildcards).",
            "sweep", "--package", "NUnit", "4.3.2", "--pin", "Newtonsoft.Json=13.*", "--project", "P.csproj");
        yield return Case("benchmem: --pin newtonsoft.json given twice (13.0.1 and 13.0.3); pin each package once.",
            "sweep", "--package", "NUnit", "4.3.2", "--pin", "Newtonsoft.Json=13.0.1", "--pin", "newtonsoft.json=13.0.3", "--project", "P.csproj");
        yield return Case("benchmem: --pin NUnit=4.3.2: NUnit is the swept package; its versions come from --package, so drop the --pin.",
            "sweep", "--package", "NUnit", "4.3.1", "--pin", "NUnit=4.3.2", "--project", "P.csproj");
        yield return Case("benchmem: --interleave 1: give the number of rounds, 2 to 1000 (each round runs both sides once; two rounds give the first interval).",
            "sweep", "--package", "NUnit", "4.3.1", "4.3.2", "--interleave", "1", "--project", "P.csproj");
        yield return Case("benchmem: --interleave alternates two sides (A B, B A, …), and this sweep has 3 (NUnit-4.2.2, NUnit-4.3.1, NUnit-4.3.2); give exactly two versions or two refs (and at most one --framework).",
            "sweep", "--package", "NUnit", "4.2.2", "4.3.1", "4.3.2", "--interleave", "3", "--project", "P.csproj");
        yield return Case("benchmem: --ref: P.csproj is not in a git repository (git rev-parse --show-toplevel failed in {dir}); give the project inside the repository whose refs to run.",
            "sweep", "--ref", "main", "--ref", "HEAD", "--project", "P.csproj");
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
        Assert.That(result.StderrLines, Is.EqualTo(new[] { expected.Replace("{dir}", _dir.Path) }), result.ToString());
        Assert.That(Directory.Exists(_dir.File("benchmem-sweep")), Is.False, "nothing written");
    }

    /// <summary>A ref where the project does not exist yet is a failed run, named with its commit; nothing is built and no worktree stays.</summary>
    [Test]
    public void A_ref_without_the_project_fails_that_run()
    {
        void Git(params string[] args)
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", _dir.Path, "-c", "user.email=t@t", "-c", "user.name=t", .. args]))!;
            Assert.That(git.WaitForExit(30_000) && git.ExitCode == 0, Is.True, "git " + string.Join(' ', args));
        }
        File.WriteAllText(_dir.File("README"), "first");
        Git("init", "-q", "-b", "main");
        Git("add", "README");
        Git("commit", "-qm", "before the project");
        Git("tag", "first");
        using var rev = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", _dir.Path, "rev-parse", "first"]) { RedirectStandardOutput = true })!;
        var commit = rev.StandardOutput.ReadToEnd().Trim();

        var result = Tool.Run(["sweep", "--ref", "first", "--project", "P.csproj", "--out", "out"], _dir.Path, environment: null);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: 1 of 1 run(s) failed:",
            $"  first: P.csproj does not exist at first ({commit[..12]}) (log: out/first.log)",
        }), result.ToString());
        Assert.That(Directory.GetFiles(_dir.File("out")).Select(Path.GetFileName), Is.EqualTo(new[] { "first.log" }));
        Assert.That(Directory.Exists(_dir.File(".git/worktrees")) && Directory.EnumerateFileSystemEntries(_dir.File(".git/worktrees")).Any(), Is.False, "no worktree left registered");
    }

    /// <summary>A ref the repository does not have stops the sweep before any checkout, naming the ref and how to list them.</summary>
    [Test]
    public void An_unknown_ref_is_bad_input()
    {
        foreach (var args in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "P.csproj"], ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "one"] })
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", _dir.Path, .. args]))!;
            Assert.That(git.WaitForExit(30_000) && git.ExitCode == 0, Is.True, "git " + string.Join(' ', args));
        }
        var result = Tool.Run(["sweep", "--ref", "main", "--ref", "no-such-branch", "--project", "P.csproj"], _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty, result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            $"benchmem: --ref no-such-branch: no such branch, tag or commit in {_dir.Path}; list them with `git -C {_dir.Path} branch -a` (a remote branch needs `git fetch` first).",
        }), result.ToString());
        Assert.That(Directory.Exists(_dir.File("benchmem-sweep")), Is.False, "nothing written");
        Assert.That(Directory.Exists(_dir.File(".git/worktrees")), Is.False, "no worktree added");
    }

    [Test]
    public void Versions_may_also_be_given_comma_separated()
    {
        var result = Tool.Run(["sweep", "--package", "Newtonsoft.Json", "12.0.3,13.x", "--project", "P.csproj"], _dir.Path, environment: null);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { "benchmem: '13.x' is not a NuGet version; give exact versions such as 13.0.1 or 2.0.0-beta.1 (no ranges or wildcards)." }));
    }
}
