using Benchmem.Core.Heaps;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>A number of objects and their bytes (each object rounded up to 8 bytes, as the GC heap lays it out).</summary>
public readonly record struct MemoryInfo(long ObjectsCount, long SizeInBytes)
{
    internal static MemoryInfo Sum(IEnumerable<MemoryInfo> items) =>
        items.Aggregate(new MemoryInfo(0, 0), (a, b) => new MemoryInfo(a.ObjectsCount + b.ObjectsCount, a.SizeInBytes + b.SizeInBytes));

    public override string ToString() => $"{ObjectsCount:N0} object(s), {SizeInBytes:N0} B";
}

/// <summary>One row of <see cref="ObjectSet.GroupByType"/>: a type's live objects.</summary>
public sealed record TypeMemoryInfo(Type? Type, string TypeFullyQualifiedName, long ObjectsCount, long SizeInBytes);

/// <summary>One row of <see cref="Traffic.GroupByType"/>: what was allocated and collected of a type.</summary>
public sealed record TypeTrafficInfo(Type? Type, string TypeFullyQualifiedName, MemoryInfo AllocatedMemoryInfo, MemoryInfo CollectedMemoryInfo);

/// <summary>Live objects selected by a query: <c>memory.GetObjects(where => where.Type.Is&lt;Foo&gt;())</c>.</summary>
public sealed class ObjectSet
{
    private readonly IReadOnlyList<TypeCount> _rows;

    internal ObjectSet(IReadOnlyList<TypeCount> rows, string description)
    {
        _rows = rows;
        Description = description;
    }

    /// <summary>The query that selected the set, as failure messages name it.</summary>
    public string Description { get; }

    public long ObjectsCount => _rows.Sum(r => r.Objects);

    public long SizeInBytes => _rows.Sum(r => r.Bytes);

    /// <summary>A subset: the objects of this set that also match <paramref name="where"/>.</summary>
    public ObjectSet GetObjects(Func<ObjectProperty, Query> where)
    {
        var query = where(ObjectProperty.Instance);
        return new ObjectSet([.. _rows.Where(r => query.Matches(r.Type, r.Name))], $"{Description} & {query}");
    }

    /// <summary>The set per type, the most bytes first.</summary>
    public TypeMemoryInfo[] GroupByType() =>
        [.. _rows.OrderByDescending(r => r.Bytes).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new TypeMemoryInfo(r.Type, r.Name, r.Objects, r.Bytes))];

    public override string ToString() => $"{Description}: {ObjectsCount:N0} object(s), {SizeInBytes:N0} B";
}

/// <summary>
/// Memory traffic between a check point and now (<c>memory.GetTrafficFrom(checkPoint)</c>): objects allocated in between, on
/// every thread but the runtime's finalizer, and objects collected in between (live at the check point or allocated since,
/// and not live now). Exact: the memory host's profiler counts every allocation and walks the heap at both points.
/// </summary>
public sealed class Traffic
{
    private readonly IReadOnlyList<TypeTrafficInfo> _rows;

    internal Traffic(IReadOnlyList<TypeTrafficInfo> rows) => _rows = rows;

    /// <summary>The traffic of the objects matching <paramref name="where"/>; chain as many as needed.</summary>
    public Traffic Where(Func<ObjectProperty, Query> where)
    {
        var query = where(ObjectProperty.Instance);
        return new Traffic([.. _rows.Where(r => query.Matches(r.Type, r.TypeFullyQualifiedName))]);
    }

    public MemoryInfo AllocatedMemory => MemoryInfo.Sum(_rows.Select(r => r.AllocatedMemoryInfo));

    public MemoryInfo CollectedMemory => MemoryInfo.Sum(_rows.Select(r => r.CollectedMemoryInfo));

    /// <summary>The traffic per type, the most allocated bytes first.</summary>
    public TypeTrafficInfo[] GroupByType() =>
        [.. _rows.OrderByDescending(r => r.AllocatedMemoryInfo.SizeInBytes).ThenBy(r => r.TypeFullyQualifiedName, StringComparer.Ordinal)];
}
