using System.Globalization;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;

namespace Benchmem.Core.Compare;

/// <summary>
/// The time of one benchmark in two calibrated runs, the candidate's brought to the baseline's machine speed (its times
/// divided by how much slower every workload agrees the candidate's machine ran), and whether the machines were steady enough for a
/// verdict. Values are in ns: the baseline's as measured, the candidate's as they would read on the baseline's machine.
/// </summary>
/// <remarks>
/// A plain time rule (<c>time:10%</c>) compares the fastest round: contention only slows a round, so the fastest is
/// the code on the machine at its own speed, as the index is the machine at its own speed. Measured on this project's
/// 2-core VM (scripts/time-gate-acceptance.sh, 10 unchanged reruns and 10 with 20% more work): the median rounds of
/// unchanged code moved up to 42% between runs (a sort: 74–105 µs) and raised 3 false alarms in 10, the fastest
/// rounds over the fastest calibration none, with all 10 slowdowns caught. A rule naming its statistic
/// (<c>time.median:10%</c>) compares that one, calibrated the same way.
/// </remarks>
public sealed class CalibratedPair
{
    /// <summary>Past this, the machine's speed moved too much during a run (its halves' indexes, in either run) for a
    /// verdict on its times: one index cannot stand for both halves.</summary>
    public const double DriftLimitPercent = 10;

    /// <summary>Past this, the two runs' machine speeds differ too much for a verdict: calibration cancels a slower
    /// machine only as far as the benchmark is slowed like the workloads, and the error grows with the difference.</summary>
    public const double ShiftLimitPercent = 30;

    private CalibratedPair(RunSpeed baseline, RunSpeed candidate, TimingResult baselineRaw, TimingResult candidateRaw)
    {
        Baseline = baseline;
        Candidate = candidate;
        BaselineRaw = baselineRaw;
        CandidateRaw = candidateRaw;
        _ratio = baseline.AgreedRatio(candidate);
        ShiftPercent = (_ratio - 1) * 100;
        Unsteady = baseline.DriftPercent > DriftLimitPercent || candidate.DriftPercent > DriftLimitPercent
            ? (baseline.DriftPercent >= candidate.DriftPercent
                ? $"the machine's speed moved {Percent(baseline.DriftPercent)} during the baseline run"
                : $"the machine's speed moved {Percent(candidate.DriftPercent)} during the candidate run") + $" (its calibration's first half against its second; limit {Percent(DriftLimitPercent)})"
            : Math.Abs(ShiftPercent) > ShiftLimitPercent
                ? $"the machine ran {Percent(Math.Abs(ShiftPercent))} {(ShiftPercent > 0 ? "slower" : "faster")} in the candidate than in the baseline (limit {Percent(ShiftLimitPercent)})"
                : null;
    }

    public RunSpeed Baseline { get; }
    public RunSpeed Candidate { get; }
    public TimingResult BaselineRaw { get; }
    public TimingResult CandidateRaw { get; }

    /// <summary>How much slower (+) or faster (-) the machine ran in the candidate, in percent, as far as every workload's
    /// fastest sample agrees (<see cref="RunSpeed.AgreedRatio"/>): measured here, the floating-point and memory workloads'
    /// fastest samples move 5–10% between runs on their own while the integer one holds to 0.1%, and dividing by that
    /// turned an unchanged sort's +8.7% into a +12.8% false alarm.</summary>
    public double ShiftPercent { get; }

    /// <summary>Why no time verdict can be given (the figure and its limit), or null when the machine was steady.</summary>
    public string? Unsteady { get; }

    /// <summary>What the verdict line adds: the fix for an unsteady comparison.</summary>
    public const string Fix = "rerun both on a quieter runner (benchmem calibrate shows its stability), or time both builds interleaved (benchmem sweep)";

    /// <summary>The statistic a time rule is judged on when both runs are calibrated: the one it names, else the fastest round.</summary>
    public static Stat JudgedStat(ThresholdRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.StatGiven ? rule.Stat : Stat.Min;
    }

    /// <summary>The calibrated pair, or null with the reason the comparison stays raw (null reason when neither run
    /// calibrated: files written before calibration, or BenchmarkDotNet's, compare as they always did).</summary>
    public static (CalibratedPair? Pair, string? Raw) Of(BenchmarkRecord baseline, BenchmarkRecord candidate, RunSpeed? baselineSpeed, RunSpeed? candidateSpeed)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var (b, c) = (baseline.Timing, candidate.Timing);
        if (b is null || c is null || b.Calibration is null && c.Calibration is null)
            return (null, null);
        if (b.Calibration is null || c.Calibration is null)
            return (null, $"{(b.Calibration is null ? "the baseline" : "the candidate")} has no calibration (written by an older Benchmem or by BenchmarkDotNet)");
        if (Mismatch(b.Calibration, c.Calibration) is { } mismatch)
            return (null, mismatch);
        if (baselineSpeed is null || candidateSpeed is null)
            return (null, $"{(baselineSpeed is null ? "the baseline" : "the candidate")} run's calibrations disagree on their workloads or miss one");
        if (b.RoundNanoseconds is not { Length: >= NoiseFloor.Blocks } || c.RoundNanoseconds is not { Length: >= NoiseFloor.Blocks })
            return (null, $"{(b.RoundNanoseconds is not { Length: >= NoiseFloor.Blocks } ? "the baseline" : "the candidate")} has fewer than {NoiseFloor.Blocks} rounds");
        return (new CalibratedPair(baselineSpeed, candidateSpeed, b, c), null);
    }

    /// <summary>Why two runs' calibrations cannot be compared (different workloads or versions), or null when they can.</summary>
    public static string? Mismatch(CalibrationResult baseline, CalibrationResult candidate) =>
        baseline.Version != candidate.Version
            ? $"the runs were calibrated by different versions of the workloads ({baseline.Version} and {candidate.Version})"
            : !baseline.Workloads.SequenceEqual(candidate.Workloads)
                ? $"the runs were calibrated by different workloads ({string.Join(", ", baseline.Workloads)} and {string.Join(", ", candidate.Workloads)})"
                : null;

    /// <summary>The candidate's times over the baseline's machine speed: what its times would read on the baseline's machine.</summary>
    public double Scale => 1 / _ratio;
    private readonly double _ratio;

    /// <summary>The statistic of the baseline's rounds as measured, or of the candidate's at the baseline's speed.</summary>
    public double Value(Stat stat, bool candidate) => Raw(stat, candidate) * (candidate ? Scale : 1);

    /// <summary>The statistic of a side's rounds as measured (every round, as the table shows them).</summary>
    public double Raw(Stat stat, bool candidate)
    {
        var summary = (candidate ? CandidateRaw : BaselineRaw).Summary!; // summarised once per timing, not per rule
        return stat switch
        {
            Stat.Median => summary.Median,
            Stat.Min => summary.Min,
            Stat.Max => summary.Max,
            Stat.Mean => summary.Mean,
            Stat.StdDev => summary.StandardDeviation,
            _ => throw new ArgumentOutOfRangeException(nameof(stat), stat, null),
        };
    }

    /// <summary>The runs' own noise floor for the statistic: of the fastest round (<see cref="NoiseFloor.OfFastest(IReadOnlyList{double}?)"/>)
    /// or of the block medians (<see cref="NoiseFloor.Of(IReadOnlyList{double}?)"/>); the larger of the two runs'. Both are
    /// ratios within one run, which the machine's speed scales away.</summary>
    public NoiseFloor? FloorOf(Stat stat) => stat == Stat.Min
        ? NoiseFloor.OfFastest(BaselineRaw.RoundNanoseconds, CandidateRaw.RoundNanoseconds)
        : NoiseFloor.Of(BaselineRaw.RoundNanoseconds, CandidateRaw.RoundNanoseconds);

    /// <summary>A one-sided Mann-Whitney test of <see cref="SignificanceBlocks"/> consecutive blocks a side, each block's
    /// fastest round (for <see cref="Stat.Min"/>) or median, the candidate's at the baseline's speed: blocks a tenth of a
    /// benchmark apart are closer to independent samples than rounds a millisecond apart, so the test does not read the
    /// runs' different moments as the code's doing.</summary>
    public Significance? Significance(Stat stat, double alpha) =>
        Compare.Significance.OfSlowdown(Blocks(BaselineRaw.RoundNanoseconds!, stat, 1), Blocks(CandidateRaw.RoundNanoseconds!, stat, Scale), alpha);

    /// <summary>Blocks a side in the calibrated significance test: 10 against 10 can reach p = 0.00001.</summary>
    public const int SignificanceBlocks = 10;

    private static double[] Blocks(double[] rounds, Stat stat, double scale)
    {
        int count = Math.Min(SignificanceBlocks, rounds.Length);
        var result = new double[count];
        for (int b = 0; b < count; b++)
        {
            var block = rounds[(int)((long)rounds.Length * b / count)..(int)((long)rounds.Length * (b + 1) / count)];
            Array.Sort(block);
            int mid = block.Length / 2;
            result[b] = scale * (stat == Stat.Min ? block[0] : block.Length % 2 == 1 ? block[mid] : (block[mid - 1] + block[mid]) / 2);
        }
        return result;
    }

    internal static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
