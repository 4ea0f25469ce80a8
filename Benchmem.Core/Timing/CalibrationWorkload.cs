using System.Runtime.CompilerServices;

namespace Benchmem.Core.Timing;

/// <summary>
/// A fixed piece of work timed beside the benchmarks to read the machine's speed at that moment: the same code in
/// every run and on every machine, so the benchmark's time divided by it cancels a machine that is slower for a while
/// (a busy neighbour, a shared core, a lower clock). <see cref="All"/> is the set every timed run measures.
/// </summary>
/// <remarks>Each workload runs several independent chains, not one: a single dependency chain is bound by latency
/// and barely notices a busy sibling hyperthread, which takes away throughput — what ordinary benchmark code loses.</remarks>
public sealed class CalibrationWorkload
{
    private CalibrationWorkload(string name, string stresses, Func<long, long> loop)
    {
        Name = name;
        Stresses = stresses;
        Loop = loop;
    }

    /// <summary>Its name in the results file and in reports: <c>int</c>, <c>float</c>, <c>memory</c>.</summary>
    public string Name { get; }

    /// <summary>What part of the machine it is bound by, for <c>benchmem calibrate</c>'s table.</summary>
    public string Stresses { get; }

    /// <summary>Runs the given number of operations and returns a value that depends on all of them (so the JIT
    /// cannot drop the work).</summary>
    public Func<long, long> Loop { get; }

    /// <summary>Bump when a workload's code changes: runs calibrated with different versions are not compared
    /// calibrated (their ratios are of different work).</summary>
    public const int Version = 1;

    /// <summary>Entries of the memory workload's pointer chain: 1 MiB of int, within a core's L2 (2 MiB here). Each
    /// sample first reads the chain in order (fast: the prefetcher streams it), so the timed chase meets the same cache
    /// state every time. A 4 MiB chain read the cache state the benchmark had left instead: its samples ranged 45 to
    /// 2,600 ns within one benchmark, which no machine speed explains.</summary>
    internal const int ChainLength = 1 << 18;

    public static IReadOnlyList<CalibrationWorkload> All { get; } =
    [
        new("int", "integer ALU (4 xorshift chains)", IntegerLoop),
        new("float", "floating point (4 square-root chains)", FloatLoop),
        new("memory", "memory latency (4 pointer chases over 1 MiB, L2)", MemoryLoop),
    ];

    /// <summary>The workload names in order, as the results file lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(w => w.Name).ToArray();

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long IntegerLoop(long operations)
    {
        uint a = 2463534242, b = 1, c = 7, d = 99;
        for (long i = 0; i < operations; i++)
        {
            a ^= a << 13; a ^= a >> 17; a ^= a << 5;
            b ^= b << 13; b ^= b >> 17; b ^= b << 5;
            c ^= c << 13; c ^= c >> 17; c ^= c << 5;
            d ^= d << 13; d ^= d >> 17; d ^= d << 5;
        }
        return a + b + c + d;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long FloatLoop(long operations)
    {
        double a = 0, b = 1, c = 2, d = 3;
        for (long i = 0; i < operations; i++)
        {
            a += Math.Sqrt(i + a);
            b += Math.Sqrt(i + b);
            c += Math.Sqrt(i + c);
            d += Math.Sqrt(i + d);
        }
        return (long)(a + b + c + d);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MemoryLoop(long operations)
    {
        var chain = Chain.Value;
        int p = 0, q = ChainLength / 4, r = ChainLength / 2, s = 3 * (ChainLength / 4);
        // Bring the chain into the cache in order first (its cost is a small, steady share of the sample).
        int warm = 0;
        for (int i = 0; i < chain.Length; i += 16)
            warm += chain[i];
        for (long i = 0; i < operations; i++)
        {
            p = chain[p];
            q = chain[q];
            r = chain[r];
            s = chain[s];
        }
        return p + q + r + s + (warm == int.MinValue ? 1 : 0); // the warming reads must stay
    }

    // One random cycle through every entry (Sattolo's algorithm, fixed seed): the same chain in every run, and no
    // prefetcher can guess the next address. Built on first use, once per process.
    private static readonly Lazy<int[]> Chain = new(() =>
    {
        var next = new int[ChainLength];
        for (int i = 0; i < next.Length; i++)
            next[i] = i;
        var random = new Random(20261202);
        for (int i = next.Length - 1; i > 0; i--)
        {
            int j = random.Next(i);
            (next[i], next[j]) = (next[j], next[i]);
        }
        return next;
    });
}
