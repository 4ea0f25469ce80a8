using Benchmem.Core.Errors;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using Benchmem.Core.Snapshots;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// Benchmem.Snapshot in a run: each benchmark's exact allocations (the memory host's pass with the fewest objects, and its
/// top types) against the committed file. A changed count fails that benchmark with the per-type difference; at the end of
/// the run the file is written when it did not exist, and otherwise the run's counts are left beside it (the pending
/// file) whenever any differ or are new, for <c>benchmem accept</c>. The file itself is never rewritten by a run once it exists.
/// </summary>
internal sealed class SnapshotCheck(string path, Action<string> report)
{
    private readonly Dictionary<string, SnapshotEntry> _measured = new(StringComparer.Ordinal);
    private readonly List<string> _changed = [], _new = [];
    private AllocationSnapshot? _committed;
    private string? _unusable;
    private bool _loaded;

    public string Path { get; } = path;

    /// <summary>Why this benchmark fails the snapshot (null: it matches, or is new and noted).</summary>
    public string? Check(BenchmarkRecord record, PassTraffic? traffic)
    {
        var memory = record.Memory;
        if (memory is null)
            return null;
        if (memory.AllocationsMethod is null || traffic is null || traffic.Passes.Count != memory.Passes.Count)
            return $"Benchmem.Snapshot compares exact allocation counts, and this benchmark's memory passes ran in process without them: "
                + "run with Benchmem.Host=auto (the default) on a platform the package ships the profiler for (linux-x64; linux-arm64 and "
                + "win-x64 when packed with the cross compilers), or leave Benchmem.Snapshot out of this run.";
        int best = Enumerable.Range(0, memory.Passes.Count).MinBy(i => memory.Passes[i].Allocations ?? long.MaxValue);
        var pass = memory.Passes[best];
        var all = traffic.Passes[best].Select(r => new SnapshotType(r.Name, r.Objects, r.Bytes)).ToList();
        var entry = new SnapshotEntry(pass.Allocations!.Value, pass.AllocatedBytes, traffic.Calls, [.. all.Take(AllocationSnapshot.TopTypes)]);
        lock (_measured)
        {
            _measured[record.FullName] = entry;
            var committed = Committed();
            if (_unusable is { } problem)
                return problem;
            if (committed is null || !committed.Benchmarks.TryGetValue(record.FullName, out var then))
            {
                if (committed is not null)
                    _new.Add(record.FullName);
                return null;
            }
            // The file keeps the top types; this run knows every type, so a type that left the top is still compared.
            if (AllocationSnapshot.Difference(then, entry with { Types = all }) is not { } difference)
                return null;
            _changed.Add(record.FullName);
            return $"Benchmem: the allocations changed against the snapshot {Path}:{System.Environment.NewLine}{difference}"
                + $"{System.Environment.NewLine}If the change is intended, run: benchmem accept {Path}";
        }
    }

    private AllocationSnapshot? Committed()
    {
        if (_loaded)
            return _committed;
        _loaded = true;
        if (!File.Exists(Path))
            return null;
        try
        {
            _committed = AllocationSnapshot.Load(Path);
        }
        catch (ResultsFileException e)
        {
            _unusable = "Benchmem.Snapshot: " + e.Message;
        }
        return _committed;
    }

    /// <summary>End of run: write the file (first run) or the pending counts (something changed or is new).</summary>
    public void Complete()
    {
        lock (_measured)
        {
            if (_measured.Count == 0 || _unusable is not null)
                return;
            var pending = AllocationSnapshot.PendingPath(Path);
            try
            {
                if (_committed is null)
                {
                    new AllocationSnapshot { Benchmarks = new(_measured, StringComparer.Ordinal) }.Save(Path);
                    report($"Benchmem: wrote the allocation snapshot {Path} ({_measured.Count} benchmark(s)); commit it: later runs fail any benchmark whose counts change.");
                    return;
                }
                if (_changed.Count == 0 && _new.Count == 0)
                {
                    File.Delete(pending); // an older run's proposal no longer applies
                    report($"Benchmem: allocation snapshot {Path}: all {_measured.Count} benchmark(s) match.");
                    return;
                }
                new AllocationSnapshot { Benchmarks = new(_measured, StringComparer.Ordinal) }.Save(pending);
                report($"Benchmem: allocation snapshot {Path}: {_changed.Count} benchmark(s) changed, {_new.Count} new"
                    + (_new.Count > 0 ? $" ({string.Join(", ", _new)})" : "")
                    + $"; this run's counts are in {pending}. To take them: benchmem accept {Path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report($"Benchmem: could not write the allocation snapshot ({e.Message}); set Benchmem.Snapshot to a path in a writable folder.");
            }
        }
    }
}
