using Benchmem.Core.Provenance;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>Benchmem.Save / Autosave into a real storage folder.</summary>
public class SavedRunsTests : TempFolderTests
{
    private (SavedRuns Runs, ResultsSession Session) Prepare(CommitInfo? commit = null)
    {
        var runs = new SavedRuns(SavedRuns.StorageFor(BenchmemSettings.Default with { Storage = "store" }, Dir), Lines.Add);
        var path = WriteRun(Path.Combine(Dir, "results", "Perf-report-full.json"), Record("A", 10));
        var session = new ResultsSession(new RunInfo { Title = "t", AssemblyName = "Perf", Started = DateTimeOffset.UnixEpoch, Commit = commit }, path);
        return (runs, session);
    }

    [Test]
    public void StorageIsBenchmemStorageUnderTheProject() =>
        Assert.That(SavedRuns.StorageFor(BenchmemSettings.Default, Dir).Root, Is.EqualTo(Path.Combine(Dir, ".benchmarks")));

    [Test]
    public void SaveKeepsACopyAsTheNextNumberedName_AndSaysWhere()
    {
        var (runs, session) = Prepare();

        runs.SaveIfAsked(BenchmemSettings.Default with { Save = "base" }, session);
        runs.SaveIfAsked(BenchmemSettings.Default with { Save = "base" }, session);

        var first = Path.Combine(runs.Storage.Folder, "0001_base.json");
        var second = Path.Combine(runs.Storage.Folder, "0002_base.json");
        Assert.That(Lines, Is.EqualTo(new[] { $"Benchmem: saved this run as {first}", $"Benchmem: saved this run as {second}" }));
        Assert.That(File.ReadAllBytes(first), Is.EqualTo(File.ReadAllBytes(session.ResultsPath)));
    }

    [Test]
    public void AutosaveNamesTheRunAfterItsCommit()
    {
        var (runs, session) = Prepare(new CommitInfo("0123456789abcdef", Dirty: true, Branch: null));

        runs.SaveIfAsked(BenchmemSettings.Default with { Autosave = true }, session);

        Assert.That(Lines, Is.EqualTo(new[] { $"Benchmem: saved this run as {Path.Combine(runs.Storage.Folder, "0001_0123456-dirty.json")}" }));
    }

    [Test]
    public void AutosaveOutsideGitNamesItRun()
    {
        var (runs, session) = Prepare();

        runs.SaveIfAsked(BenchmemSettings.Default with { Autosave = true }, session);

        Assert.That(Lines, Is.EqualTo(new[] { $"Benchmem: saved this run as {Path.Combine(runs.Storage.Folder, "0001_run.json")}" }));
    }

    [Test]
    public void WithoutSaveOrAutosaveNothingIsKept()
    {
        var (runs, session) = Prepare();

        runs.SaveIfAsked(BenchmemSettings.Default, session);

        Assert.That(Lines, Is.Empty);
        Assert.That(Directory.Exists(runs.Storage.Root), Is.False);
    }
}
