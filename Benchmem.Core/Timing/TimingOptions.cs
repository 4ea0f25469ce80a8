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
    public void Validate()
    {
        if (MinRounds < 1 || MinRounds > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(MinRounds), MinRounds, "MinRounds must be between 1 and 1,000,000.");
        if (!(MaxTime > 0) || double.IsInfinity(MaxTime))
            throw new ArgumentOutOfRangeException(nameof(MaxTime), MaxTime, "MaxTime must be a positive number of seconds, e.g. 1.0.");
        if (!(MinTime >= 0) || MinTime > MaxTime)
            throw new ArgumentOutOfRangeException(nameof(MinTime), MinTime, "MinTime must be 0 (automatic) or a number of seconds no larger than MaxTime.");
        if (!(Warmup >= 0) || double.IsInfinity(Warmup))
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "Warmup must be 0 or a positive number of seconds, e.g. 0.15.");
    }
}
