using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// A ceiling on what a test allocates (dotMemoryUnit's AssertTraffic): on a [Test] the whole body, on a [Benchmark] one
/// call, judged on every memory pass. The objects counted are those matching every given selector (<see cref="Types"/>,
/// <see cref="Interfaces"/>, <see cref="Namespaces"/>; none given: every object); any number of these attributes may sit
/// on one test. Needs the memory host's exact counts: such a test runs there (like [MemoryTest]) and fails with the fix
/// where it cannot.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class AssertTrafficAttribute : NUnitAttribute, IWrapTestMethod
{
    /// <summary>On a [Test], the memory test's command (one, however many of these); a [Benchmark] judges them on its passes.</summary>
    public TestCommand Wrap(TestCommand command) =>
        command.Test.Method?.MethodInfo.IsDefined(typeof(BenchmarkAttribute), false) == true ? command : MemoryTestCommand.Around(command);

    /// <summary>At most this many objects allocated (-1: no limit).</summary>
    public long AllocatedObjectsCount { get; set; } = -1;

    /// <summary>At most this many bytes allocated (-1: no limit).</summary>
    public long AllocatedSizeInBytes { get; set; } = -1;

    /// <summary>Count objects of these exact types (open generics match every instantiation).</summary>
    public Type[]? Types { get; set; }

    /// <summary>Count objects whose type implements one of these interfaces.</summary>
    public Type[]? Interfaces { get; set; }

    /// <summary>Count objects whose type's namespace matches one of these wildcard patterns ("MyLib.*").</summary>
    public string[]? Namespaces { get; set; }

    /// <summary>The selection as one query: each selector an or of its entries, the selectors and-ed.</summary>
    internal Query Selection()
    {
        var where = ObjectProperty.Instance;
        Query? q = null;
        void And(IEnumerable<Query>? parts)
        {
            var list = parts?.ToList();
            if (list is not { Count: > 0 })
                return;
            var any = list.Aggregate((a, b) => a | b);
            q = q is null ? any : q & any;
        }
        And(Types?.Select(t => where.Type.Is(t)));
        And(Interfaces?.Select(t => where.Interface.Is(t)));
        And(Namespaces?.Select(n => where.Namespace.Like(n)));
        return q ?? Query.All;
    }

    /// <summary>The excesses of one measured stretch (empty when within the limits), each naming the query, the value, the
    /// limit and the top types behind it.</summary>
    internal IEnumerable<string> Judge(Traffic traffic, string where, long calls = 1)
    {
        var query = Selection();
        var selected = traffic.Where(_ => query);
        var allocated = selected.AllocatedMemory;
        string Top() => string.Join(", ", selected.GroupByType().Take(3)
            .Select(t => $"{t.TypeFullyQualifiedName} {t.AllocatedMemoryInfo.ObjectsCount:N0} ({t.AllocatedMemoryInfo.SizeInBytes:N0} B)"));
        // A benchmark's pass makes Calls calls: the limits are per call.
        string Limit(long limit) => calls == 1 ? $"{limit:N0}" : $"{limit:N0} per call × {calls:N0} calls";
        if (AllocatedObjectsCount >= 0 && allocated.ObjectsCount > AllocatedObjectsCount * calls)
            yield return $"[AssertTraffic] {query}: {where} allocated {allocated.ObjectsCount:N0} object(s), over AllocatedObjectsCount = {Limit(AllocatedObjectsCount)}; top types: {Top()}";
        if (AllocatedSizeInBytes >= 0 && allocated.SizeInBytes > AllocatedSizeInBytes * calls)
            yield return $"[AssertTraffic] {query}: {where} allocated {allocated.SizeInBytes:N0} B, over AllocatedSizeInBytes = {Limit(AllocatedSizeInBytes)}; top types: {Top()}";
    }

    /// <summary>A property out of range, or null.</summary>
    internal string? Problem() =>
        AllocatedObjectsCount < -1 || AllocatedSizeInBytes < -1 ? "[AssertTraffic] limits must be 0 or more (-1: no limit)"
        : AllocatedObjectsCount < 0 && AllocatedSizeInBytes < 0 ? "[AssertTraffic] sets no limit: give AllocatedObjectsCount or AllocatedSizeInBytes"
        : Interfaces?.FirstOrDefault(t => !t.IsInterface) is { } notInterface ? $"[AssertTraffic(Interfaces = ...)]: {notInterface.FullName} is not an interface"
        : null;
}
