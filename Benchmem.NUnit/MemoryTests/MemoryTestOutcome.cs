using System.Text.Json;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>How a memory test ended in the memory host: one JSON line each, beside the host's results (appended and flushed
/// as each test ends, so a host that dies keeps what finished).</summary>
public sealed record MemoryTestOutcome(string FullName, bool Passed, string Message, string Output)
{
    internal static string PathBeside(string hostOutput) => hostOutput + ".memory-tests.jsonl";

    internal static void Append(string path, MemoryTestOutcome outcome)
    {
        lock (typeof(MemoryTestOutcome))
            File.AppendAllText(path, JsonSerializer.Serialize(outcome) + "\n");
    }

    internal static IEnumerable<MemoryTestOutcome> ReadAll(string path)
    {
        if (!File.Exists(path))
            yield break;
        foreach (var line in File.ReadLines(path))
        {
            MemoryTestOutcome? outcome = null;
            try
            {
                outcome = JsonSerializer.Deserialize<MemoryTestOutcome>(line);
            }
            catch (JsonException)
            {
                // A line cut short by a host that died mid-write: that test runs in process instead.
            }
            if (outcome is not null)
                yield return outcome;
        }
    }
}
