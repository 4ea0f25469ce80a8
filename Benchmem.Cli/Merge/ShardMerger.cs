using System.Text.Json;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Merge;

/// <summary>What to do when two shards hold the same FullName.</summary>
public enum DuplicatePolicy
{
    /// <summary>Refuse, naming both files (the default: a CI matrix should split the benchmarks, not repeat them).</summary>
    Error,
    /// <summary>Keep the benchmark from the earlier shard.</summary>
    First,
    /// <summary>Keep the benchmark from the later shard (e.g. a re-run shard given last).</summary>
    Last,
}

/// <summary>The outcome of a merge, for the summary line.</summary>
public sealed record MergeSummary(int Shards, int Benchmarks, int Replaced, string Output);

/// <summary>
/// Joins shard result files from a CI matrix into one run. Every shard is validated with the ordinary reader first
/// (so a bad shard fails with its own one-line message); the merged file then keeps each benchmark entry exactly as
/// its shard wrote it, and everything outside <c>Benchmarks</c> (Title, HostEnvironmentInfo, the Benchmem block) is
/// the first shard's. Benchmarks keep shard order, then file order; a benchmark replaced under
/// <see cref="DuplicatePolicy.Last"/> keeps the position of its first occurrence.
/// </summary>
public static class ShardMerger
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static MergeSummary Merge(IReadOnlyList<string> shards, string output, DuplicatePolicy policy)
    {
        if (shards.Count == 0)
            throw new UsageException("merge: no shard files given; give the shard results files (or a directory of them) and -o OUT.json.");

        var documents = new List<JsonDocument>();
        try
        {
            var entries = new List<(string FullName, JsonElement Element)>();
            var where = new Dictionary<string, (int Index, string Shard)>(StringComparer.Ordinal);
            int replaced = 0;
            foreach (var shard in shards)
            {
                // Validates the shape, FullName uniqueness inside the shard and the schema version.
                var run = BenchmarkRun.Load(shard);
                var bytes = File.ReadAllBytes(shard);
                // The reader accepts a UTF-8 byte order mark; the parser does not.
                var doc = JsonDocument.Parse(bytes.AsMemory(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0));
                documents.Add(doc);
                var elements = doc.RootElement.GetProperty("Benchmarks").EnumerateArray().ToList();
                for (int i = 0; i < elements.Count; i++)
                {
                    var name = run.Benchmarks[i].FullName;
                    if (where.TryGetValue(name, out var seen))
                    {
                        switch (policy)
                        {
                            case DuplicatePolicy.Error:
                                throw new UsageException(
                                    $"merge: \"{name}\" is in both {seen.Shard} and {shard}; give each shard distinct benchmarks, or pass --prefer last (or first) to keep one.");
                            case DuplicatePolicy.Last:
                                entries[seen.Index] = (name, elements[i]);
                                where[name] = (seen.Index, shard);
                                replaced++;
                                break;
                            case DuplicatePolicy.First:
                                replaced++;
                                break;
                        }
                        continue;
                    }
                    where[name] = (entries.Count, shard);
                    entries.Add((name, elements[i]));
                }
            }

            var first = documents[0].RootElement;
            try
            {
                AtomicFile.Write(output, stream =>
                {
                    using var w = new Utf8JsonWriter(stream, Indented);
                    w.WriteStartObject();
                    foreach (var property in first.EnumerateObject())
                    {
                        if (property.NameEquals("Benchmarks"))
                        {
                            w.WriteStartArray("Benchmarks");
                            foreach (var (_, element) in entries)
                                element.WriteTo(w);
                            w.WriteEndArray();
                        }
                        else
                            property.WriteTo(w);
                    }
                    w.WriteEndObject();
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"merge: cannot write {output}: {e.Message} Choose an -o path in a writable folder.");
            }
            return new MergeSummary(shards.Count, entries.Count, replaced, output);
        }
        finally
        {
            foreach (var d in documents)
                d.Dispose();
        }
    }
}
