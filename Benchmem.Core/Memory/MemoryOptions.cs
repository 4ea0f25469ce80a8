using Benchmem.Core.Settings;

namespace Benchmem.Core.Memory;

/// <summary>How to take the memory passes of one benchmark ([BenchMem] properties and run-level defaults).</summary>
public sealed record MemoryOptions
{
    /// <summary>Number of measured passes; 0 = adaptive: at least 2, stop after 2 passes without a new minimum peak, at most 10 or MaxTime.</summary>
    public int Repeats { get; init; }

    /// <summary>Untracked calls before the first pass (JIT, lazy initialisation, caches).</summary>
    public int Warmup { get; init; } = 1;

    /// <summary>Invocations inside one measured pass, to see build-up across calls.</summary>
    public int Calls { get; init; } = 1;

    /// <summary>Also record the process's resident high-water (Linux).</summary>
    public bool Rss { get; init; }

    /// <summary>Where the profiler follows the live heap: exact to the byte (a GC at every allocation that could raise the
    /// peak) instead of to 4 KiB or 1%. Costs more GCs on churn.</summary>
    public bool PrecisePeak { get; init; }

    /// <summary>Each pass in a fresh memory-host process, without warm-up: the first call's cost (static constructors, lazy
    /// caches, type loading) measured cold. Only the memory host can do it; in process the benchmark is refused.</summary>
    public bool Isolated { get; init; }

    /// <summary>Passes of an isolated benchmark when Repeats is 0 (adaptive needs passes that can stop early; each
    /// isolated pass is a process start, so a fixed number).</summary>
    public const int IsolatedDefaultPasses = 3;

    /// <summary>Seconds after which adaptive passes stop (fixed Repeats always run in full).</summary>
    public double MaxTime { get; init; } = 10;

    public const int AdaptiveMaxPasses = 10;

    public void Validate() => OptionRule.Check(Rules, this);

    /// <summary>The ranges <see cref="Validate"/> checks, in order (the [BenchMem] attribute's messages use them too).</summary>
    public static readonly IReadOnlyList<OptionRule<MemoryOptions>> Rules =
    [
        new(nameof(Repeats), o => o.Repeats, o => o.Repeats is >= 0 and <= 1000, "Repeats must be 0 (adaptive) or between 1 and 1000."),
        new(nameof(Warmup), o => o.Warmup, o => o.Warmup is >= 0 and <= 1000, "Warmup must be between 0 and 1000 calls."),
        new(nameof(Calls), o => o.Calls, o => o.Calls is >= 1 and <= 1_000_000, "Calls must be between 1 and 1,000,000."),
        new(nameof(MaxTime), o => o.MaxTime, o => o.MaxTime > 0 && !double.IsInfinity(o.MaxTime), "MaxTime must be a positive number of seconds."),
    ];
}
