using Benchmem.Core.Memory;

namespace Benchmem.Core.Tests.Memory;

/// <summary>The in-process meter against ground truth computed from the objects' known sizes.</summary>
[NonParallelizable]
public class MemoryMeterTests
{
    private const long MiB = 1024 * 1024;
    private static readonly List<byte[]> Leak = [];
    private static byte[]? _kept;

    [TearDown]
    public void Forget()
    {
        Leak.Clear();
        _kept = null;
    }

    [Test]
    public void A100MiBArrayPeaksAt100MiB()
    {
        var result = MemoryMeter.Measure(() => new byte[100 * MiB], new MemoryOptions { Repeats = 3 });
        Assert.That(result.Headline.PeakBytes, Is.EqualTo(100 * MiB).Within(1).Percent);
        Assert.That(result.Headline.AllocatedBytes, Is.EqualTo(100 * MiB + 24), "the array's 24 B header included, exactly");
        Assert.That(result.Headline.RetainedBytes, Is.LessThan(64 * 1024), "the returned array is dropped after the call");
        Assert.That(result.Passes, Has.Count.EqualTo(3));
    }

    [Test]
    public void DroppedThenKeptIsAnHonestUpperBoundInProcess()
    {
        // 100 MiB live, dropped, then 50 MiB kept: the true high-water is 100 MiB. In process, with no GC between the
        // two, the heap holds both, so the meter reports 150 MiB and says it is an upper bound, never "exact".
        var result = MeasureWithFreshKept(DropThenKeep);
        Assert.That(result.Headline.PeakBytes, Is.GreaterThanOrEqualTo(99 * MiB).And.LessThanOrEqualTo(150 * MiB + 64 * 1024));
        Assert.That(result.Headline.PeakMethod, Is.EqualTo(PeakMethods.HeapHighWater));
        Assert.That(result.Headline.RetainedBytes, Is.EqualTo(50 * MiB).Within(1).Percent, "the kept 50 MiB is retained");
    }

    [Test]
    public void DroppedThenKeptPeaksAtTheLargerWhenAGcSeparatesThem()
    {
        // With a GC between the two (here induced; in the precise mode every allocation is one), the heap size
        // before that GC is the high-water: 100 MiB, not the 150 MiB sum.
        var result = MeasureWithFreshKept(() =>
        {
            Touch100MiB();
            GC.Collect();
            _kept = new byte[50 * MiB];
        });
        Assert.That(result.Headline.PeakBytes, Is.EqualTo(100 * MiB).Within(1).Percent);
        Assert.That(result.Headline.RetainedBytes, Is.EqualTo(50 * MiB).Within(1).Percent);
        Assert.That(result.Headline.PeakMethod, Is.EqualTo(PeakMethods.HeapHighWater));
        Assert.That(result.Headline.UnobservedGcs, Is.Zero);
    }

    private static void DropThenKeep()
    {
        Touch100MiB();
        _kept = new byte[50 * MiB];
    }

    /// <summary>The 100 MiB array lives only inside this call: unoptimized code in the caller could otherwise keep a
    /// temporary reference to it alive, and then it really is live when a GC looks.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Touch100MiB()
    {
        var big = new byte[100 * MiB];
        big[^1] = 1;
    }

    /// <summary>Each pass starts without the previous pass's kept array, so "retained" sees this pass's 50 MiB.</summary>
    private static MemoryResult MeasureWithFreshKept(Action action) =>
        MemoryMeter.Measure(Benchmem.Core.Invocation.BenchmarkInvoker.ForDelegate(action), new MemoryOptions { Repeats = 3 }, () => _kept = null);

    [Test]
    public void ShortLivedListsAllocateTheSumOfTheirSizes()
    {
        // 200 lists of 20,000 ints: each a 32 B List<int> plus an 80,024 B int[20000].
        const long expected = 200 * (32 + 80_024);
        // Warm-up past tiered compilation and on-stack replacement of the loop (the JIT allocates a little when it
        // compiles mid-pass); under [Benchmark] the timing rounds have done that before any memory pass.
        var result = MemoryMeter.Measure(() =>
        {
            for (int i = 0; i < 200; i++)
                GC.KeepAlive(new List<int>(20_000));
        }, new MemoryOptions { Repeats = 3, Warmup = 20 });
        Assert.That(result.Headline.AllocatedBytes, Is.EqualTo(expected).Within(2).Percent);
        Assert.That(result.Passes.Select(p => p.AllocatedBytes).Distinct().Count(), Is.EqualTo(1), "allocated has spread 0");
        Assert.That(result.Headline.PeakBytes, Is.LessThanOrEqualTo(expected + 64 * 1024), "an upper bound never above what was allocated");
    }

    [Test]
    public void ALeakShowsAsRetained()
    {
        var result = MemoryMeter.Measure(() => Leak.Add(new byte[MiB]), new MemoryOptions { Repeats = 2, Warmup = 0 });
        Assert.That(result.Passes.Select(p => p.RetainedBytes), Has.All.EqualTo(MiB).Within(2).Percent);
    }

    // In process the test host's own threads can free or allocate during a pass (seen once in CI: a first pass without
    // a GC labelled heap-high-water); a retry tells that noise from a meter that mislabels every time.
    [Test, Retry(3)]
    public void NoGcMeansExactPeak()
    {
        // A GC another thread of this test process causes can land in a pass (seen on a loaded machine): judge the
        // passes without one, and there must be some.
        var result = MemoryMeter.Measure(() => new byte[10_000], new MemoryOptions { Repeats = 4 });
        var clean = result.Passes.Where(p => p.Gen0 == 0).ToList();
        Assert.That(clean, Is.Not.Empty, "every pass saw a GC");
        Assert.That(clean.Select(p => p.PeakMethod), Has.All.EqualTo(PeakMethods.Exact));
        Assert.That(result.Passes.Select(p => p.AllocatedBytes), Has.All.EqualTo(10_024));
        Assert.That(clean.Select(p => p.PeakBytes), Has.All.EqualTo(10_024), "no GC: the heap grew by exactly what was allocated");
    }

    [Test]
    public void ANonAllocatingCallHasAnExactZeroPeakEvenWhenAGcRuns()
    {
        var result = MemoryMeter.Measure(() => { GC.Collect(); return 42; }, new MemoryOptions { Repeats = 2 });
        Assert.That(result.Passes.Select(p => (p.PeakBytes, p.AllocatedBytes, p.PeakMethod)),
            Has.All.EqualTo((0L, 0L, PeakMethods.Exact)));
        Assert.That(result.Headline.Gen2, Is.EqualTo(1), "the GC did run");
    }

    [Test]
    public void AdaptivePassesStopAfterTwoWithoutANewMinimum()
    {
        var result = MemoryMeter.Measure(() => new byte[1000]);
        Assert.That(result.Passes.Count, Is.InRange(2, MemoryOptions.AdaptiveMaxPasses));
        if (result.Passes.Count < MemoryOptions.AdaptiveMaxPasses)
        {
            var peaks = result.Passes.Select(p => p.PeakBytes).ToList();
            long before = peaks.Take(peaks.Count - 2).DefaultIfEmpty(long.MaxValue).Min();
            Assert.That(peaks.Skip(peaks.Count - 2), Has.All.GreaterThanOrEqualTo(before), "the last two passes set no new minimum");
        }
    }

    [Test]
    public void CallsRunInsideOnePass()
    {
        var result = MemoryMeter.Measure(() => new byte[1000], new MemoryOptions { Repeats = 1, Calls = 10 });
        Assert.That(result.Headline.AllocatedBytes, Is.EqualTo(10 * 1024));
    }

    [Test]
    public void SetupRunsBeforeEveryPassUnmeasured()
    {
        int setups = 0;
        byte[]? state = null;
        var invoker = Benchmem.Core.Invocation.BenchmarkInvoker.ForDelegate(() => state![0]++);
        var result = MemoryMeter.Measure(invoker, new MemoryOptions { Repeats = 3, Warmup = 1 }, () => { setups++; state = new byte[MiB]; });
        Assert.That(setups, Is.EqualTo(4), "warm-up plus three passes");
        Assert.That(result.Passes.Select(p => p.AllocatedBytes), Has.All.EqualTo(0), "the 1 MiB setup allocation is not measured");
    }

    [Test]
    public void ResidentHighWaterIsRecordedWhenAskedOnLinux()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("resident high-water is Linux only");
        var result = MemoryMeter.Measure(() =>
        {
            var native = System.Runtime.InteropServices.Marshal.AllocHGlobal((nint)(64 * MiB));
            unsafe { new Span<byte>((void*)native, (int)(64 * MiB)).Fill(1); }
            System.Runtime.InteropServices.Marshal.FreeHGlobal(native);
        }, new MemoryOptions { Repeats = 1, Warmup = 0, Rss = true });
        Assert.That(result.Headline.RssBytes, Is.GreaterThanOrEqualTo(60 * MiB), "64 MiB of touched native memory");
    }

    [Test]
    public void BadOptionsAreRejectedWithTheirName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMeter.Measure(() => { }, new MemoryOptions { Calls = 0 }));
        Assert.That(e!.ParamName, Is.EqualTo("Calls"));
    }
}
