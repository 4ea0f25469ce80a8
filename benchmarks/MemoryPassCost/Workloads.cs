using Benchmem.Core.Invocation;

namespace MemoryPassCost;

/// <summary>
/// One measured call: how to build its invoker and how many objects it allocates (the host's exact count must
/// match it). The spin counts are tuned so the calls take roughly the advertised time on a current x64 core.
/// </summary>
internal sealed record Workload(string Name, string Description, long ExpectedAllocations, Func<BenchmarkInvoker> CreateInvoker, bool Timed = true);

internal static class Workloads
{
    /// <summary>Read through a field, so the JIT cannot fold the arithmetic away.</summary>
    private static long _seed = 0x2545F4914F6CDD1DL;

    public static readonly Workload Empty = new(
        "empty", "no-op call: the fixed cost of a pass", 0,
        () => BenchmarkInvoker.ForDelegate(static () => { }), Timed: false);

    public static IReadOnlyList<Workload> All { get; } =
    [
        new("~100 ns, 2 objects", "new List<int>(4) filled with 4 values (List + its int[4])", 2,
            () => BenchmarkInvoker.ForDelegate(static () => SmallList(SmallSpin))),
        new("~10 us, 1,000 objects", "linked list of 1,000 nodes", 1_000,
            () => BenchmarkInvoker.ForDelegate(static () => Chain(1_000, MediumSpin))),
        new("~1 ms, 10,000 objects", "linked list of 10,000 nodes", 10_000,
            () => BenchmarkInvoker.ForDelegate(static () => Chain(10_000, LargeSpin))),
        new("10 MiB array", "new byte[10 MiB] (large object heap), one object", 1,
            () => BenchmarkInvoker.ForDelegate(static () => new byte[10 * 1024 * 1024])),
        // The live peak's worst case: garbage far above a tiny peak, one forced GC per 4 KiB of it.
        new("1M short-lived objects", "a million 24-byte objects, one live at a time (24 MB of garbage)", 1_000_000,
            () => BenchmarkInvoker.ForDelegate(static () => ShortLived(1_000_000))),
    ];

    private static object? _sink;

    private static int ShortLived(int count)
    {
        for (int i = 0; i < count; i++)
            _sink = new object();
        _sink = null;
        return count;
    }

    // Spin iterations per value: each is one dependent multiply-add (~1 ns).
    private const int SmallSpin = 18;
    private const int MediumSpin = 6;
    private const int LargeSpin = 75;

    public sealed class Node
    {
        public Node? Next;
        public long Value;
    }

    private static List<int> SmallList(int spin)
    {
        var list = new List<int>(4);
        long h = _seed;
        for (int i = 0; i < 4; i++)
        {
            h = Spin(h, spin);
            list.Add((int)h);
        }
        return list;
    }

    private static Node Chain(int count, int spin)
    {
        Node? head = null;
        long h = _seed;
        for (int i = 0; i < count; i++)
        {
            h = Spin(h, spin);
            head = new Node { Next = head, Value = h };
        }
        return head!;
    }

    private static long Spin(long h, int n)
    {
        for (int k = 0; k < n; k++)
            h = h * 6364136223846793005L + 1442695040888963407L;
        return h;
    }
}
