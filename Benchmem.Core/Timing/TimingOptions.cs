using Benchmem.Core.Settings;

namespace Benchmem.Core.Timing;

/// <summary>How long and how often to time one benchmark (the [Benchmark] attribute's properties).</summary>
public sealed record TimingOptions
{
    /// <summary>At least this many rounds, even past <see cref="MaxTime"/>.</summary>
    public int MinRounds { get; init; } = 5;

    /// <summary>Seconds of timing budget for the whole benchmark: warm-up, calibration and rounds.</summary>
    public double MaxTime { get; init; } = 1.0;

    /// <summary>Minimum round length in seconds; 0 = automatic (1 ms, and never under 1000 timer steps).</summary>
    public double MinTime { get; init; }

    /// <summary>Seconds of warm-up before rounds start (tiered compilation needs ~150 ms); 0 = none.</summary>
    public double Warmup { get; init; } = 0.15;

    /// <summary>Throws with a clear message naming the property when a value is out of range.</summary>
    public void Validate() => OptionRule.Check(Rules, this);

    /// <summary>The ranges <see cref="Validate"/> checks, in order (the [Benchmark] attribute's messages use them too).</summary>
    public static readonly IReadOnlyList<OptionRule<TimingOptions>> Rules =
    [
        new(nameof(MinRounds), o => o.MinRounds, o => o.MinRounds is >= 1 and <= 1_000_000, "MinRounds must be between 1 and 1,000,000."),
        new(nameof(MaxTime), o => o.MaxTime, o => o.MaxTime > 0 && !double.IsInfinity(o.MaxTime), "MaxTime must be a positive number of seconds, e.g. 1.0."),
        new(nameof(MinTime), o => o.MinTime, o => o.MinTime >= 0 && !(o.MinTime > o.MaxTime),
            "MinTime must be 0 (automatic) or a number of seconds no larger than MaxTime."),
        new(nameof(Warmup), o => o.Warmup, o => o.Warmup >= 0 && !double.IsInfinity(o.Warmup), "Warmup must be 0 or a positive number of seconds, e.g. 0.15."),
    ];
}
