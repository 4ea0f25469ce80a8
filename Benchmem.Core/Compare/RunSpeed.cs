using Benchmem.Core.Results;
using Benchmem.Core.Timing;

namespace Benchmem.Core.Compare;

/// <summary>
/// The machine's speed over one run, from the calibration samples every benchmark took between its rounds
/// (<see cref="CalibrationResult"/>): per workload the fastest sample of the whole run, and the geometric mean of those
/// over the workloads (<see cref="Index"/>, ns), so each workload weighs the same whatever its scale.
/// </summary>
/// <remarks>
/// <para>Why the fastest: on a shared machine, contention (a busy neighbour, a stolen time slice, a sibling
/// hyper-thread) only ever slows a sample, so the fastest samples are the machine's own speed, which changes only when
/// its clock does. Measured on this project's 2-core VM over 21 runs: every run's fastest integer sample was
/// 1.896–1.914 ns, while its median moved 1.9–2.9 ns with the contention of the moment. A median index divided that
/// contention into the benchmarks, and it does not hit a benchmark the way it hits a workload: calibrating by medians
/// raised the false alarms of unchanged code from 3 to 5 in 10.</para>
/// <para>Between two runs the machine's change is <see cref="AgreedRatio"/>, the ratio all workloads' fastest samples
/// agree on, not the ratio of the indexes: the floating-point and memory workloads' fastest samples wander 5–10% between
/// runs on their own while the integer one holds to 0.1%.</para>
/// <para>Pooled over the run: one benchmark takes a few samples of each workload (about 7 in a second of timing), too
/// few for their fastest to be the machine's; a run's are dozens.</para>
/// <para><see cref="DriftPercent"/> is how far the run's second half of samples (in the order the benchmarks were
/// timed) lies from its first, each workload's fastest against its fastest, as far as every workload agrees (all
/// slower: the least slowed; mixed: none): a clock that changed during the run, which the one index of the run cannot
/// cancel. Agreement, because contention can hold one or two workloads' every sample for a second or two (measured:
/// the integer chains 28% slower for two benchmarks while the floating-point ones, and a latency-bound hash, were not),
/// and that is not the clock.</para>
/// </remarks>
public sealed class RunSpeed
{
    private RunSpeed(CalibrationResult reference, double[] fastest, double driftPercent, int samples)
    {
        Reference = reference;
        FastestSamples = fastest;
        Index = Math.Exp(fastest.Average(Math.Log));
        DriftPercent = driftPercent;
        Samples = samples;
    }

    /// <summary>One benchmark's calibration, for the workloads' names and version (the same in every benchmark of a run).</summary>
    public CalibrationResult Reference { get; }

    /// <summary>Each workload's fastest sample in the run, ns per operation, in <see cref="CalibrationResult.Workloads"/> order.</summary>
    public IReadOnlyList<double> FastestSamples { get; }

    /// <summary>The geometric mean over the workloads of their fastest sample in the run, ns per operation.</summary>
    public double Index { get; }

    /// <summary>How far the speed moved during the run, as far as every workload agrees (its halves' fastest samples), in percent.</summary>
    public double DriftPercent { get; }

    /// <summary>How many calibration samples the run took.</summary>
    public int Samples { get; }

    /// <summary>The speed of a run from its benchmarks' calibrations (in the order they were timed), or null when none is
    /// calibrated, they disagree on the workloads, or a workload has no sample.</summary>
    public static RunSpeed? Of(IEnumerable<BenchmarkRecord> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var calibrations = run.Select(r => r.Timing?.Calibration).OfType<CalibrationResult>().ToList();
        if (calibrations.Count == 0 || calibrations.Any(c => CalibratedPair.Mismatch(calibrations[0], c) is not null))
            return null;
        var reference = calibrations[0];
        var sequence = calibrations.SelectMany(c => Enumerable.Range(0, c.Count).Select(k => (c.Workload[k], c.Nanoseconds[k]))).ToList();
        int workloads = reference.Workloads.Length;
        var fastest = new double[workloads];
        for (int w = 0; w < workloads; w++)
        {
            if (FastestOf(sequence, w) is not { } one)
                return null;
            fastest[w] = one;
        }
        int half = sequence.Count / 2;
        var ratios = new List<double>(workloads);
        for (int w = 0; w < workloads; w++)
            if ((FastestOf(sequence[..half], w), FastestOf(sequence[half..], w)) is ({ } first, { } second))
                ratios.Add(second / first);
        // The move every workload agrees on: a clock that changes moves them all one way; contention can hold one or two
        // workloads' every sample for a second or two (measured: the integer and memory chains 15% slower through a run's
        // first two benchmarks, the floating-point ones and a latency-bound hash not), and that is not the clock. With a
        // workload missing from a half (a run of one short benchmark) the halves cannot be told apart.
        double agreed = Agreed(ratios);
        double drift = ratios.Count < workloads ? 0 : (Math.Max(agreed, 1 / agreed) - 1) * 100;
        return new RunSpeed(reference, fastest, drift, sequence.Count);
    }

    /// <summary>
    /// The speed ratio every workload agrees on: all slower, the least slowed one's ratio; all faster, the least sped up
    /// one's; mixed, 1. A clock that changes moves every workload; contention or one workload's own noise moves some.
    /// </summary>
    public static double Agreed(IReadOnlyList<double> ratios)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        return ratios.Count == 0 ? 1 : ratios.All(r => r > 1) ? ratios.Min() : ratios.All(r => r < 1) ? ratios.Max() : 1;
    }

    /// <summary>The ratio of <paramref name="later"/>'s speed to this run's that every workload agrees on (above 1: slower).</summary>
    public double AgreedRatio(RunSpeed later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return Agreed([.. FastestSamples.Zip(later.FastestSamples, (a, b) => b / a)]);
    }

    /// <summary>Workload <paramref name="workload"/>'s fastest sample, or null when it has none.</summary>
    private static double? FastestOf(List<(int Workload, double Nanoseconds)> samples, int workload)
    {
        double fastest = double.PositiveInfinity;
        foreach (var (w, ns) in samples)
            if (w == workload && ns < fastest)
                fastest = ns;
        return double.IsPositiveInfinity(fastest) ? null : fastest;
    }

}
