using Benchmem.Core.Compare;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Compare;

/// <summary>Ratios against a [Benchmark(Baseline = true)] in one run, checked against the arithmetic done here.</summary>
public class RunRatiosTests
{
    private static BenchmarkRecord Record(string method, double[] rounds, long[] peaks, bool baseline = false, string? group = "g") => new()
    {
        Namespace = "N", Type = "T", Method = method, FullName = $"N.T.{method}", Group = group, Baseline = baseline,
        Timing = new TimingResult { RoundNanoseconds = rounds, IterationsPerRound = 1 },
        Memory = new MemoryResult
        {
            Passes = [.. peaks.Select(p => new MemoryPass { PeakBytes = p, AllocatedBytes = p, RetainedBytes = 0, PeakMethod = PeakMethods.Exact })],
            Options = new MemoryOptions(),
        },
    };

    [Test]
    public void TimeIsMeanOverMean_MemoryTheHeadlineOverTheHeadline_WithTheSpreadsInQuadrature()
    {
        var baseline = Record("Old", [100, 200, 300], [1000, 1000], baseline: true);
        var candidate = Record("New", [300, 300, 300], [1500, 1600]);
        var ratios = RunRatios.Of([baseline, candidate], ["peak"]);

        var time = RunRatios.Ratio(candidate, baseline, MetricField.Time)!.Value;
        Assert.That(time.Ratio, Is.EqualTo(1.5), "300 / 200");
        // sd: baseline 100 (of 100, 200, 300), candidate 0: 1.5 × sqrt(0² + (100/200)²) = 0.75
        Assert.That(time.Sd, Is.EqualTo(0.75).Within(1e-12));
        var peak = RunRatios.Ratio(candidate, baseline, MetricField.Peak)!.Value;
        Assert.That(peak.Ratio, Is.EqualTo(1.5), "the headline pass (minimum peak) 1500 / 1000");
        // candidate passes 1500, 1600: mean 1550, sd 70.71; ratio sd 1.5 × 70.71 / 1500
        Assert.That(peak.Sd, Is.EqualTo(1.5 * Math.Sqrt(5000) / 1500).Within(1e-12));

        Assert.That(ratios.Cells(candidate).Select(c => $"{c.Column}={c.Text}"),
            Is.EqualTo(new[] { "time Ratio=1.50", "time RatioSD=0.75", "peak Ratio=1.50", "peak RatioSD=0.07" }));
        Assert.That(ratios.Cells(baseline).Select(c => c.Text), Is.EqualTo(new[] { "1.00", "0.00", "1.00", "0.00" }));
    }

    [Test]
    public void RatioRules_FailOnlyPastTheLimit_AndGroupsWithoutABaselineHaveNoRatios()
    {
        var baseline = Record("Old", [200, 200], [1000], baseline: true);
        var candidate = Record("New", [300, 300], [1000]);
        Assert.That(RatioRule.Parse("ratio.time:1.5").Check(candidate, baseline), Is.Null, "1.50 is within 1.5");
        Assert.That(RatioRule.Parse("ratio.time:1.2").Check(candidate, baseline),
            Is.EqualTo("ratio.time:1.2: T.New is 1.50× its baseline T.Old (300.0 ns against 200.0 ns), over the limit 1.2"));
        Assert.That(RatioRule.Parse("ratio.peak:1.0").Check(candidate, baseline), Is.Null);
        Assert.That(RatioRule.Parse("ratio.time:1.2").Check(baseline, baseline), Is.Null, "the baseline is not gated against itself");

        var other = Record("Alone", [1], [1], group: "h");
        var ratios = RunRatios.Of([baseline, candidate, other], []);
        Assert.That(ratios.BaselineOf(other), Is.Null);
        Assert.That(ratios.Cells(other), Is.Empty);
        Assert.That(RunRatios.GroupOf(Record("X", [1], [1], group: null)), Is.EqualTo("N.T"), "without a group: the class");
    }
}
