namespace Benchmem.Core.Settings;

/// <summary>The run-level settings, resolved from runsettings, test parameters and environment (the same names in each).</summary>
public sealed record BenchmemSettings
{
    /// <summary>Memory passes for every [Benchmark] test.</summary>
    public bool Enabled { get; init; }

    /// <summary>Run benchmark tests once as plain tests: no timing, no memory.</summary>
    public bool Disable { get; init; }

    /// <summary>False: memory-only run — memory passes for every [Benchmark] test and no timing rounds (a stable allocation gate).</summary>
    public bool Timing { get; init; } = true;

    /// <summary>The run's table: "combined" (timing and memory side by side) or "split" (a timing table, then a memory table).</summary>
    public string Layout { get; init; } = "combined";

    /// <summary>Label columns in the run's table: dims (or Bench.Dim names) given as extra:NAME in Columns.</summary>
    public IReadOnlyList<string> ExtraColumns { get; init; } = [];

    public static readonly string[] KnownLayouts = ["combined", "split"];

    /// <summary>Path of the merged results file; relative paths are taken from the test project's directory.</summary>
    public string? Json { get; init; }

    /// <summary>Suite-wide memory-pass defaults; [BenchMem] properties override them.</summary>
    public int? Repeats { get; init; }
    public int? Warmup { get; init; }
    /// <summary>Seconds after which adaptive memory passes stop.</summary>
    public double? MemoryMaxTime { get; init; }

    /// <summary>Suite-wide timing defaults (pytest-benchmark's --benchmark-max-time/--benchmark-min-rounds); [Benchmark] properties override them.</summary>
    public double? TimingMaxTime { get; init; }
    public int? MinRounds { get; init; }

    /// <summary>
    /// Processes each timed benchmark is timed in (BenchmarkDotNet's LaunchCount): 1, the test host alone; N, also N-1
    /// fresh processes started before the tests, their rounds pooled with the test host's. Which code the JIT ends up
    /// giving a benchmark differs between processes; the fastest round over several is the code's.
    /// </summary>
    public int Launches { get; init; } = 1;

    /// <summary>Also record the resident high-water (Linux) in every memory pass.</summary>
    public bool Rss { get; init; }

    /// <summary>
    /// Precise peak for every memory benchmark: the memory host runs them under GC stress (a full GC before every
    /// allocation) with the profiler following the live heap. Slow (tens of times the call's time, plus seconds of start-up).
    /// </summary>
    public bool PrecisePeak { get; init; }

    /// <summary>
    /// Where memory passes run: "auto" (default: the memory host, with exact allocation counts, where the package ships
    /// the profiler for this platform; in process elsewhere) or "inprocess".
    /// </summary>
    public string Host { get; init; } = "auto";

    /// <summary>
    /// Wall-clock limit in seconds for one benchmark test (its first plain run, timing and memory passes); past it the
    /// test fails and the run goes on. Null: no limit.
    /// </summary>
    public double? Timeout { get; init; }

    /// <summary>Keep this run in storage as NNNN_&lt;Save&gt;.json.</summary>
    public string? Save { get; init; }

    /// <summary>Keep every run in storage, named after the commit.</summary>
    public bool Autosave { get; init; }

    /// <summary>Storage root for saved runs; relative to the test project's directory (default .benchmarks).</summary>
    public string Storage { get; init; } = ".benchmarks";

    /// <summary>Which saved run the inline gate compares with: a number, a name or a path (default: the newest).</summary>
    public string? CompareTo { get; init; }

    /// <summary>Inline gate rules, e.g. "peak:10%,allocations:5%": each benchmark test that regressed fails.</summary>
    public string? CompareFail { get; init; }

    /// <summary>
    /// Folder for allocation profiles: one extra pass per memory benchmark (per regressing one with CompareFail) by type
    /// and call path. Relative to the test project's directory.
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>
    /// The allocation snapshot file (e.g. benchmem.lock.json, relative to the test project's directory): exact allocation
    /// counts per benchmark, written on the first run, compared on later ones (turns memory passes on for every benchmark).
    /// </summary>
    public string? Snapshot { get; init; }

    /// <summary>Single-run reports written next to the results file, as BDN writes them: md (GitHub markdown), csv, html; empty for none.</summary>
    public IReadOnlyList<string> Reports { get; init; } = KnownReports;

    public static readonly string[] KnownReports = ["md", "csv", "html"];

    /// <summary>Memory columns in the console table.</summary>
    public IReadOnlyList<string> Columns { get; init; } = ["peak"];

    /// <summary>Spread stats shown per memory column when a benchmark has more than one pass.</summary>
    public IReadOnlyList<string> Stats { get; init; } = ["min", "mean", "max"];

    /// <summary>Timing columns in the console table (pytest-benchmark's --benchmark-columns); null: as many as fit.</summary>
    public IReadOnlyList<string>? TimingColumns { get; init; }

    /// <summary>Row order in the console table (pytest-benchmark's --benchmark-sort): min, max, mean, stddev, median or name.</summary>
    public string Sort { get; init; } = "min";

    /// <summary>The memory columns: every per-pass metric, by its name (<see cref="Compare.MetricField"/>).</summary>
    public static readonly string[] KnownColumns = [.. Compare.MetricField.All.Where(f => f.IsPerPass).Select(f => f.Name)];
    public static readonly string[] KnownStats = ["min", "mean", "max"];

    /// <summary>Where each setting came from, for messages ("Json=x.json (environment BENCHMEM_JSON)").</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    public static BenchmemSettings Default { get; } = new();
}
