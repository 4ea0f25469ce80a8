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

    /// <summary>
    /// The NUnit category every [Benchmark] test carries, so <c>dotnet test --filter TestCategory!=Benchmark</c> skips
    /// the benchmarks and <c>TestCategory=Benchmark</c> runs only them (pytest-benchmark's --benchmark-skip / --benchmark-only).
    /// </summary>
    public const string Category = "Benchmark";

    /// <summary>Ceiling on the median time per operation, a time such as "2ms": the test fails past it.</summary>
    public string? MaxMedian { get; set; }

    /// <summary>Ceiling on the mean time per operation, e.g. "1.5us".</summary>
    public string? MaxMean { get; set; }

    /// <summary>Ceiling on the fastest round's time per operation, e.g. "500ns".</summary>
    public string? MaxMin { get; set; }

    /// <summary>
    /// False: no timing rounds for this benchmark, only its memory passes (which it then takes even without [BenchMem]);
    /// Benchmem.Timing=false does it for the whole run.
    /// </summary>
    public bool Timing { get; set; } = true;

    /// <summary>
    /// The baseline of its group (or, without a group, of its class): the table gives every benchmark of that group a
    /// Ratio and RatioSD per metric against it, and <c>ratio.METRIC:N</c> rules gate those ratios inside the run.
    /// </summary>
    public bool Baseline { get; set; }

    public TestCommand Wrap(TestCommand command) => new BenchmarkCommand(command, this);

    /// <summary>[Benchmark] alone builds a test like [Test] does.</summary>
    public TestMethod BuildFrom(IMethodInfo method, Test? suite)
    {
        var test = Builder.BuildTestMethod(method, suite, null);
        ReturnValues.AllowFor(test);
        AddCategory(test);
        return test;
    }

    /// <summary>With [Test, Benchmark] NUnit's own builder made the test: lift its return-value veto here.</summary>
    public void ApplyToTest(Test test)
    {
        ReturnValues.AllowFor(test);
        AddCategory(test);
    }

    /// <summary>Once per test (or per [TestCase] method's suite, whose category the adapter gives each case).</summary>
    private static void AddCategory(Test test)
    {
        if (!test.Properties[PropertyNames.Category].Contains(Category))
            test.Properties.Add(PropertyNames.Category, Category);
    }
}
