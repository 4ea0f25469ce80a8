using System.Text.Json;
using System.Text.Json.Serialization;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;

namespace Benchmem.Core.Snapshots;

/// <summary>One type's allocations in a benchmark's snapshot pass.</summary>
public sealed record SnapshotType(string Type, long Objects, long Bytes);

/// <summary>A benchmark's exact allocations in one memory pass (<see cref="Calls"/> calls), with its top types.</summary>
public sealed record SnapshotEntry(long Allocations, long AllocatedBytes, int Calls, IReadOnlyList<SnapshotType> Types);

/// <summary>
/// The allocation snapshot (<c>Benchmem.Snapshot=benchmem.lock.json</c>): per benchmark the exact objects and bytes one
/// memory pass allocates and its top types, in a file meant to be committed. Exact counts from the memory host's profiler
/// are deterministic where time and peak are not, so a later run fails any benchmark whose counts changed; <c>benchmem
/// accept</c> takes the run's counts (kept beside the file as <see cref="PendingPath"/>) into it. Sorted by name and
/// indented, so a change reads as a small diff in review.
/// </summary>
public sealed class AllocationSnapshot
{
    public const int SchemaVersion = 1;
    /// <summary>How many types per benchmark the file keeps (the most bytes first).</summary>
    public const int TopTypes = 10;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public SortedDictionary<string, SnapshotEntry> Benchmarks { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Where a run whose counts differ from the file leaves them for <c>benchmem accept</c>.</summary>
    public static string PendingPath(string path) => Path.ChangeExtension(path, null) + ".pending.json";

    private sealed record FileShape(int SchemaVersion, SortedDictionary<string, SnapshotEntry>? Benchmarks);

    /// <summary>Reads a snapshot file; a missing, malformed or newer file is a <see cref="ResultsFileException"/> naming it and the fix.</summary>
    public static AllocationSnapshot Load(string path)
    {
        if (!File.Exists(path))
            throw new ResultsFileException($"{path}: no such allocation snapshot.");
        FileShape? shape;
        try
        {
            shape = JsonSerializer.Deserialize<FileShape>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ResultsFileException($"{path} is not an allocation snapshot ({e.Message}); restore it from version control, or delete it and run the tests with Benchmem.Snapshot again to write a new one.", e);
        }
        if (shape is null || shape.Benchmarks is null)
            throw new ResultsFileException($"{path} is not an allocation snapshot (no Benchmarks object); restore it from version control, or delete it to write a new one.");
        if (shape.SchemaVersion > SchemaVersion)
            throw new ResultsFileException($"{path} was written by a newer Benchmem (snapshot schema {shape.SchemaVersion}; this one reads {SchemaVersion}): update Benchmem.");
        foreach (var (name, entry) in shape.Benchmarks)
            if (entry is null || entry.Allocations < 0 || entry.AllocatedBytes < 0 || entry.Calls < 1 || entry.Types is null)
                throw new ResultsFileException($"{path}: benchmark {name} is malformed (expected Allocations and AllocatedBytes of 0 or more, Calls of 1 or more, and Types).");
        return new AllocationSnapshot { Benchmarks = new(shape.Benchmarks, StringComparer.Ordinal) };
    }

    /// <summary>Writes the file atomically (a reader sees the old file or the new, never half).</summary>
    public void Save(string path) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, new FileShape(SchemaVersion, Benchmarks), Json));

    /// <summary>
    /// Why <paramref name="now"/> differs from <paramref name="then"/> (null when the counts are the same): the totals and the
    /// per-type differences, for the types either side kept.
    /// </summary>
    public static string? Difference(SnapshotEntry then, SnapshotEntry now)
    {
        if (then.Allocations == now.Allocations && then.AllocatedBytes == now.AllocatedBytes && then.Calls == now.Calls)
            return null;
        var lines = new List<string>
        {
            $"allocations {then.Allocations:N0} → {now.Allocations:N0} ({now.Allocations - then.Allocations:+#,0;-#,0;0}), "
            + $"bytes {then.AllocatedBytes:N0} → {now.AllocatedBytes:N0} ({now.AllocatedBytes - then.AllocatedBytes:+#,0;-#,0;0})"
            + (then.Calls != now.Calls ? $", calls per pass {then.Calls} → {now.Calls}" : ""),
        };
        var before = then.Types.ToDictionary(t => t.Type, StringComparer.Ordinal);
        var after = now.Types.ToDictionary(t => t.Type, StringComparer.Ordinal);
        foreach (var type in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var a = before.GetValueOrDefault(type);
            var b = after.GetValueOrDefault(type);
            if (a is not null && b is not null && a.Objects == b.Objects && a.Bytes == b.Bytes)
                continue;
            string Side(SnapshotType? t) => t is null ? "not among the top types" : $"{t.Objects:N0} ({t.Bytes:N0} B)";
            lines.Add($"  {type}: {Side(a)} → {Side(b)}");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
