using System.Text.Json;
using Benchmem.Core.Heaps;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>One type's allocations in one memory pass; <paramref name="TypeName"/> is its assembly-qualified name (to find the
/// type again in the test host), null when the runtime could not name it.</summary>
public sealed record TypeRow(string Name, string? TypeName, long Objects, long Bytes);

/// <summary>
/// A benchmark's allocations by type in each memory pass, from the memory host's profiler (marks around each pass's calls):
/// what [AssertTraffic] on a [Benchmark] and the allocation snapshot judge. One JSON line per benchmark, beside the host's
/// results.
/// </summary>
public sealed record PassTraffic(string FullName, int Calls, List<List<TypeRow>> Passes)
{
    internal static string PathBeside(string hostOutput) => hostOutput + ".traffic.jsonl";

    internal static List<TypeRow> Rows(IEnumerable<TypeCount> counts) =>
        [.. counts.OrderByDescending(c => c.Bytes).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new TypeRow(c.Name, c.Type?.AssemblyQualifiedName, c.Objects, c.Bytes))];

    /// <summary>Pass <paramref name="pass"/> as a traffic (allocated only: a pass's collected objects are not counted).</summary>
    public Traffic Traffic(int pass) =>
        new([.. Passes[pass].Select(r => new TypeTrafficInfo(r.TypeName is null ? null : Type.GetType(r.TypeName, throwOnError: false), r.Name,
            new MemoryInfo(r.Objects, r.Bytes), new MemoryInfo(0, 0)))]);

    internal static void Append(string path, PassTraffic traffic) => JsonLines.Append(path, traffic);

    internal static IEnumerable<PassTraffic> ReadAll(string path) => JsonLines.ReadAll<PassTraffic>(path);
}
