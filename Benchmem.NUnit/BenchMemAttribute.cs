using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit;

/// <summary>
/// Adds untimed memory passes to a [Benchmark] test, even without Benchmem.Enabled=true: after the timing rounds,
/// each pass starts from a clean heap and measures peak, allocated, retained, GC counts (and rss, allocations where
/// available). The headline is the pass with the minimum peak; every pass is kept. Ceilings fail the test,
/// judged on the worst pass.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BenchMemAttribute : NUnitAttribute, IWrapTestMethod
{
    internal const int DefaultRepeats = 0;
    internal const int DefaultWarmup = 1;
    internal const long NoLimit = -1;

    private int? _repeats;
    private int? _warmup;

    /// <summary>Measured passes (default Benchmem.Repeats, else 0); 0 = adaptive: at least 2, stop after 2 without a new minimum, at most 10.</summary>
    public int Repeats { get => _repeats ?? DefaultRepeats; set => _repeats = value; }

    /// <summary>Untracked calls before the first pass (default Benchmem.Warmup, else 1).</summary>
    public int Warmup { get => _warmup ?? DefaultWarmup; set => _warmup = value; }

    /// <summary>Repeats when this attribute sets it; null leaves it to Benchmem.Repeats.</summary>
    internal int? RepeatsGiven => _repeats;

    /// <summary>Warmup when this attribute sets it; null leaves it to Benchmem.Warmup.</summary>
    internal int? WarmupGiven => _warmup;

    /// <summary>Invocations inside one measured pass, to see build-up across calls (default 1).</summary>
    public int Calls { get; set; } = 1;

    /// <summary>Also record the process's resident high-water (Linux).</summary>
    public bool Rss { get; set; }

    /// <summary>
    /// Precise peak for this benchmark: the memory host runs a full GC at every allocation that could raise the peak, so
    /// the live high-water is exact to the byte instead of to 4 KiB or 1%. More GCs on churn; see Benchmem.PrecisePeak
    /// for the whole run.
    /// </summary>
    public bool PrecisePeak { get; set; }

    /// <summary>
    /// Keep an allocation profile of this benchmark (one extra pass: bytes and objects by type and call path) in
    /// Benchmem.Profile's folder, or BenchmarkResults/profiles when that is not set. Benchmem.Profile does it for the whole run.
    /// </summary>
    public bool Profile { get; set; }

    /// <summary>
    /// Each memory pass in a fresh memory-host process and without warm-up, so the first call's cost (static
    /// constructors, lazy caches, type loading) is measured cold, the way pytest-benchmem's isolate does. Repeats passes
    /// (3 when Repeats is 0), one process start (~1 s) each. Needs the memory host: where it cannot run, the test fails
    /// saying so instead of measuring warm.
    /// </summary>
    public bool Isolate { get; set; }

    /// <summary>Ceiling on peak, a size such as "100MiB": the test fails when the worst pass goes over it.</summary>
    public string? MaxPeak { get; set; }

    /// <summary>Ceiling on bytes allocated per pass, a size such as "5MB".</summary>
    public string? MaxAllocated { get; set; }

    /// <summary>Ceiling on retained bytes (still live after the call, its result dropped, and a full GC), a size such as "1KiB": a leak
    /// ceiling, judged on the worst pass.</summary>
    public string? MaxRetained { get; set; }

    /// <summary>Ceiling on objects allocated per pass (needs exact allocation counts); -1 = none.</summary>
    public long MaxAllocations { get; set; } = NoLimit;

    /// <summary>Memory passes are run by [Benchmark]'s command; alone, this attribute says what is missing.</summary>
    public TestCommand Wrap(TestCommand command) =>
        command.Test.Method?.MethodInfo.IsDefined(typeof(BenchmarkAttribute), false) == true
            ? command
            : new FailCommand(command, "[BenchMem] adds memory passes to a [Benchmark] test: put [Benchmark] on this method too.");

    private sealed class FailCommand(TestCommand inner, string message) : DelegatingTestCommand(inner)
    {
        public override TestResult Execute(TestExecutionContext context)
        {
            context.CurrentResult.SetResult(ResultState.Failure, message);
            return context.CurrentResult;
        }
    }
}
