using Benchmem.Core.Results;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Results;

/// <summary>The names compare, plot, the gate and the run's table give a benchmark, from one definition.</summary>
public class BenchmarkKeyTests
{
    private static readonly BenchmarkRecord Sort = Record("SortBenchmarks", "Sort", [("n", 1000L), ("kind", "random"), ("ratio", 0.5)], ns: "Examples.Perf");

    [Test]
    public void Without_TakesTheDimsOutAndKeepsTheRestInOrder()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BenchmarkKey.Without(Sort, "n"), Is.EqualTo("Examples.Perf.SortBenchmarks.Sort(kind: random, ratio: 0.5)"));
            Assert.That(BenchmarkKey.Without(Sort, ["n", "ratio"]), Is.EqualTo("Examples.Perf.SortBenchmarks.Sort(kind: random)"));
            Assert.That(BenchmarkKey.Without(Sort, ["n", "kind", "ratio"]), Is.EqualTo("Examples.Perf.SortBenchmarks.Sort"));
            Assert.That(BenchmarkKey.Without(Sort, Array.Empty<string>()), Is.EqualTo("Examples.Perf.SortBenchmarks.Sort(n: 1000, kind: random, ratio: 0.5)"));
            Assert.That(BenchmarkKey.Without(Sort, "absent"), Is.EqualTo("Examples.Perf.SortBenchmarks.Sort(n: 1000, kind: random, ratio: 0.5)"));
            Assert.That(BenchmarkKey.Without(Record("Global", "Run", [("n", 1L)], ns: ""), "x"), Is.EqualTo("Global.Run(n: 1)"));
        });
    }

    [Test]
    public void StripNamespace_OnlyWhenTheNameStartsWithIt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BenchmarkKey.StripNamespace("Examples.Perf.SortBenchmarks.Sort", "Examples.Perf"), Is.EqualTo("SortBenchmarks.Sort"));
            Assert.That(BenchmarkKey.StripNamespace("Examples.PerfX.Sort", "Examples.Perf"), Is.EqualTo("Examples.PerfX.Sort"), "a prefix that is not a whole namespace");
            Assert.That(BenchmarkKey.StripNamespace("Other.Sort", "Examples"), Is.EqualTo("Other.Sort"));
            Assert.That(BenchmarkKey.StripNamespace("Global.Run", ""), Is.EqualTo("Global.Run"));
            Assert.That(BenchmarkKey.ShortName(Sort), Is.EqualTo("SortBenchmarks.Sort(n: 1000, kind: random, ratio: 0.5)"));
        });
    }

    [Test]
    public void DimNames_OnceEachInOrdinalOrder_AndFindDim_ExactBeforeIgnoringCase()
    {
        var records = new[] { Sort, Record("Other", "Run", [("N", 1L), ("Kind", "a")]) };
        var dims = BenchmarkKey.DimNames(records);
        Assert.Multiple(() =>
        {
            Assert.That(dims, Is.EqualTo(new[] { "Kind", "N", "kind", "n", "ratio" }));
            Assert.That(BenchmarkKey.FindDim(dims, "n"), Is.EqualTo("n"));
            Assert.That(BenchmarkKey.FindDim(dims, "N"), Is.EqualTo("N"));
            Assert.That(BenchmarkKey.FindDim(dims, "RATIO"), Is.EqualTo("ratio"));
            Assert.That(BenchmarkKey.FindDim(dims, "size"), Is.Null);
            Assert.That(BenchmarkKey.DimNames([]), Is.Empty);
        });
    }

    [Test]
    public void FormatDim_CultureInvariantAndRoundTripping()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(BenchmarkKey.FormatDim(null), Is.EqualTo("null"));
                Assert.That(BenchmarkKey.FormatDim(true), Is.EqualTo("true"));
                Assert.That(BenchmarkKey.FormatDim(0.1 + 0.2), Is.EqualTo("0.30000000000000004"));
                Assert.That(BenchmarkKey.FormatDim(12345678L), Is.EqualTo("12345678"));
                Assert.That(BenchmarkKey.FormatDim(1.5m), Is.EqualTo("1.5"));
                Assert.That(BenchmarkKey.FormatDim("text"), Is.EqualTo("text"));
            });
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
