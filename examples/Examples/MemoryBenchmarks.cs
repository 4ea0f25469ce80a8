namespace Examples;

/// <summary>Memory passes with ceilings: the build-up of a cache, and a bounded working set.</summary>
public class MemoryBenchmarks
{
    private static readonly Dictionary<int, byte[]> Cache = [];

    [Benchmark(Group = "memory", MaxTime = 0.5), BenchMem(MaxPeak = "2MiB")]
    [TestCase(1_000)]
    [TestCase(100_000)]
    public long SumOfSquares(int n)
    {
        var squares = new long[n];
        for (int i = 0; i < n; i++) squares[i] = (long)i * i;
        return squares.Sum();
    }

    /// <summary>Retains 64 KiB per new key: "retained" shows what stays behind after the call.</summary>
    [Benchmark(Group = "memory", MaxTime = 0.5), BenchMem(Repeats = 3)]
    public int CacheFill()
    {
        Cache[Cache.Count] = new byte[64 * 1024];
        return Cache.Count;
    }
}
