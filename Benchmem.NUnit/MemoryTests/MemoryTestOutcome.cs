namespace Benchmem.NUnit.MemoryTests;

/// <summary>How a memory test ended in the memory host: one JSON line each, beside the host's results (appended and flushed
/// as each test ends, so a host that dies keeps what finished).</summary>
public sealed record MemoryTestOutcome(string FullName, bool Passed, string Message, string Output)
{
    internal static string PathBeside(string hostOutput) => hostOutput + ".memory-tests.jsonl";

    internal static void Append(string path, MemoryTestOutcome outcome) => JsonLines.Append(path, outcome);

    internal static IEnumerable<MemoryTestOutcome> ReadAll(string path) => JsonLines.ReadAll<MemoryTestOutcome>(path);
}
