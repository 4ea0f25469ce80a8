using Benchmem.Core.Results;
using Benchmem.Core.Settings;

namespace Benchmem.NUnit.Session;

/// <summary>Benchmem.Storage: the folder of saved runs (Benchmem.Save / Autosave write there, CompareFail reads it).</summary>
internal sealed class SavedRuns(RunStorage storage, Action<string> report)
{
    public RunStorage Storage { get; } = storage;

    /// <summary>Benchmem.Storage, relative to the project directory.</summary>
    public static RunStorage StorageFor(BenchmemSettings settings, string projectDirectory) =>
        new(Path.GetFullPath(settings.Storage, projectDirectory));

    /// <summary>Benchmem.Save=NAME / Benchmem.Autosave=true: keeps the run in storage as NNNN_NAME.json (NAME: the commit without Save).</summary>
    public void SaveIfAsked(BenchmemSettings settings, ResultsSession session)
    {
        if (settings.Save is null && !settings.Autosave)
            return;
        var name = settings.Save ?? (session.Run.Commit is { } c ? c.Id[..Math.Min(7, c.Id.Length)] + (c.Dirty ? "-dirty" : "") : "run");
        try
        {
            report($"Benchmem: saved this run as {Storage.Save(session.ResultsPath, name)}");
        }
        catch (IOException e)
        {
            report($"Benchmem: could not save this run into {Storage.Folder}: {e.Message}");
        }
    }
}
