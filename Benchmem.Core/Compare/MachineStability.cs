using System.Diagnostics;

using Benchmem.Core.Timing;

namespace Benchmem.Core.Compare;

/// <summary>One calibration round of <c>benchmem calibrate</c>: when (seconds since the start), which workload, ns per operation.</summary>
public readonly record struct StabilitySample(double Seconds, int Workload, double Nanoseconds);

/// <summary>
/// How steady the machine's speed is over a stretch of time, from the calibration workloads timed in turn
/// (<c>benchmem calibrate</c>): the figures a time gate depends on, against the limits compare applies
/// (<see cref="CalibratedPair"/>, <see cref="RunSpeed"/>).
/// </summary>
/// <remarks>
/// The stretch is cut into one-second windows. Per window, the machine's factor is the least slowed workload's
/// fastest round over its fastest overall (1.10 = every workload at least 10% slower): the machine's own speed, which
/// contention cannot make faster, moved as far as all workloads agree, as compare's drift reads it. <see cref="MovedPercent"/> is the slowest
/// window's factor over the fastest's: how far the halves of a run, or two runs, can differ. Contention is told apart:
/// per window, how much slower the median round ran than the fastest (what a median-based comparison would feel).
/// </remarks>
public sealed class MachineStability
{
    /// <summary>Length of a window, s.</summary>
    public const double WindowSeconds = 1.0;

    private MachineStability(IReadOnlyList<string> workloads, IReadOnlyList<StabilitySample> samples, double seconds)
    {
        Workloads = workloads;
        Samples = samples;
        Seconds = seconds;
        int windows = Math.Max(1, (int)Math.Floor(seconds / WindowSeconds + 1e-9));
        var inWindows = Enumerable.Range(0, windows).Select(i => samples
            .Where(s => s.Seconds >= i * WindowSeconds && (i == windows - 1 || s.Seconds < (i + 1) * WindowSeconds)).ToList()).ToList();
        Medians = Enumerable.Range(0, workloads.Count).Select(w => Median(samples.Where(s => s.Workload == w).Select(s => s.Nanoseconds))).ToArray();
        var fastest = Enumerable.Range(0, workloads.Count).Select(w => samples.Where(s => s.Workload == w).Min(s => s.Nanoseconds)).ToArray();
        Fastest = fastest;
        // A window without a round of every workload has no factor (a loaded machine's rounds can be that slow).
        var complete = inWindows.Where(own => Enumerable.Range(0, workloads.Count).All(w => own.Any(s => s.Workload == w))).ToList();
        // The least slowed workload's: a clock that changes slows them all, contention can hold one or two for a second.
        WindowFactors = complete.Select(own => Enumerable.Range(0, workloads.Count)
            .Select(w => own.Where(s => s.Workload == w).Min(s => s.Nanoseconds) / fastest[w]).Min()).ToArray();
        WindowContention = complete.Select(own => (GeometricMean(Enumerable.Range(0, workloads.Count).Select(w =>
        {
            var mine = own.Where(s => s.Workload == w).Select(s => s.Nanoseconds).ToArray();
            return Median(mine) / mine.Min();
        })) - 1) * 100).ToArray();
        WorkloadMovedPercent = Enumerable.Range(0, workloads.Count).Select(w =>
        {
            var perWindow = inWindows.Select(own => own.Where(s => s.Workload == w).Select(s => s.Nanoseconds).ToArray())
                .Where(a => a.Length > 0).Select(a => a.Min()).ToArray();
            return (perWindow.Max() / perWindow.Min() - 1) * 100;
        }).ToArray();
        MovedPercent = WindowFactors.Count == 0 ? 0 : (WindowFactors.Max() / WindowFactors.Min() - 1) * 100;
    }

    public IReadOnlyList<string> Workloads { get; }
    public IReadOnlyList<StabilitySample> Samples { get; }
    /// <summary>How long the samples took, s.</summary>
    public double Seconds { get; }
    /// <summary>Each workload's median ns per operation over all its samples.</summary>
    public IReadOnlyList<double> Medians { get; }
    /// <summary>Each workload's fastest ns per operation over all its samples: the machine's own speed for it.</summary>
    public IReadOnlyList<double> Fastest { get; }
    /// <summary>Per workload, its slowest window's fastest round over its fastest window's, percent.</summary>
    public IReadOnlyList<double> WorkloadMovedPercent { get; }
    /// <summary>Each window's machine factor (the least slowed workload's; 1 = the fastest the machine ran), in time order.</summary>
    public IReadOnlyList<double> WindowFactors { get; }
    /// <summary>Each window's contention: how much slower its median rounds ran than its fastest, percent.</summary>
    public IReadOnlyList<double> WindowContention { get; }
    /// <summary>The slowest window over the fastest, percent.</summary>
    public double MovedPercent { get; }

    /// <summary>Fit for time gates: the machine's own speed stays within compare's drift limit, so no run's halves, and
    /// no two runs taken on it, are refused a verdict.</summary>
    public bool Fit => MovedPercent <= CalibratedPair.DriftLimitPercent;

    /// <summary>Times the workloads in turn, rounds of about <paramref name="roundNs"/>, for <paramref name="seconds"/>.</summary>
    public static MachineStability Measure(CalibrationProbe probe, double seconds, double roundNs = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (!(seconds > 0))
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a duration is positive.");
        var samples = new List<StabilitySample>();
        long start = Stopwatch.GetTimestamp();
        double Elapsed() => (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        for (int next = 0; Elapsed() < seconds; next = (next + 1) % probe.Workloads.Count)
        {
            double at = Elapsed();
            samples.Add(new StabilitySample(at, next, probe.Measure(next, roundNs)));
        }
        return Of(probe.Workloads.Select(w => w.Name).ToArray(), samples, Elapsed());
    }

    /// <summary>The figures of given samples (e.g. read back from <c>benchmem calibrate -o</c>).</summary>
    public static MachineStability Of(IReadOnlyList<string> workloads, IReadOnlyList<StabilitySample> samples, double seconds)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(samples);
        if (workloads.Count == 0 || Enumerable.Range(0, workloads.Count).Any(w => !samples.Any(s => s.Workload == w)))
            throw new ArgumentException("Every workload needs at least one sample.", nameof(samples));
        return new MachineStability(workloads, samples, seconds);
    }

    private static double GeometricMean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
