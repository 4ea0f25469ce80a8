namespace TimeGateSuite;

/// <summary>
/// Four benchmarks, each a unit of work repeated <see cref="Repeats"/> times: 10, or 12 with TIMEGATE_EXTRA_WORK=20,
/// so "20% more work" is exactly 20% more of the same instructions.
/// </summary>
public class GateBenchmarks
{
    private static readonly int Repeats = 10 + int.Parse(Environment.GetEnvironmentVariable("TIMEGATE_EXTRA_WORK") ?? "0") / 10;

    private readonly Dictionary<int, int> _table = Enumerable.Range(0, 1000).ToDictionary(i => i * 7919, i => i);
    private readonly int[] _small = Enumerable.Range(0, 1_000).Select(i => i * 7919 % 1_009).ToArray();
    private readonly int[] _large = Enumerable.Range(0, 20_000).Select(i => i * 7919 % 20_011).ToArray();
    private readonly byte[] _bytes = Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray();

    /// <summary>ns: dictionary lookups.</summary>
    [Benchmark(Group = "gate")]
    public int Lookup()
    {
        int sum = 0;
        for (int r = 0; r < Repeats; r++)
            sum += _table[r * 7919];
        return sum;
    }

    /// <summary>µs: sorting copies of a 1,000-element array.</summary>
    [Benchmark(Group = "gate")]
    public int SortSmall()
    {
        int sum = 0;
        var copy = new int[_small.Length];
        for (int r = 0; r < Repeats; r++)
        {
            _small.CopyTo(copy, 0);
            Array.Sort(copy);
            sum += copy[r];
        }
        return sum;
    }

    /// <summary>µs: an FNV-1a hash over 4 KiB.</summary>
    [Benchmark(Group = "gate")]
    public uint Hash()
    {
        uint hash = 2166136261;
        for (int r = 0; r < Repeats; r++)
        {
            foreach (byte b in _bytes)
                hash = (hash ^ b) * 16777619;
        }
        return hash;
    }

    /// <summary>ms: sorting copies of a 20,000-element array.</summary>
    [Benchmark(Group = "gate")]
    public int SortLarge()
    {
        int sum = 0;
        var copy = new int[_large.Length];
        for (int r = 0; r < Repeats; r++)
        {
            _large.CopyTo(copy, 0);
            Array.Sort(copy);
            sum += copy[r];
        }
        return sum;
    }
}
