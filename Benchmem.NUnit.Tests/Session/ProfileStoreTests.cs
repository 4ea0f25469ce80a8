using Benchmem.Core.Profiles;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>The profile store on a real folder: staging, publishing by rename, the end-of-run listing.</summary>
public class ProfileStoreTests : TempFolderTests
{
    private ProfileStore Store() => new(Path.Combine(Dir, "profiles"), Lines.Add);

    private static string[] Entries(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Test]
    public void StageMakesOneStagingFolderPerRun_AndClearsOnlyThoseOfDeadProcesses()
    {
        var folder = Path.Combine(Dir, "profiles");
        Directory.CreateDirectory(Path.Combine(folder, ".staging-2147483646-dead"));
        var live = Path.Combine(folder, $".staging-{Environment.ProcessId}-other");
        Directory.CreateDirectory(live);
        var store = Store();

        var staging = store.Stage();

        Assert.That(store.Stage(), Is.EqualTo(staging), "staged once per run");
        Assert.That(Path.GetDirectoryName(staging), Is.EqualTo(folder));
        Assert.That(Path.GetFileName(staging), Does.Match($@"^\.staging-{Environment.ProcessId}-[0-9a-f]{{32}}$"));
        Assert.That(Directory.Exists(staging), Is.True);
        Assert.That(Directory.Exists(live), Is.True, "a running process's staging folder is left alone");
        Assert.That(Entries(folder), Has.None.EqualTo(".staging-2147483646-dead"));
    }

    [Test]
    public void PublishMovesTheStagedProfileAndTrace_AndReturnsTheCommandThatRendersIt()
    {
        var store = Store();
        var staging = store.Stage();
        File.WriteAllText(ProfileFolder.ProfilePath(staging, "Perf.T.M"), "profile");
        File.WriteAllText(ProfileFolder.TracePath(staging, "Perf.T.M"), "trace");

        var command = store.Publish("Perf.T.M");

        Assert.That(command, Is.EqualTo($"benchmem profile {store.Folder} Perf.T.M"));
        Assert.That(File.ReadAllText(ProfileFolder.ProfilePath(store.Folder, "Perf.T.M")), Is.EqualTo("profile"));
        Assert.That(File.ReadAllText(ProfileFolder.TracePath(store.Folder, "Perf.T.M")), Is.EqualTo("trace"));
        Assert.That(Directory.GetFiles(staging), Is.Empty);
    }

    [Test]
    public void APublishedProfileWithoutATraceRemovesAnOlderRunsTrace()
    {
        var store = Store();
        var staging = store.Stage();
        File.WriteAllText(ProfileFolder.TracePath(store.Folder, "Perf.T.M"), "an old run's trace");
        File.WriteAllText(ProfileFolder.ProfilePath(staging, "Perf.T.M"), "new profile");

        store.Publish("Perf.T.M");

        Assert.That(File.Exists(ProfileFolder.TracePath(store.Folder, "Perf.T.M")), Is.False);
        Assert.That(File.ReadAllText(ProfileFolder.ProfilePath(store.Folder, "Perf.T.M")), Is.EqualTo("new profile"));
    }

    [Test]
    public void NothingStagedPublishesNothing()
    {
        var store = Store();
        Assert.That(store.Publish("Perf.T.M"), Is.Null, "not even staged");
        store.Stage();
        Assert.That(store.Publish("Perf.T.M"), Is.Null, "staged, but no profile of this benchmark");
    }

    [Test]
    public void CompleteListsEveryPublishedProfile_AndRemovesTheStagingFolder()
    {
        var store = Store();
        var staging = store.Stage();
        foreach (var name in new[] { "Perf.T.A", "Perf.T.B(n: 1)" })
        {
            File.WriteAllText(ProfileFolder.ProfilePath(staging, name), "{}");
            store.Publish(name);
        }

        store.Complete();

        Assert.That(Lines, Is.EqualTo(new[]
        {
            $"Benchmem: 2 allocation profile(s) in {store.Folder}; render one with:",
            $"  benchmem profile {store.Folder} Perf.T.A",
            $"  benchmem profile {store.Folder} 'Perf.T.B(n: 1)'",
        }));
        Assert.That(Directory.Exists(staging), Is.False);
        store.Complete();
        Assert.That(Lines, Has.Count.EqualTo(3), "told once");
    }

    [Test]
    public void CompleteWithoutPublishedProfilesSaysNothing()
    {
        var store = Store();
        store.Stage();
        store.Complete();
        Assert.That(Lines, Is.Empty);
    }

    [Test]
    public void CommandsQuoteWhatAShellWouldSplit() =>
        Assert.That(ProfileStore.Command("/tmp/my profiles", "Perf.T.It's"), Is.EqualTo("benchmem profile '/tmp/my profiles' 'Perf.T.It'\\''s'"));

    [Test]
    public void TheFolderIsBenchmemProfileElseBenchmarkResultsProfiles_UnderTheProject()
    {
        Assert.That(ProfileStore.FolderFor(BenchmemSettings.Default, Dir), Is.EqualTo(Path.Combine(Dir, "BenchmarkResults", "profiles")));
        Assert.That(ProfileStore.FolderFor(BenchmemSettings.Default with { Profile = "prof" }, Dir), Is.EqualTo(Path.Combine(Dir, "prof")));
    }

    [Test]
    public void ABenchmarkWantsAProfileFromTheRunOrItsAttribute()
    {
        Assert.That(ProfileStore.Wants(BenchmemSettings.Default, null), Is.False);
        Assert.That(ProfileStore.Wants(BenchmemSettings.Default, new BenchMemAttribute()), Is.False);
        Assert.That(ProfileStore.Wants(BenchmemSettings.Default, new BenchMemAttribute { Profile = true }), Is.True);
        Assert.That(ProfileStore.Wants(BenchmemSettings.Default with { Profile = "p" }, null), Is.True);
    }
}
