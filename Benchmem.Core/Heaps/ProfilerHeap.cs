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
    // Differences (benchmem_census_born_*): absent from an older profiler, which then answers by counts alone.
    private readonly delegate* unmanaged<long*, long*, long> _bornEnd;
    private readonly delegate* unmanaged<ulong*, long*, ulong*, ulong*, void> _bornCopy;
    private readonly delegate* unmanaged<void> _endDifferences;

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
        if (NativeLibrary.TryGetExport(library, "benchmem_census_born_end", out var bornEnd)
            && NativeLibrary.TryGetExport(library, "benchmem_census_born_copy", out var bornCopy)
            && NativeLibrary.TryGetExport(library, "benchmem_objects_end_differences", out var endDifferences))
        {
            _bornEnd = (delegate* unmanaged<long*, long*, long>)bornEnd;
            _bornCopy = (delegate* unmanaged<ulong*, long*, ulong*, ulong*, void>)bornCopy;
            _endDifferences = (delegate* unmanaged<void>)endDifferences;
        }
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
    /// census's few arrays, are then not traffic). From the first census on the profiler tracks every allocation
    /// (until <see cref="EndDifferences"/>), so the census also tells, per type, the live objects allocated after each
    /// earlier census.
    /// </summary>
    public HeapCensus Census()
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
                return ReadBorn(TypeHandles.Resolve(Copy(n, (ids, counts, bytes) => _censusCopy(ids, counts, bytes))));
        }
        throw new InvalidOperationException("the profiler saw no full GC walk the heap after three forced GCs");
    }

    /// <summary>Ends the tracking the censuses started (after a memory test): later censuses start their own.</summary>
    public void EndDifferences()
    {
        if (_endDifferences != null)
            _endDifferences();
    }

    private HeapCensus ReadBorn(List<TypeCount> live)
    {
        if (_bornEnd == null)
            return new HeapCensus(live, 0, -1, null);
        long number, since;
        long n = _bornEnd(&number, &since);
        if (n < 0)
            return new HeapCensus(live, number, since, null);
        var ids = new ulong[Math.Max(1, n)];
        var borns = new long[Math.Max(1, n)];
        var counts = new ulong[Math.Max(1, n)];
        var bytes = new ulong[Math.Max(1, n)];
        fixed (ulong* i = ids, c = counts, b = bytes)
        fixed (long* o = borns)
            _bornCopy(i, o, c, b);
        var born = Enumerable.Range(0, (int)n).GroupBy(k => borns[k])
            .SelectMany(g => TypeHandles.Resolve(g.Select(k => (ids[k], (long)counts[k], (long)bytes[k]))).Select(row => new BornCount(g.Key, row)))
            .ToList();
        return new HeapCensus(live, number, since, born);
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

/// <summary>
/// One census: the live heap by type, its number (1 for the process's first), and, where the profiler tracked every
/// allocation since census <paramref name="TrackedSince"/>, the live tracked objects by type and by the number of
/// censuses taken before each was allocated (null where that is not exact: an older profiler, a profile pass took the
/// tracking, an object or a GC's walk was lost).
/// </summary>
public sealed record HeapCensus(List<TypeCount> Live, long Number, long TrackedSince, IReadOnlyList<BornCount>? Born)
{
    /// <summary>The live objects allocated after <paramref name="earlier"/> by type name, when both censuses lie in one
    /// tracking (every allocation between them tracked); else null.</summary>
    public Dictionary<string, (long Objects, long Bytes)>? NewSince(HeapCensus earlier)
    {
        if (Born is null || earlier.Born is null || earlier.TrackedSince != TrackedSince || earlier.Number <= TrackedSince || earlier.Number > Number)
            return null;
        return Born.Where(b => b.AfterCensuses >= earlier.Number).GroupBy(b => b.Row.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Sum(b => b.Row.Objects), g.Sum(b => b.Row.Bytes)), StringComparer.Ordinal);
    }
}

/// <summary>Live objects of one type allocated after <paramref name="AfterCensuses"/> censuses had been taken.</summary>
public sealed record BornCount(long AfterCensuses, TypeCount Row);
