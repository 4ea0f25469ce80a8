using Benchmem.NUnit.Commands;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit;

/// <summary>
/// Times the test method. The test first runs once as a normal NUnit test (its assertions decide pass or
/// fail), then its body is timed in rounds, then bytes allocated per call are counted. Alone it also
/// makes the method a test, like [Test]. A benchmark method may return a value: it is kept alive so the
/// JIT cannot drop the work, and no ExpectedResult is needed.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BenchmarkAttribute : NUnitAttribute, IWrapTestMethod, ISimpleTestBuilder, IApplyToTest, IImplyFixture
{
    private static readonly NUnitTestCaseBuilder Builder = new();

    /// <summary>Benchmarks of one group share a table section and their (N.NN) multipliers.</summary>
    public string? Group { get; set; }

    internal const int DefaultMinRounds = 5;
    internal const double DefaultMaxTime = 1.0;

    private int? _minRounds;
    private double? _maxTime;

    /// <summary>At least this many timed rounds (default Benchmem.MinRounds, else 5), even past MaxTime.</summary>
    public int MinRounds { get => _minRounds ?? DefaultMinRounds; set => _minRounds = value; }

    /// <summary>Seconds of timing budget for this benchmark, warm-up included (default Benchmem.TimingMaxTime, else 1.0).</summary>
    public double MaxTime { get => _maxTime ?? DefaultMaxTime; set => _maxTime = value; }

    /// <summary>Minimum length of one round in seconds; 0 = automatic (1 ms and ≥1000 timer steps).</summary>
    public double MinTime { get; set; }

    /// <summary>Seconds of warm-up before timing, for tiered compilation (default 0.15; 0 = none).</summary>
    public double Warmup { get; set; } = 0.15;

    /// <summary>MinRounds when this attribute sets it; null leaves it to Benchmem.MinRounds.</summary>
    internal int? MinRoundsGiven => _minRounds;

    /// <summary>MaxTime when this attribute sets it; null leaves it to Benchmem.TimingMaxTime.</summary>
    internal double? MaxTimeGiven => _maxTime;

    public TestCommand Wrap(TestCommand command) => new BenchmarkCommand(command, this);

    /// <summary>[Benchmark] alone builds a test like [Test] does.</summary>
    public TestMethod BuildFrom(IMethodInfo method, Test? suite)
    {
        var test = Builder.BuildTestMethod(method, suite, null);
        ReturnValues.AllowFor(test);
        return test;
    }

    /// <summary>With [Test, Benchmark] NUnit's own builder made the test: lift its return-value veto here.</summary>
    public void ApplyToTest(Test test) => ReturnValues.AllowFor(test);
}
