using System.Diagnostics;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Provenance;

/// <summary>
/// Benchmem's version comes from git (MinVer): 0.2.0-alpha.0.N at N first-parent commits past the root, with the
/// commit as build metadata. Checked against git itself, so a build that packs a fixed version fails here.
/// </summary>
public class BuildVersionTests
{
    [Test]
    public void Version_CountsTheCommits_AndNamesTheCommitItWasBuiltFrom()
    {
        var root = RepositoryRoot();
        var head = Git(root, "rev-parse HEAD");
        if (head is null)
            Assert.Ignore("git is not available here: the build used the default version, checked below.");
        if (Git(root, "rev-parse --is-shallow-repository") == "true")
        {
            Assert.That(RunInfo.Version, Is.EqualTo("0.2.0-alpha.0"));
            return;
        }
        var height = long.Parse(Git(root, "rev-list --count --first-parent HEAD")!) - 1;
        Assert.That(RunInfo.Version, Is.EqualTo(height == 0 ? "0.2.0-alpha.0" : $"0.2.0-alpha.0.{height}"),
            "built at another commit than the one checked out? rebuild before testing");
        Assert.That(RunInfo.BenchmemCommit, Is.EqualTo(head));
    }

    [TestCase("0.2.0-alpha.0.49+5a4c0e37ed79a23759562d93702ce8312daf4ec6", "0.2.0-alpha.0.49", "5a4c0e37ed79a23759562d93702ce8312daf4ec6")]
    [TestCase("0.2.0-alpha.0+ci.7.5a4c0e37ed79a23759562d93702ce8312daf4ec6", "0.2.0-alpha.0", "5a4c0e37ed79a23759562d93702ce8312daf4ec6")]
    [TestCase("1.0.0", "1.0.0", null)]
    [TestCase("1.0.0+local", "1.0.0", null)]
    [TestCase("", "0.0.0", null)]
    public void ReadBuild_SplitsVersionAndCommit(string informational, string version, string? commit) =>
        Assert.That(RunInfo.ReadBuild(informational), Is.EqualTo((version, commit)));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Benchmem.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Benchmem.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? Git(string directory, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("git", arguments)
                { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
