using System.Globalization;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;

namespace Benchmem.Core.Compare;

/// <summary>
/// The time of one benchmark in two runs, each divided by its own run's calibration (<see cref="CalibratedTiming"/>),
/// and whether the machine was steady enough for a verdict. Values are given in ns at the baseline's machine speed
/// (scaled so the baseline's calibrated median is its raw median), so they read like the raw times they replace.
/// </summary>
public sealed class CalibratedPair
{
    /// <summary>Past this, the calibration moved too much while a benchmark was timed (in either run) for a verdict
    /// on its time: the speed changed within the blocks the calibration can resolve.</summary>
    public const double DriftLimitPercent = 10;

    /// <summary>Past this, the two runs' machine speeds differ too much for a verdict: calibration cancels a slower
    /// machine only as far as the benchmark is slowed like the workloads, and the error grows with the difference.</summary>
    public const double ShiftLimitPercent = 30;

    private CalibratedPair(CalibratedTiming baseline, CalibratedTiming candidate, TimingResult baselineRaw, TimingResult candidateRaw)
    {
        Baseline = baseline;
        Candidate = candidate;
        BaselineRaw = baselineRaw;
        CandidateRaw = candidateRaw;
        ShiftPercent = (candidate.Index / baseline.Index - 1) * 100;
        NoiseFloor = NoiseFloor.Of(baseline.Rounds, candidate.Rounds);
        Unsteady = baseline.DriftPercent > DriftLimitPercent || candidate.DriftPercent > DriftLimitPercent
            ? (baseline.DriftPercent >= candidate.DriftPercent
                ? $"the machine's speed moved {Percent(baseline.DriftPercent)} while it was timed in the baseline"
                : $"the machine's speed moved {Percent(candidate.DriftPercent)} while it was timed in the candidate") + $" (limit {Percent(DriftLimitPercent)})"
            : Math.Abs(ShiftPercent) > ShiftLimitPercent
                ? $"the machine ran {Percent(Math.Abs(ShiftPercent))} {(ShiftPercent > 0 ? "slower" : "faster")} in the candidate than in the baseline (limit {Percent(ShiftLimitPercent)})"
                : null;
    }

    public CalibratedTiming Baseline { get; }
    public CalibratedTiming Candidate { get; }
    public TimingResult BaselineRaw { get; }
    public TimingResult CandidateRaw { get; }

    /// <summary>How much slower (+) or faster (-) the machine ran in the candidate, in percent: its index over the baseline's.</summary>
    public double ShiftPercent { get; }

    /// <summary>The larger of the two runs' noise floors of the calibrated rounds: the spread of the calibrated ratio
    /// within each run, the default rule's floor.</summary>
    public NoiseFloor? NoiseFloor { get; }

    /// <summary>Why no time verdict can be given (the figure and its limit), or null when the machine was steady.</summary>
    public string? Unsteady { get; }

    /// <summary>What the verdict line adds: the fix for an unsteady comparison.</summary>
    public const string Fix = "rerun both on a quieter runner (benchmem calibrate shows its stability), or time both builds interleaved (benchmem sweep)";

    /// <summary>The calibrated pair, or null with the reason the comparison stays raw (null reason when neither run
    /// calibrated: files written before calibration, or BenchmarkDotNet's, compare as they always did).</summary>
    public static (CalibratedPair? Pair, string? Raw) Of(BenchmarkRecord baseline, BenchmarkRecord candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var (b, c) = (baseline.Timing, candidate.Timing);
        if (b is null || c is null || b.Calibration is null && c.Calibration is null)
            return (null, null);
        if (b.Calibration is null || c.Calibration is null)
            return (null, $"{(b.Calibration is null ? "the baseline" : "the candidate")} has no calibration (written by an older Benchmem or by BenchmarkDotNet)");
        if (CalibratedTiming.Mismatch(b.Calibration, c.Calibration) is { } mismatch)
            return (null, mismatch);
        var (cb, cc) = (CalibratedTiming.Of(b), CalibratedTiming.Of(c));
        if (cb is null || cc is null)
            return (null, $"{(cb is null ? "the baseline" : "the candidate")} has too few rounds or calibration samples to calibrate (at least {NoiseFloor.Blocks} rounds and a sample of each workload)");
        return (new CalibratedPair(cb, cc, b, c), null);
    }

    /// <summary>The statistic of the baseline's (or candidate's) calibrated rounds, in ns at the baseline's speed.</summary>
    public double Value(Stat stat, bool candidate)
    {
        var summary = RoundSummary.Of((candidate ? Candidate : Baseline).Rounds)!;
        double ratio = stat switch
        {
            Stat.Median => summary.Median,
            Stat.Min => summary.Min,
            Stat.Max => summary.Max,
            Stat.Mean => summary.Mean,
            Stat.StdDev => summary.StandardDeviation,
            _ => throw new ArgumentOutOfRangeException(nameof(stat), stat, null),
        };
        return ratio * Scale;
    }

    /// <summary>ns per unit of calibrated ratio: the baseline's raw median over its calibrated median, so the baseline's
    /// median reads as measured and the candidate's at the baseline's speed.</summary>
    private double Scale => _scale ??= BaselineRaw.Summary is { Median: > 0 } raw && RoundSummary.Of(Baseline.Rounds) is { Median: > 0 } calibrated
        ? raw.Median / calibrated.Median : Baseline.Index;
    private double? _scale;

    /// <summary>A one-sided Mann-Whitney test of the calibrated block medians (<see cref="CalibratedTiming.BlockMedians"/>,
    /// <see cref="SignificanceBlocks"/> a side): blocks a tenth of a benchmark apart are closer to independent samples
    /// than rounds a millisecond apart, so the test does not read the runs' different moments as the code's doing.</summary>
    public Significance? Significance(double alpha) =>
        Compare.Significance.OfSlowdown(Baseline.BlockMedians(SignificanceBlocks), Candidate.BlockMedians(SignificanceBlocks), alpha);

    /// <summary>Blocks a side in the calibrated significance test: 10 against 10 can reach p = 0.00001.</summary>
    public const int SignificanceBlocks = 10;

    internal static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
