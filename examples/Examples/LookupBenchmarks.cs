namespace Examples;

/// <summary>
/// A fixture's [SetUp] runs once, outside the timed loop. A benchmark's body is what is timed, call after call, so
/// its result is checked in a plain [Test] beside it: an Assert.That inside DictionaryLookup would be measured too
/// (issue 16 measured 133 ns and 344 B/op with it, 16 ns and 0 B without), and the analyzer warns about it (BMEM0002).
/// </summary>
public class LookupBenchmarks
{
    private Dictionary<string, int> _map = null!;
    private string[] _keys = null!;

    [SetUp]
    public void Fill()
    {
        _keys = Enumerable.Range(0, 1000).Select(i => $"key{i}").ToArray();
        _map = _keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
    }

    [Benchmark(Group = "lookup")]
    public int DictionaryLookup() => _map["key500"];

    [Test]
    public void DictionaryLookupFindsTheValue() => Assert.That(DictionaryLookup(), Is.EqualTo(500));

    [Benchmark(Group = "lookup")]
    public int LinearSearch() => Array.IndexOf(_keys, "key500");

    [Benchmark]
    public async Task<int> AsyncYield()
    {
        await Task.Yield();
        return 1;
    }

    [Benchmark]
    [TestCase(16)]
    [TestCase(256)]
    public string StringConcat(int parts)
    {
        var s = "";
        for (int i = 0; i < parts; i++) s += "x";
        Bench.Dim("kind", "concat");
        return s;
    }
}
