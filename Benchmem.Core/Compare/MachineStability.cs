using System.Diagnostics;

using Benchmem.Core.Timing;

namespace Benchmem.Core.Compare;

/// <summary>One calibration round of <c>benchmem calibrate</c>: when (seconds since the start), which workload, ns per operation.</summary>
public readonly record struct StabilitySample(double Seconds, int Workload, double Nanoseconds);

/// <summary>
/// How steady the machine's speed is over a stretch of time, from the calibration workloads timed in turn
/// (<c>benchmem calibrate</c>): the figures a time gate depends on, against the limits compare applies
/// (<see cref="CalibratedPair"/>).
/// </summary>
/// <remarks>
/// The stretch is cut into one-second windows, about one benchmark's timing each. Per window, the machine's factor
/// is the geometric mean over the workloads of the window's median over the workload's overall median (1.10 = 10%
/// slower). <see cref="MovedPercent"/> is the slowest window's factor over the fastest's: what two runs taken at
/// different moments can differ by. Within each window the same factor over its <see cref="NoiseFloor.Blocks"/>
/// blocks gives its drift, as compare measures it within a benchmark; windows past the drift limit are unsteady.
/// </remarks>
public sealed class MachineStability
{
    /// <summary>Length of a window, s.</summary>
    public const double WindowSeconds = 1.0;

    /// <summary>Most unsteady windows, as a share, for a machine to be fit: one benchmark in ten not judged.</summary>
    public const double MaxUnsteadyShare = 0.1;

    private MachineStability(IReadOnlyList<string> workloads, IReadOnlyList<StabilitySample> samples, double seconds)
    {
        Workloads = workloads;
        Samples = samples;
        Seconds = seconds;
        int windows = Math.Max(1, (int)Math.Floor(seconds / WindowSeconds + 1e-9));
        var overall = new double[workloads.Count];
        for (int w = 0; w < workloads.Count; w++)
            overall[w] = Median(samples.Where(s => s.Workload == w).Select(s => s.Nanoseconds));
        Medians = overall;
        var factors = new List<double>();
        var drifts = new List<double>();
        for (int i = 0; i < windows; i++)
        {
            double start = i * WindowSeconds, end = i == windows - 1 ? double.PositiveInfinity : (i + 1) * WindowSeconds;
            var inWindow = samples.Where(s => s.Seconds >= start && s.Seconds < end).ToList();
            if (Factor(inWindow, overall) is not { } factor)
                continue;
            factors.Add(factor);
            double last = inWindow.Max(s => s.Seconds), first = inWindow.Min(s => s.Seconds), span = (last - first) / NoiseFloor.Blocks;
            var blocks = Enumerable.Range(0, NoiseFloor.Blocks)
                .Select(b => Factor(inWindow.Where(s => Block(s.Seconds, first, span) == b).ToList(), overall))
                .OfType<double>().ToList();
            if (blocks.Count >= 2)
                drifts.Add((blocks.Max() / blocks.Min() - 1) * 100);
        }
        WorkloadMovedPercent = Enumerable.Range(0, workloads.Count).Select(w =>
        {
            var medians = Enumerable.Range(0, windows).Select(i => samples
                    .Where(s => s.Workload == w && s.Seconds >= i * WindowSeconds && (i == windows - 1 || s.Seconds < (i + 1) * WindowSeconds))
                    .Select(s => s.Nanoseconds).ToArray())
                .Where(a => a.Length > 0).Select(a => Median(a)).ToArray();
            return (medians.Max() / medians.Min() - 1) * 100;
        }).ToArray();
        WindowFactors = factors;
        WindowDrifts = drifts;
        MovedPercent = factors.Count == 0 ? 0 : (factors.Max() / factors.Min() - 1) * 100;
        UnsteadyWindows = drifts.Count(d => d > CalibratedPair.DriftLimitPercent);
    }

    public IReadOnlyList<string> Workloads { get; }
    public IReadOnlyList<StabilitySample> Samples { get; }
    /// <summary>How long the samples took, s.</summary>
    public double Seconds { get; }
    /// <summary>Each workload's median ns per operation over all its samples.</summary>
    public IReadOnlyList<double> Medians { get; }
    /// <summary>Per workload, its slowest window's median over its fastest's, percent.</summary>
    public IReadOnlyList<double> WorkloadMovedPercent { get; }
    /// <summary>Each window's machine factor (1 = the overall median speed), in time order.</summary>
    public IReadOnlyList<double> WindowFactors { get; }
    /// <summary>Each window's drift between its blocks, percent.</summary>
    public IReadOnlyList<double> WindowDrifts { get; }
    /// <summary>The slowest window over the fastest, percent.</summary>
    public double MovedPercent { get; }
    /// <summary>Windows whose drift is past compare's limit (<see cref="CalibratedPair.DriftLimitPercent"/>).</summary>
    public int UnsteadyWindows { get; }

    /// <summary>Fit for time gates: the windows differ by no more than compare's shift limit, and at most one in ten is unsteady.</summary>
    public bool Fit => MovedPercent <= CalibratedPair.ShiftLimitPercent && UnsteadyWindows <= MaxUnsteadyShare * WindowDrifts.Count;

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

    private static int Block(double at, double first, double span) =>
        span <= 0 ? 0 : Math.Min(NoiseFloor.Blocks - 1, (int)((at - first) / span));

    /// <summary>The geometric mean over the workloads of their median here over their overall median; null when a
    /// workload has no sample here.</summary>
    private static double? Factor(IReadOnlyList<StabilitySample> samples, double[] overall)
    {
        double logSum = 0;
        for (int w = 0; w < overall.Length; w++)
        {
            var own = samples.Where(s => s.Workload == w).Select(s => s.Nanoseconds).ToArray();
            if (own.Length == 0)
                return null;
            logSum += Math.Log(Median(own) / overall[w]);
        }
        return Math.Exp(logSum / overall.Length);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
