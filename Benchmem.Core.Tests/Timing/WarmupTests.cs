using Benchmem.Core.Invocation;
using Benchmem.Core.Timing;

namespace Benchmem.Core.Tests.Timing;

/// <summary>Warm-up ends only once the JIT has gone quiet, so tier-1 code does not land in the middle of the measured
/// rounds (measured: with warm-up ending on stable tier-0 rounds, a dictionary lookup's first 35-500 rounds ran 5-20x
/// slower than the rest).</summary>
public class WarmupTests
{
    private readonly Dictionary<int, int> _table = Enumerable.Range(0, 100).ToDictionary(i => i * 7, i => i);

    public int Lookup() => _table[63] + _table[7];

    [Test]
    public void WarmupWaitsForTheJitToGoQuiet_WithinAThirdOfTheBudget()
    {
        var invoker = BenchmarkInvoker.ForMethod(this, typeof(WarmupTests).GetMethod(nameof(Lookup))!, []);
        var timing = TimingEngine.Run(invoker, new TimingOptions { MaxTime = 1.5 });
        // Not a speed target: a lower bound on a wait (a slow machine only waits longer) and the cap that bounds it.
        Assert.That(timing.WarmupMilliseconds, Is.GreaterThanOrEqualTo(250), "the JIT must have been quiet for 250 ms");
        Assert.That(timing.WarmupMilliseconds, Is.LessThan(1500 / 3.0 + 100), "warm-up never takes more than a third of the budget (plus its last round)");
    }
}
