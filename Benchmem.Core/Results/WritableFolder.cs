namespace Benchmem.Core.Results;

/// <summary>
/// Checks, before any benchmark runs, that a folder results will be written into could be made and written:
/// finding out at the end of a long run loses the run. It creates nothing: a run with no benchmark leaves no folder.
/// </summary>
public static class WritableFolder
{
    /// <summary>Null when <paramref name="folder"/> exists or could be created, and takes files; otherwise why not.</summary>
    public static string? Problem(string folder)
    {
        try
        {
            // The deepest part of the path that exists decides: a file there means the folder can never be made, and
            // a folder there must take a new file (checked with a probe that deletes itself).
            var existing = Path.GetFullPath(folder);
            while (!Directory.Exists(existing))
            {
                if (File.Exists(existing))
                    return $"{existing} is a file, not a folder";
                existing = Path.GetDirectoryName(existing) ?? throw new IOException("no part of the path exists");
            }
            var probe = Path.Combine(existing, $".benchmem-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return e.Message;
        }
    }
}
