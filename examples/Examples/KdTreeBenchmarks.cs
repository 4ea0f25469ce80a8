namespace Examples;

/// <summary>
/// The allocation-profile story: the naive k-d tree build keeps a sorted copy of its points in every node, the fixed
/// one sorts one working copy in place. Both build the same tree; the profile of the naive one names
/// NaiveKdTree.Build as the method allocating (and keeping) the bytes.
/// </summary>
public class KdTreeBenchmarks
{
    private const int Count = 4096;
    private static readonly Point[] Points = RandomPoints(Count);

    private static Point[] RandomPoints(int count)
    {
        var random = new Random(42);
        return Enumerable.Range(0, count).Select(_ => new Point(random.NextDouble(), random.NextDouble())).ToArray();
    }

    [Benchmark(Group = "kd-tree")]
    [BenchMem(Profile = true)]
    public KdNode? BuildNaive() => NaiveKdTree.Build(Points);

    [Benchmark(Group = "kd-tree")]
    [BenchMem(Profile = true)]
    public KdNode? BuildFixed() => FixedKdTree.Build(Points);

    [Test]
    public void BothBuildTheSameTree() =>
        Assert.That(KdNode.SameTree(NaiveKdTree.Build(Points), FixedKdTree.Build(Points)), Is.True);

    [Test]
    public void FixedPeakIsAtLeastHalfLower()
    {
        long naive = Benchmem.Core.Memory.MemoryMeter.MeasurePeak(() => NaiveKdTree.Build(Points));
        long fixedPeak = Benchmem.Core.Memory.MemoryMeter.MeasurePeak(() => FixedKdTree.Build(Points));
        TestContext.Out.WriteLine($"peak: naive {naive:N0} B, fixed {fixedPeak:N0} B ({(double)fixedPeak / naive:P0} of naive)");
        Assert.That(fixedPeak, Is.LessThanOrEqualTo(naive / 2), $"fixed {fixedPeak:N0} B vs naive {naive:N0} B");
    }
}
