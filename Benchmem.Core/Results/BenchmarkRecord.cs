namespace Benchmem.Core.Results;

/// <summary>
/// One benchmark's results: identity, dims, timing sample and memory. This is what the journal keeps per
/// finished benchmark and what the results file lists under <c>Benchmarks[]</c>.
/// </summary>
public sealed class BenchmarkRecord
{
    public required string Namespace { get; init; }
    public required string Type { get; init; }
    public required string Method { get; init; }
    /// <summary>BenchmarkDotNet-style parameter string: <c>n=10000&amp;name=abc</c>; empty when none.</summary>
    public string Parameters { get; init; } = "";
    /// <summary>Unique per run: <c>Namespace.Type.Method(n: 10000)</c>.</summary>
    public required string FullName { get; set; }
    public string? Group { get; init; }
    /// <summary>Analysis axes: scalar arguments by parameter name plus <c>Bench.Dim</c> values. Values are long, double, string or bool.</summary>
    public Dictionary<string, object?> Dims { get => _dims; init => _dims = value; }
    private Dictionary<string, object?> _dims = new();
    public TimingResult? Timing { get; init; }
    public AllocationResult? Allocation { get; init; }
    /// <summary>The memory passes, when memory was measured ([BenchMem] or Benchmem.Enabled=true).</summary>
    public Memory.MemoryResult? Memory { get; init; }
    /// <summary>False when the benchmark's assembly was compiled without JIT optimizations (Debug).</summary>
    public bool Optimized { get; init; } = true;
    /// <summary>Set when a filtered run kept this benchmark from the earlier run that measured it (it did not run
    /// now): that run's title and start, e.g. <c>Perf-20260102-030405 (2026-01-02T03:04:05+00:00)</c>. Null when measured by
    /// the run that wrote the file.</summary>
    public string? KeptFrom { get; set; }
    /// <summary>The [Benchmark(Baseline = true)] of its group (or class): the others' Ratio columns and ratio rules divide by it.</summary>
    public bool Baseline { get; init; }
    /// <summary>The benchmark's own numbers (<c>Bench.Metric("rows", n)</c>), by name; compared, gated and plotted as <c>metric.NAME</c>.</summary>
    public Dictionary<string, double> Metrics { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The same record under another name and dims (<c>compare --pivot</c>'s view of one dim's slice). A
    /// member-wise copy, so every other field, including ones added later, is kept; the results are shared, not copied.</summary>
    public BenchmarkRecord Renamed(string fullName, Dictionary<string, object?> dims)
    {
        var copy = (BenchmarkRecord)MemberwiseClone();
        copy.FullName = fullName;
        copy._dims = dims;
        return copy;
    }
}

/// <summary>The timing sample: one value per round, nanoseconds per operation, overhead already subtracted.</summary>
public sealed class TimingResult
{
    // Summarised on first use and kept: the run's table, the results file, compare and the gate all read the same
    // sample, which is fixed once measured or loaded.
    private readonly Lazy<Timing.RoundSummary?> _summary;
    private readonly Lazy<Timing.WorkloadResult> _workload;

    public TimingResult()
    {
        _summary = new(() => Timing.RoundSummary.Of(RoundNanoseconds));
        _workload = new(() => Timing.WorkloadResult.Of(this));
    }

    /// <summary>Every round summarised (Benchmem's own numbers), once; null when there are no rounds or one is not finite.</summary>
    public Timing.RoundSummary? Summary => _summary.Value;

    /// <summary>The rounds BenchmarkDotNet's Statistics keep (its "Workload Result"), selected once.</summary>
    public Timing.WorkloadResult Workload => _workload.Value;

    public required double[] RoundNanoseconds { get; init; }
    public required long IterationsPerRound { get; init; }
    /// <summary>Measured cost of the empty invocation loop, ns per operation, that was subtracted.</summary>
    public double OverheadNanoseconds { get; init; }
    public double WarmupMilliseconds { get; init; }
    public double TotalMilliseconds { get; init; }
    /// <summary>
    /// True when the rounds are already BenchmarkDotNet's "Workload Result" (read from a BDN export, whose
    /// Statistics.OriginalValues have upper outliers removed): they are summarised as they are, not filtered again.
    /// </summary>
    public bool OutliersRemoved { get; init; }
    /// <summary>The machine's speed sampled between the rounds (<see cref="Timing.CalibrationProbe"/>); null when the
    /// run did not calibrate (older files, BenchmarkDotNet exports, timing outside a Benchmem run).</summary>
    public Timing.CalibrationResult? Calibration { get; init; }
    /// <summary>Benchmem.Launches: how many of <see cref="RoundNanoseconds"/> each process timed, in order (the extra
    /// launches first, the test host last); null when one process timed them all.</summary>
    public int[]? LaunchRounds { get; init; }
}

/// <summary>Cheap always-on memory numbers from one untimed pass, like BenchmarkDotNet's MemoryDiagnoser.</summary>
public sealed class AllocationResult
{
    public required long TotalOperations { get; init; }
    public required long BytesAllocatedPerOperation { get; init; }
    public int Gen0Collections { get; init; }
    public int Gen1Collections { get; init; }
    public int Gen2Collections { get; init; }
    /// <summary>True when other threads allocated during the pass, so all threads' allocations were counted.</summary>
    public bool MultiThreaded { get; init; }
}
