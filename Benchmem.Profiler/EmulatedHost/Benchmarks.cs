using Benchmem.NUnit;
using NUnit.Framework;

// What the package's build targets generate for a user's test project.
[assembly: BenchmemProject("EmulatedHost")]
[assembly: BenchmemSuite]

namespace EmulatedHost;

public class EmulatedBenchmarks
{
    /// <summary>10,000 kept objects and the array that keeps them: 10,001 objects, 320,024 bytes, all live at the end.</summary>
    [Benchmark(MaxTime = 0.2), BenchMem(Repeats = 3)]
    public object[] KeepTenThousand()
    {
        var kept = new object[10_000];
        for (int i = 0; i < kept.Length; i++)
            kept[i] = new object();
        return kept;
    }
}
