namespace Examples;

/// <summary>The README's first example: [TestCase] arguments become the dim "n".</summary>
public class SortBenchmarks
{
    [Benchmark(Group = "sort"), BenchMem(Repeats = 5)]
    [TestCase(1_000)]
    [TestCase(10_000)]
    [TestCase(100_000)]
    public int[] Sort(int n)
    {
        var data = Enumerable.Range(0, n).Reverse().ToArray();
        Array.Sort(data);
        return data; // returned values are kept alive: the JIT cannot drop the work
    }
}
