using System.Text.Json;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// The memory host's sidecar files beside its results (memory-test outcomes, per-pass traffic): one JSON object per
/// line, appended and flushed as each item is done, so a host that dies keeps what finished. A line cut short by such a
/// death is skipped on reading: its test or benchmark then has nothing from the host.
/// </summary>
internal static class JsonLines
{
    private static readonly object Gate = new();

    public static void Append<T>(string path, T item)
    {
        lock (Gate)
            File.AppendAllText(path, JsonSerializer.Serialize(item) + "\n");
    }

    public static IEnumerable<T> ReadAll<T>(string path) where T : class
    {
        if (!File.Exists(path))
            yield break;
        foreach (var line in File.ReadLines(path))
        {
            T? item = null;
            try
            {
                item = JsonSerializer.Deserialize<T>(line);
            }
            catch (JsonException)
            {
                // cut short by a host that died mid-write
            }
            if (item is not null)
                yield return item;
        }
    }
}
