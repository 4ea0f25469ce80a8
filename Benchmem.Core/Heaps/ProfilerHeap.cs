using System.Runtime.InteropServices;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Heaps;

/// <summary>
/// The memory host's exact heap and traffic by type, from the native profiler (<c>benchmem_profiler.c</c>, "memory
/// tests"): a census is the heap walk of a full GC (every live object, its type and size, after the GC), allocations by
/// type a cumulative table of every counted thread's allocations, read through marks (native copies of the table, so
/// taking one allocates nothing managed). Null (<see cref="TryOpen"/>) in a process without the profiler.
/// </summary>
public sealed unsafe class ProfilerHeap
{
    private readonly delegate* unmanaged<int, void> _pause;
    private readonly delegate* unmanaged<long> _mark;
    private readonly delegate* unmanaged<long, long> _markSize;
    private readonly delegate* unmanaged<long, ulong*, ulong*, ulong*, void> _markCopy;
    private readonly delegate* unmanaged<long, void> _marksTruncate;
    private readonly delegate* unmanaged<int> _censusBegin;
    private readonly delegate* unmanaged<long> _censusEnd;
    private readonly delegate* unmanaged<ulong*, ulong*, ulong*, void> _censusCopy;

    private static readonly Lazy<ProfilerHeap?> Current = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    private ProfilerHeap(IntPtr library)
    {
        _pause = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(library, "benchmem_types_pause");
        _mark = (delegate* unmanaged<long>)NativeLibrary.GetExport(library, "benchmem_types_mark");
        _markSize = (delegate* unmanaged<long, long>)NativeLibrary.GetExport(library, "benchmem_types_mark_size");
        _markCopy = (delegate* unmanaged<long, ulong*, ulong*, ulong*, void>)NativeLibrary.GetExport(library, "benchmem_types_mark_copy");
        _marksTruncate = (delegate* unmanaged<long, void>)NativeLibrary.GetExport(library, "benchmem_types_marks_truncate");
        _censusBegin = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "benchmem_census_begin");
        _censusEnd = (delegate* unmanaged<long>)NativeLibrary.GetExport(library, "benchmem_census_end");
        _censusCopy = (delegate* unmanaged<ulong*, ulong*, ulong*, void>)NativeLibrary.GetExport(library, "benchmem_census_copy");
    }

    /// <summary>The profiler's heap functions, or null with the reason (no profiler, an older one, no GC callbacks).</summary>
    public static ProfilerHeap? TryOpen(out string? reason)
    {
        if (!AllocationCounter.IsActive)
        {
            reason = AllocationCounter.InactiveReason;
            return null;
        }
        if (!AllocationCounter.LiveActive)
        {
            reason = "the profiler runs without its GC callbacks (the runtime refused them)";
            return null;
        }
        reason = Current.Value is null ? "the loaded profiler has no heap census (an older benchmem_profiler)" : null;
        return Current.Value;
    }

    private static ProfilerHeap? Probe()
    {
        var path = Environment.GetEnvironmentVariable(AllocationCounter.PathVariable);
        if (string.IsNullOrEmpty(path) || !NativeLibrary.TryLoad(path, out var library))
            return null;
        string[] exports = ["benchmem_types_pause", "benchmem_types_mark", "benchmem_types_mark_size", "benchmem_types_mark_copy",
            "benchmem_types_marks_truncate", "benchmem_census_begin", "benchmem_census_end", "benchmem_census_copy"];
        return exports.All(e => NativeLibrary.TryGetExport(library, e, out _)) ? new ProfilerHeap(library) : null;
    }

    /// <summary>Leaves (true) or counts again (false) the calling thread's allocations in the by-type table.</summary>
    public void Pause(bool paused) => _pause(paused ? 1 : 0);

    /// <summary>A mark of the allocations by type so far (allocates nothing managed); -1 when no more marks fit.</summary>
    public long Mark() => _mark();

    /// <summary>Frees the marks from <paramref name="keep"/> on (a benchmark's passes, once read): marks are a stack.</summary>
    public void ReleaseMarks(long keep) => _marksTruncate(keep);

    /// <summary>A mark's raw rows: type handle, objects and bytes allocated since the process started.</summary>
    public List<(ulong Handle, long Objects, long Bytes)> ReadMark(long mark)
    {
        long n = _markSize(mark);
        if (n < 0)
            throw new InvalidOperationException($"the profiler has no allocation mark {mark}");
        return Copy(n, (ids, counts, bytes) => _markCopy(mark, ids, counts, bytes));
    }

    /// <summary>Allocations by type between two marks (later minus earlier).</summary>
    public List<TypeCount> Between(long from, long to)
    {
        var start = ReadMark(from).ToDictionary(r => r.Handle, r => (r.Objects, r.Bytes));
        var rows = ReadMark(to).Select(r => start.TryGetValue(r.Handle, out var s) ? (r.Handle, r.Objects - s.Objects, r.Bytes - s.Bytes) : r)
            .Where(r => r.Item2 != 0);
        return TypeHandles.Resolve(rows);
    }

    /// <summary>
    /// The live heap by type: a full blocking compacting GC (twice, with the finalizers between, so what a finalizer
    /// frees is gone too) whose heap walk the profiler tallies. Call it with the thread paused (its own rows, the
    /// census's few arrays, are then not traffic).
    /// </summary>
    public List<TypeCount> Census()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (_censusBegin() == 0)
                throw new InvalidOperationException("the profiler cannot walk the heap: the runtime did not grant its GC callbacks");
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            long n = _censusEnd();
            if (n == -2)
                throw new OutOfMemoryException("the profiler ran out of native memory while walking the heap");
            if (n >= 0)
                return TypeHandles.Resolve(Copy(n, (ids, counts, bytes) => _censusCopy(ids, counts, bytes)));
        }
        throw new InvalidOperationException("the profiler saw no full GC walk the heap after three forced GCs");
    }

    private delegate void CopyRows(ulong* ids, ulong* counts, ulong* bytes);

    private static List<(ulong, long, long)> Copy(long n, CopyRows copy)
    {
        var ids = new ulong[Math.Max(1, n)];
        var counts = new ulong[Math.Max(1, n)];
        var bytes = new ulong[Math.Max(1, n)];
        fixed (ulong* i = ids, c = counts, b = bytes)
            copy(i, c, b);
        var rows = new List<(ulong, long, long)>((int)n);
        for (long k = 0; k < n; k++)
            rows.Add((ids[k], (long)counts[k], (long)bytes[k]));
        return rows;
    }
}
