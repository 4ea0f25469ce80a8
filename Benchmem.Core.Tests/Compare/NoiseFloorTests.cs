using Benchmem.Core.Compare;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Compare;

public class NoiseFloorTests
{
    [Test]
    public void TheFloorIsTheSpreadOfTheBlockMedians()
    {
        // 10 rounds in 5 blocks of 2: block medians 100, 101, 120, 110, 105 → 120 / 100 − 1 = 20%.
        double[] rounds = [99, 101, 100, 102, 119, 121, 109, 111, 104, 106];
        var floor = NoiseFloor.Of(rounds)!;
        Assert.That(floor.Percent, Is.EqualTo(20).Within(1e-9));
        Assert.That(floor.ToString(), Is.EqualTo("noise floor 20.0%"));
    }

    [Test]
    public void UnevenBlocksSplitAtTheSameIndicesEverywhere()
    {
        // 7 rounds: blocks [0,1) [1,2) [2,4) [4,5) [5,7) → medians 100, 100, 104, 100, 100.5.
        double[] rounds = [100, 100, 103, 105, 100, 100, 101];
        Assert.That(NoiseFloor.Of(rounds)!.Percent, Is.EqualTo(4).Within(1e-9));
    }

    [Test]
    public void TooFewRoundsHaveNoFloor()
    {
        Assert.That(NoiseFloor.Of([1, 2, 3, 4]), Is.Null);
        Assert.That(NoiseFloor.Of(null), Is.Null);
        Assert.That(NoiseFloor.Of([1, 2, 3, 4, double.NaN]), Is.Null);
    }

    [Test]
    public void OfTwoRunsTheLargerFloorCounts()
    {
        double[] steady = [100, 100, 100, 100, 100], drifting = [100, 100, 130, 100, 100];
        Assert.That(NoiseFloor.Of(steady, drifting)!.Percent, Is.EqualTo(30).Within(1e-9));
        Assert.That(NoiseFloor.Of(drifting, steady)!.Percent, Is.EqualTo(30).Within(1e-9));
        Assert.That(NoiseFloor.Of(steady, [1, 2]), Is.Null);
    }

    /// <summary>500 rounds around <paramref name="center"/> with ±1% round-to-round noise, the second half slower by
    /// <paramref name="drift"/> (the machine entered a slow phase halfway through the run).</summary>
    private static double[] Drifting(double center, double drift, int seed)
    {
        var noise = Rounds(1, count: 500, spread: 0.01, seed: seed);
        return noise.Select((n, i) => center * n * (i < 250 ? 1 : 1 + drift)).ToArray();
    }

    [Test]
    public void ANoiseRulePassesAChangeWithinTheRunsOwnDriftAndSaysSo()
    {
        // Identical code on a machine that slowed by 30% halfway through the candidate run: its median moves ~+15%,
        // its block medians 30% apart.
        var baseline = Record("T", "M", time: Drifting(1000, 0, seed: 1));
        var candidate = Record("T", "M", time: Drifting(1000, 0.3, seed: 2));
        var comparison = Comparison.Of([baseline], [candidate]);

        var significant = comparison.Check("time:10%:significant");
        Assert.That(significant.Passed, Is.False, "the round test calls drift significant: what the noise rule is for");

        var noise = comparison.Check("time:10%:noise");
        Assert.That(noise.Passed, Is.True);
        var change = noise.WithinNoise.Single();
        Assert.That(change.NoiseFloor!.Percent, Is.GreaterThan(change.ChangePercent));
        Assert.That(noise.ToString(), Does.Contain("\nOver the limit but within the runs' noise floor, so not failing (1):\ntime  T.M: "));
        Assert.That(change.ToString(), Does.EndWith($", within its noise floor {change.NoiseFloor.Percent:0.0}%"));
        Assert.That(change.Significance, Is.Null, "a noise rule shows no p-value");
    }

    [Test]
    public void ANoiseRuleFailsAChangeAboveTheFloor()
    {
        var baseline = Record("T", "M", time: Drifting(1000, 0.02, seed: 3));
        var candidate = Record("T", "M", time: Drifting(1300, 0.02, seed: 4));
        var result = Comparison.Of([baseline], [candidate]).Check("time:10%:noise");
        Assert.That(result.Passed, Is.False);
        var change = result.Regressions.Single();
        Assert.That(change.NoiseFloor!.Percent, Is.InRange(1.0, 5.0));
        Assert.That(result.RegressionLines.Single(), Does.Match(@"^time  T\.M: 1\.0\d\d us → 1\.3\d\d us \(\+\d\d\.\d%\), above its noise floor \d\.\d%$"));
        Assert.That(result.ToString(), Does.Not.Contain("Note:"), "no p-value on the page, no note about p-values");
    }

    [Test]
    public void WithoutAFloorTheSizeDecidesAndTheLineSaysSo()
    {
        var result = Comparison.Of([Record("T", "M", time: [100, 100, 100])], [Record("T", "M", time: [150, 150, 150])]).Check("time:10%:noise");
        Assert.That(result.RegressionLines, Is.EqualTo(new[] { "time  T.M: 100.0 ns → 150.0 ns (+50.0%), no noise floor (fewer than 5 rounds on a side): judged on size" }));
    }
}
