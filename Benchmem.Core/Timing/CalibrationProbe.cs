using System.Diagnostics;

namespace Benchmem.Core.Timing;

/// <summary>
/// Times the calibration workloads (<see cref="CalibrationWorkload.All"/>) in short rounds between a benchmark's own
/// rounds, so each benchmark carries the machine's speed at the moments it was timed. One per run (the session owns
/// it); <see cref="TimingEngine"/> asks it for samples through a <see cref="Recorder"/> per benchmark.
/// </summary>
/// <remarks>
/// Interleaved rather than timed once per run: the slow phases of a shared machine last seconds to minutes, so only a
/// sample taken within the same second as the rounds speaks for them. Rounds of the same length as the benchmark's
/// (clamped to <see cref="MinRoundNs"/>..<see cref="MaxRoundNs"/>) so both see the same share of preemptions.
/// The samples take about <see cref="Share"/> of each benchmark's timing budget, which does not grow: the benchmark
/// gets that many fewer rounds, and a run takes as long as before.
/// </remarks>
public sealed class CalibrationProbe
{
    /// <summary>Fraction of the rounds' time spent on calibration samples.</summary>
    public const double Share = 0.05;
    public const double MinRoundNs = 250_000;
    public const double MaxRoundNs = 2_000_000;

    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;
    private readonly IReadOnlyList<CalibrationWorkload> _workloads;
    private double[]? _nsPerOperation; // a first estimate per workload, to size its rounds

    public CalibrationProbe() : this(CalibrationWorkload.All) { }

    internal CalibrationProbe(IReadOnlyList<CalibrationWorkload> workloads) => _workloads = workloads;

    public IReadOnlyList<CalibrationWorkload> Workloads => _workloads;

    /// <summary>Builds the memory workload's chain and sizes the rounds, once: the engine calls it before a benchmark's
    /// clock starts, so the first benchmark of a run does not pay it from its budget.</summary>
    public void Prepare() => _nsPerOperation ??= Estimate();

    /// <summary>Starts the samples of one benchmark.</summary>
    public Recorder Start()
    {
        Prepare();
        return new Recorder(this);
    }

    /// <summary>One round of workload <paramref name="workload"/> lasting about <paramref name="roundNs"/>: ns per operation.</summary>
    public double Measure(int workload, double roundNs)
    {
        _nsPerOperation ??= Estimate();
        long operations = Math.Max(1, (long)(Math.Clamp(roundNs, MinRoundNs, MaxRoundNs) / _nsPerOperation[workload]));
        var loop = _workloads[workload].Loop;
        long t0 = Stopwatch.GetTimestamp();
        _ = loop(operations);
        return (Stopwatch.GetTimestamp() - t0) * NsPerTick / operations;
    }

    // Warm each loop past tiered compilation (it is AggressiveOptimization, so compiled optimized at once) and take
    // the fastest of a few short rounds as its cost per operation.
    private double[] Estimate()
    {
        var estimates = new double[_workloads.Count];
        for (int w = 0; w < _workloads.Count; w++)
        {
            var loop = _workloads[w].Loop;
            double best = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                _ = loop(20_000);
                best = Math.Min(best, (Stopwatch.GetTimestamp() - t0) * NsPerTick / 20_000);
            }
            estimates[w] = Math.Max(best, 0.05);
        }
        return estimates;
    }

    /// <summary>The samples of one benchmark as its rounds are taken.</summary>
    public sealed class Recorder
    {
        private readonly CalibrationProbe _probe;
        private readonly List<int> _workload = [];
        private readonly List<int> _beforeRound = [];
        private readonly List<double> _ns = [];
        private double _spentNs;
        private int _next;

        internal Recorder(CalibrationProbe probe) => _probe = probe;

        /// <summary>Every workload once, e.g. before the first round and after the last.</summary>
        public void TakeAll(int beforeRound, double roundNs)
        {
            for (int w = 0; w < _probe._workloads.Count; w++)
                Take(w, beforeRound, roundNs);
        }

        /// <summary>Whether a sample is due: calibration has had less than <see cref="Share"/> of the rounds' time.</summary>
        public bool Due(double roundsNs) => _spentNs < Share * roundsNs;

        /// <summary>The next workload in turn, once.</summary>
        public void TakeNext(int beforeRound, double roundNs)
        {
            Take(_next, beforeRound, roundNs);
            _next = (_next + 1) % _probe._workloads.Count;
        }

        /// <summary>Time not spent on the benchmark's rounds (e.g. a re-warming round after a sample), counted as calibration's cost.</summary>
        public void AddCost(double ns) => _spentNs += ns;

        private void Take(int workload, int beforeRound, double roundNs)
        {
            long t0 = Stopwatch.GetTimestamp();
            double ns = _probe.Measure(workload, roundNs);
            _spentNs += (Stopwatch.GetTimestamp() - t0) * NsPerTick;
            _workload.Add(workload);
            _beforeRound.Add(beforeRound);
            _ns.Add(ns);
        }

        public CalibrationResult Result() => new()
        {
            Version = CalibrationWorkload.Version,
            Workloads = _probe._workloads.Select(w => w.Name).ToArray(),
            Workload = [.. _workload],
            BeforeRound = [.. _beforeRound],
            Nanoseconds = [.. _ns],
            Milliseconds = _spentNs / 1e6,
        };
    }
}
