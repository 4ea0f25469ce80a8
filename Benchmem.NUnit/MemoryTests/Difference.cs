using Benchmem.Core.Heaps;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// What changed between a check point and now (<c>memory.GetDifference(checkPoint)</c>): new objects (live now, not at the
/// check point), survived objects (live at both) and dead objects (live at the check point, not now), per query.
/// In the memory host the profiler tracks every object allocated from a memory test's first check point on, through the
/// GCs that move it, so a census knows per type how many live objects came after the earlier point: new = those,
/// survived = live now − new, dead = live then − survived, exact whatever mix of them there is. Without that tracking
/// (in process, or across two memory tests) objects are told apart by type counts: the live objects at both points and,
/// in the memory host, the objects allocated between them. That decides the split exactly whenever one of these holds
/// for each matching type — nothing of it was allocated in between (then survived = live now), nothing of it was live at
/// the check point (all new), or nothing is live now (all dead), or the counts leave one answer (live now − allocated =
/// live then). Otherwise the query fails with the types it could not split, rather than guess.
/// </summary>
public sealed class SnapshotDifference
{
    private readonly IReadOnlyList<TypeCount> _before, _now;
    private readonly IReadOnlyList<TypeCount>? _allocated;
    private readonly Dictionary<string, (long Objects, long Bytes)>? _new;
    private readonly string _where;

    internal SnapshotDifference(IReadOnlyList<TypeCount> before, IReadOnlyList<TypeCount> now, IReadOnlyList<TypeCount>? allocated,
        Dictionary<string, (long Objects, long Bytes)>? tracked, string where)
    {
        _before = before;
        _now = now;
        _allocated = allocated;
        _new = tracked;
        _where = where;
    }

    public ObjectSet GetNewObjects(Func<ObjectProperty, Query>? where = null) => Split(where, "new", s => s.New);

    public ObjectSet GetSurvivedObjects(Func<ObjectProperty, Query>? where = null) => Split(where, "survived", s => s.Survived);

    public ObjectSet GetDeadObjects(Func<ObjectProperty, Query>? where = null) => Split(where, "dead", s => s.Dead);

    private readonly record struct Parts((long, long) New, (long, long) Survived, (long, long) Dead);

    private ObjectSet Split(Func<ObjectProperty, Query>? where, string kind, Func<Parts, (long Objects, long Bytes)> part)
    {
        var query = where?.Invoke(ObjectProperty.Instance) ?? Query.All;
        var before = _before.Where(r => query.Matches(r.Type, r.Name)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var now = _now.Where(r => query.Matches(r.Type, r.Name)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var allocated = _allocated?.Where(r => query.Matches(r.Type, r.Name)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var rows = new List<TypeCount>();
        var undecided = new List<string>();
        foreach (var name in before.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var a = before.GetValueOrDefault(name);
            var b = now.GetValueOrDefault(name);
            long liveA = a?.Objects ?? 0, liveB = b?.Objects ?? 0, bytesA = a?.Bytes ?? 0, bytesB = b?.Bytes ?? 0;
            long? alloc = allocated is null ? null : allocated.GetValueOrDefault(name)?.Objects ?? 0;
            (long, long)? survived =
                _new is not null ? Tracked(name, liveA, liveB, bytesB)
                : liveA == 0 || liveB == 0 ? (0, 0)
                : alloc == 0 ? (liveB, bytesB)
                : alloc is { } n && liveB - n == liveA ? (liveA, bytesA)
                : null;
            if (survived is not { } s)
            {
                undecided.Add(name);
                continue;
            }
            var parts = new Parts((liveB - s.Item1, bytesB - s.Item2), s, (liveA - s.Item1, bytesA - s.Item2));
            var (objects, bytes) = part(parts);
            if (objects != 0)
                rows.Add(new TypeCount(a?.Type ?? b?.Type, name, objects, bytes));
        }
        if (undecided.Count > 0)
            throw new MemoryTestException(
                $"GetDifference({_where}).Get{char.ToUpperInvariant(kind[0])}{kind[1..]}Objects({query}) cannot be told exactly: objects of "
                + string.Join(", ", undecided.Take(5)) + (undecided.Count > 5 ? $" and {undecided.Count - 5} more type(s)" : "")
                + " were live at both points and "
                + (_new is not null
                    ? "the objects tracked between the points contradict the counts (an object a finalizer brought back to life, or one the runtime keeps outside the GC heap); compare GetObjects(...) counts at the two points"
                    : _allocated is null
                    ? "this process does not count allocations, so survivors cannot be told from new ones; run the test in the memory host ([MemoryTest], the profiler's platforms) or narrow the query to types that were not live at the check point"
                    : "some were allocated in between and some died, so the counts leave more than one answer, and the objects were not tracked from one point to the other (the points lie in two memory tests, or a profile pass took the tracking); take both check points in one memory test, or narrow the query"));
        return new ObjectSet(rows, $"{kind} since {_where}: {query}");
    }

    /// <summary>The survivors from the tracked new objects; a split the counts contradict (which would mean an object
    /// came back to life, or the runtime made one outside the GC heap) is not told rather than told wrong.</summary>
    private (long, long)? Tracked(string name, long liveA, long liveB, long bytesB)
    {
        var (newObjects, newBytes) = _new!.GetValueOrDefault(name);
        long survived = liveB - newObjects;
        return survived >= 0 && survived <= liveA ? (survived, bytesB - newBytes) : null;
    }
}
