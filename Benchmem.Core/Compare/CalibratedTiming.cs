using Benchmem.Core.Results;
using Benchmem.Core.Timing;

namespace Benchmem.Core.Compare;

/// <summary>
/// One benchmark's timing divided by the machine's speed at the moments it was timed: the calibration samples taken
/// between its rounds (<see cref="CalibrationResult"/>). Dimensionless: a round of 200 ns on a machine whose
/// calibration index reads 4 ns is 50; the same code on a machine twice as slow reads 400 ns and 8 ns, also 50.
/// </summary>
/// <remarks>
/// <para>The index is the geometric mean of the workloads' median ns per operation, so each workload weighs the
/// same whatever its scale. The rounds are cut into <see cref="NoiseFloor.Blocks"/> blocks in timing order (as the
/// noise floor cuts them); each block's rounds are divided by the speed at that block: the geometric mean of the
/// workloads' fastest samples times the block's own factor (the fastest of its samples, each relative to its
/// workload's fastest: preemptions only slow a sample), so a slow second in the middle of a benchmark is cancelled there and not smeared over the run.</para>
/// <para><see cref="DriftPercent"/> is how far those block factors moved while the benchmark was timed: the one
/// figure that says the machine itself was unsteady.</para>
/// </remarks>
public sealed class CalibratedTiming
{
    private CalibratedTiming(double index, double[] rounds, double[] blockFactors, int samples)
    {
        Index = index;
        Rounds = rounds;
        BlockFactors = blockFactors;
        Samples = samples;
        DriftPercent = (blockFactors.Max() / blockFactors.Min() - 1) * 100;
    }

    /// <summary>The calibration index of the benchmark's run, ns: the geometric mean of the workloads' median ns/op.</summary>
    public double Index { get; }

    /// <summary>Each round divided by the speed at its moment (the index times its block's factor), in timing order.</summary>
    public double[] Rounds { get; }

    /// <summary>Each block's speed relative to the fastest samples' (1 = as fast as the machine got; 1.1 = 10% slower).</summary>
    public double[] BlockFactors { get; }

    /// <summary>How many calibration samples were taken.</summary>
    public int Samples { get; }

    /// <summary>How far the machine's speed moved while the benchmark was timed: the slowest block factor over the
    /// fastest, in percent.</summary>
    public double DriftPercent { get; }

    /// <summary>The calibrated view, or null when the timing has no calibration, fewer rounds than blocks, or a workload
    /// without samples.</summary>
    public static CalibratedTiming? Of(TimingResult? timing)
    {
        if (timing?.Calibration is not { } c || timing.RoundNanoseconds is not { Length: >= NoiseFloor.Blocks } rounds
            || c.Problem(rounds.Length) is not null || c.Workloads.Length == 0)
            return null;
        var medians = new double[c.Workloads.Length];
        var fastest = new double[c.Workloads.Length];
        for (int w = 0; w < medians.Length; w++)
        {
            var own = Enumerable.Range(0, c.Count).Where(k => c.Workload[k] == w).Select(k => c.Nanoseconds[k]).ToArray();
            if (own.Length == 0)
                return null;
            medians[w] = Median(own);
            fastest[w] = own.Min();
        }
        double index = Math.Exp(medians.Average(Math.Log));
        // Each sample's speed relative to its workload's fastest sample: the same reference for every workload (the
        // machine at its fastest), so samples of different workloads in one block agree on how much slower it was.
        double fastestIndex = Math.Exp(fastest.Average(Math.Log));
        var blockFactors = new double[NoiseFloor.Blocks];
        for (int b = 0; b < blockFactors.Length; b++)
        {
            var (start, end) = NoiseFloor.Block(rounds.Length, b);
            // A sample taken before round `start` up to (and including) the one after round `end - 1` belongs to block b.
            var own = Enumerable.Range(0, c.Count).Where(k => c.BeforeRound[k] >= start && c.BeforeRound[k] <= end && (b == 0 || c.BeforeRound[k] > start))
                .Select(k => c.Nanoseconds[k] / fastest[c.Workload[k]]).ToArray();
            // The fastest of the block's samples: a preemption only ever makes a sample slower, so one slow sample in a
            // block of two or three says nothing, while a slow phase slows them all.
            blockFactors[b] = own.Length == 0 ? double.NaN : own.Min();
        }
        // A block without a sample of its own (a few long rounds) takes its nearest neighbour's factor.
        for (int b = 0; b < blockFactors.Length; b++)
        {
            if (!double.IsNaN(blockFactors[b]))
                continue;
            for (int d = 1; d < blockFactors.Length && double.IsNaN(blockFactors[b]); d++)
            {
                if (b - d >= 0 && !double.IsNaN(blockFactors[b - d])) blockFactors[b] = blockFactors[b - d];
                else if (b + d < blockFactors.Length && !double.IsNaN(blockFactors[b + d])) blockFactors[b] = blockFactors[b + d];
            }
        }
        var calibrated = new double[rounds.Length];
        for (int b = 0; b < blockFactors.Length; b++)
        {
            var (start, end) = NoiseFloor.Block(rounds.Length, b);
            for (int i = start; i < end; i++)
                calibrated[i] = rounds[i] / (fastestIndex * blockFactors[b]);
        }
        return new CalibratedTiming(index, calibrated, blockFactors, c.Count);
    }

    /// <summary>Why two runs' calibrations cannot be compared (different workloads or versions), or null when they can.</summary>
    public static string? Mismatch(CalibrationResult baseline, CalibrationResult candidate) =>
        baseline.Version != candidate.Version
            ? $"the runs were calibrated by different versions of the workloads ({baseline.Version} and {candidate.Version})"
            : !baseline.Workloads.SequenceEqual(candidate.Workloads)
                ? $"the runs were calibrated by different workloads ({string.Join(", ", baseline.Workloads)} and {string.Join(", ", candidate.Workloads)})"
                : null;

    /// <summary>The medians of the calibrated rounds cut into <paramref name="blocks"/> consecutive blocks: samples a
    /// second apart rather than rounds a millisecond apart, for a test between two runs taken at different times.</summary>
    public double[] BlockMedians(int blocks)
    {
        int count = Math.Min(blocks, Rounds.Length);
        var result = new double[count];
        for (int b = 0; b < count; b++)
        {
            int start = (int)((long)Rounds.Length * b / count), end = (int)((long)Rounds.Length * (b + 1) / count);
            result[b] = Median(Rounds[start..end]);
        }
        return result;
    }

    internal static double Median(double[] values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
