using System.Diagnostics;
using Benchmem.Core.Provenance;

namespace Benchmem.Core.Tests.Provenance;

/// <summary>Test hosts of one dotnet test invocation see each other while they are alive, and only then.</summary>
public class RunPeersTests
{
    private string _root = null!;

    [SetUp]
    public void Folder() => _root = Directory.CreateTempSubdirectory("benchmem-peers-").FullName;

    [TearDown]
    public void CleanUp() => Directory.Delete(_root, recursive: true);

    private static Process Sleeper() => Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;

    [Test]
    public void AnotherLiveTestHostOfTheRunIsSeen_ADeadOneIsNot()
    {
        using var peers = RunPeers.Join("4242:99", "ProjectA", _root)!;
        var folder = Path.Combine(_root, "benchmem-runs", "4242-99");
        using var live = Sleeper();
        using var dead = Sleeper();
        dead.Kill();
        dead.WaitForExit();
        File.WriteAllBytes(Path.Combine(folder, $"{live.Id}.ProjectB"), []);
        File.WriteAllBytes(Path.Combine(folder, $"{dead.Id}.ProjectC"), []);
        try
        {
            Assert.That(peers.Others(), Is.EqualTo(new[] { "ProjectB" }));
            Assert.That(File.Exists(Path.Combine(folder, $"{dead.Id}.ProjectC")), Is.False, "a dead host's file is removed");
            // Another run (another key) is not a peer.
            using var other = RunPeers.Join("7:7", "ProjectD", _root)!;
            Assert.That(other.Others(), Is.Empty);
        }
        finally
        {
            live.Kill();
        }
        live.WaitForExit();
        Assert.That(peers.Others(), Is.Empty, "it finished");
    }

    [Test]
    public void LeavingRemovesItsFile_AndWithoutARunKeyNothingIsTold()
    {
        var peers = RunPeers.Join("1:2", "ProjectA", _root)!;
        var folder = Path.Combine(_root, "benchmem-runs", "1-2");
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { $"{Environment.ProcessId}.ProjectA" }));
        peers.Dispose();
        Assert.That(Directory.Exists(folder), Is.False);
        Assert.That(RunPeers.Join(null, "ProjectA", _root), Is.Null);
    }
}
