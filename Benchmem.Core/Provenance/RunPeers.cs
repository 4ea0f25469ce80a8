namespace Benchmem.Core.Provenance;

/// <summary>
/// The test hosts of one <c>dotnet test</c> invocation (one <see cref="RunKey"/>) announce themselves in a folder of
/// the run's own, one empty file <c>&lt;pid&gt;.&lt;assembly&gt;</c> each, so a benchmark can tell that another test
/// assembly of the same run is running beside it: `dotnet test` of a solution runs its assemblies in parallel, and
/// their tests share the cores just as parallel tests of one assembly do.
/// </summary>
public sealed class RunPeers : IDisposable
{
    private readonly string _folder;
    private readonly string _own;

    private RunPeers(string folder, string own)
    {
        _folder = folder;
        _own = own;
    }

    /// <summary>Announces this test host; null without a run key (not Linux), where nothing can be told.</summary>
    public static RunPeers? Join(string? runKey, string assemblyName, string? root = null)
    {
        if (runKey is null)
            return null;
        try
        {
            var folder = Path.Combine(root ?? Path.GetTempPath(), "benchmem-runs", runKey.Replace(':', '-'));
            Directory.CreateDirectory(folder);
            var own = Path.Combine(folder, $"{Environment.ProcessId}.{assemblyName}");
            File.WriteAllBytes(own, []);
            return new RunPeers(folder, own);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // no shared temp folder: the run goes on without telling
        }
    }

    /// <summary>The other assemblies of the run whose test hosts are alive now; files of dead ones are removed.</summary>
    public IReadOnlyList<string> Others()
    {
        var names = new List<string>();
        try
        {
            foreach (var file in Directory.EnumerateFiles(_folder))
            {
                var name = Path.GetFileName(file);
                var dot = name.IndexOf('.');
                if (dot <= 0 || !int.TryParse(name[..dot], out var pid) || pid == Environment.ProcessId)
                    continue;
                if (Results.Journal.IsAlive(pid))
                    names.Add(name[(dot + 1)..]);
                else
                    TryDelete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public void Dispose()
    {
        TryDelete(_own);
        try
        {
            if (!Directory.EnumerateFileSystemEntries(_folder).Any())
                Directory.Delete(_folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
