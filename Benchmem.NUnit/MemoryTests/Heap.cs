using Benchmem.Core.Heaps;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// Memory tests (dotMemoryUnit's <c>dotMemory</c>): <c>Heap.Check()</c> marks a point, <c>Heap.Check(memory => …)</c>
/// gives the live heap at this point, after a full GC, to assertions. In the memory host (a test marked
/// <see cref="MemoryTestAttribute"/>, where the package ships the profiler) every number is exact, traffic included; in any
/// other process live objects still come from the runtime's own heap dump, and what needs allocation counts (traffic)
/// fails the test with the fix.
/// </summary>
public static class Heap
{
    private static readonly Lazy<HeapSource> Source = new(HeapSource.Open, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where this process's numbers come from: "memory host (profiler)" or "in process (runtime heap dump)".</summary>
    public static string Where => Source.Value.Description;

    /// <summary>Marks this point: the live heap and the allocations so far, for GetTrafficFrom and GetDifference later.</summary>
    public static MemoryCheckPoint Check() => Source.Value.Take();

    /// <summary>After a memory test (its command calls it): the object tracking its check points started ends.</summary>
    internal static void EndTest()
    {
        if (Source.IsValueCreated)
            Source.Value.EndTest();
    }

    /// <summary>Marks this point and hands the live heap here to <paramref name="check"/> (its assertions are the test's).</summary>
    public static MemoryCheckPoint Check(Action<Memory> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var point = Source.Value.Take();
        check(new Memory(point, Source.Value));
        return point;
    }
}

/// <summary>The state of memory at a check point: the live heap by type, and a mark of the allocations so far.</summary>
public sealed class MemoryCheckPoint
{
    internal MemoryCheckPoint(int number, IReadOnlyList<TypeCount> live, long? mark, HeapCensus? census)
    {
        Number = number;
        Live = live;
        Mark = mark;
        Census = census;
    }

    /// <summary>1 for the process's first check point, and so on.</summary>
    public int Number { get; }

    internal IReadOnlyList<TypeCount> Live { get; }

    /// <summary>The profiler's allocation mark; null where allocations are not counted.</summary>
    internal long? Mark { get; }

    /// <summary>The profiler's census, with the objects tracked since earlier ones; null in process.</summary>
    internal HeapCensus? Census { get; }

    public override string ToString() => $"check point #{Number}";
}

/// <summary>The live heap at a check point (dotMemoryUnit's Memory), with traffic and differences against earlier points.</summary>
public sealed class Memory
{
    private readonly MemoryCheckPoint _point;
    private readonly HeapSource _source;

    internal Memory(MemoryCheckPoint point, HeapSource source)
    {
        _point = point;
        _source = source;
    }

    /// <summary>Every live object.</summary>
    public long ObjectsCount => _point.Live.Sum(r => r.Objects);

    public long SizeInBytes => _point.Live.Sum(r => r.Bytes);

    /// <summary>The live objects matching <paramref name="where"/>.</summary>
    public ObjectSet GetObjects(Func<ObjectProperty, Query> where)
    {
        var query = where(ObjectProperty.Instance);
        return new ObjectSet([.. _point.Live.Where(r => query.Matches(r.Type, r.Name))], query.ToString());
    }

    /// <summary>The whole live heap per type.</summary>
    public TypeMemoryInfo[] GroupByType() => new ObjectSet(_point.Live, "all objects").GroupByType();

    /// <summary>Allocated and collected objects between <paramref name="checkPoint"/> and this point.</summary>
    public Traffic GetTrafficFrom(MemoryCheckPoint checkPoint)
    {
        ArgumentNullException.ThrowIfNull(checkPoint);
        var allocated = _source.Allocations(checkPoint, _point, "GetTrafficFrom(" + checkPoint + ")");
        var before = checkPoint.Live.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var now = _point.Live.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var rows = new List<TypeTrafficInfo>();
        var alloc = allocated.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var name in alloc.Keys.Union(before.Keys).Order(StringComparer.Ordinal))
        {
            var a = alloc.GetValueOrDefault(name);
            var was = before.GetValueOrDefault(name);
            var isNow = now.GetValueOrDefault(name);
            // Collected = live then + allocated since - live now (per type, exact when the three are).
            long objects = Math.Max(0, (was?.Objects ?? 0) + (a?.Objects ?? 0) - (isNow?.Objects ?? 0));
            long bytes = Math.Max(0, (was?.Bytes ?? 0) + (a?.Bytes ?? 0) - (isNow?.Bytes ?? 0));
            var allocatedInfo = new MemoryInfo(a?.Objects ?? 0, a?.Bytes ?? 0);
            if (allocatedInfo.ObjectsCount == 0 && objects == 0)
                continue;
            rows.Add(new TypeTrafficInfo(a?.Type ?? was?.Type, name, allocatedInfo, new MemoryInfo(objects, bytes)));
        }
        return new Traffic(rows);
    }

    /// <summary>New, survived and dead objects between <paramref name="checkPoint"/> and this point.</summary>
    public SnapshotDifference GetDifference(MemoryCheckPoint checkPoint)
    {
        ArgumentNullException.ThrowIfNull(checkPoint);
        var allocated = _source.CountsAllocations ? _source.Allocations(checkPoint, _point, "GetDifference") : null;
        var born = checkPoint.Census is { } then && _point.Census is { } now ? now.NewSince(then) : null;
        return new SnapshotDifference(checkPoint.Live, _point.Live, allocated, born, checkPoint.ToString());
    }
}

/// <summary>A query a memory test asked that this process cannot answer exactly; the test fails with this message.</summary>
public sealed class MemoryTestException(string message) : Exception(message)
{
    private static readonly string Prefix = typeof(MemoryTestException).FullName + " : ";

    /// <summary>A test that failed with this exception fails with its message alone (NUnit words it "Type : message" with a
    /// stack trace): the message names the fix, the trace adds nothing. Called after the test, outside any measured stretch.</summary>
    internal static void Unwrap(global::NUnit.Framework.Internal.TestResult result)
    {
        if (result.Message is { } message && message.StartsWith(Prefix, StringComparison.Ordinal))
            result.SetResult(global::NUnit.Framework.Interfaces.ResultState.Failure, message[Prefix.Length..]);
    }
}
