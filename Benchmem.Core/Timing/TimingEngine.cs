using System.Diagnostics;
using Benchmem.Core.Invocation;
using Benchmem.Core.Results;

namespace Benchmem.Core.Timing;

/// <summary>
/// pytest-benchmark's method with BenchmarkDotNet's care: warm up past tiered compilation, calibrate the
/// iterations per round so a round is long against the timer, subtract the empty loop's cost, then run
/// rounds until the budget is spent (and at least MinRounds).
/// </summary>
public static class TimingEngine
{
    private const double DefaultMinRoundNs = 1_000_000; // 1 ms
    // Rounds longer than this are not re-warmed after a calibration sample: a sample's few evicted lines are nothing
    // against them, and repeating them would cost the budget.
    private const double MaxRewarmNs = 5_000_000;
    // The JIT must have been quiet this long before warm-up ends: tiered compilation promotes a method in stages
    // (tier 0, instrumented, tier 1), each after a call-counting delay of 100 ms that any new tier-0 compile restarts,
    // so a run can see stable tier-0 rounds and still have tier-1 code land a few hundred rounds into the measurement.
    private const double JitQuietNs = 250_000_000;
    private const double TicksToNs = 1e9;
    private static readonly double NsPerTick = TicksToNs / Stopwatch.Frequency;
    private static readonly Lazy<double> TimerStep = new(MeasureTimerStep);

    /// <summary>Smallest non-zero difference between two timer readings, in ns.</summary>
    public static double TimerResolutionNs => TimerStep.Value;

    /// <summary>
    /// Times <paramref name="invoker"/>. With <paramref name="setup"/> (pytest-benchmark's pedantic mode) every round
    /// is one call preceded by the untimed setup, so each call sees fresh state. With <paramref name="probe"/>
    /// the machine's speed is sampled between the rounds (<see cref="CalibrationProbe"/>) within the same budget.
    /// </summary>
    public static TimingResult Run(BenchmarkInvoker invoker, TimingOptions options, Action? setup = null, CalibrationProbe? probe = null)
    {
        options.Validate();
        probe?.Prepare();
        var started = Stopwatch.GetTimestamp();
        double budgetNs = options.MaxTime * 1e9;
        double minRoundNs = options.MinTime > 0 ? options.MinTime * 1e9 : DefaultMinRoundNs;
        minRoundNs = Math.Max(minRoundNs, 1000 * TimerResolutionNs);

        // Warm-up doubles the iteration count until a round is long enough; that is also the calibration.
        long n = 1;
        double perOp;
        // Warm-up spends at most half the budget: a small MaxTime is the user asking for a quick, rough number.
        var warmupEnd = started + (long)(Math.Min(options.Warmup, options.MaxTime / 2) * Stopwatch.Frequency);
        var recent = new Queue<double>();
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount(), lastCompile = started;
        while (true)
        {
            setup?.Invoke();
            double round = Measure(invoker.Loop, n);
            perOp = round / n;
            if (round < minRoundNs && setup is null)
                n = Math.Max(n * 2, (long)Math.Ceiling(n * minRoundNs / Math.Max(round, 1)));
            else
            {
                recent.Enqueue(perOp);
                if (recent.Count > 5) recent.Dequeue();
            }
            if (System.Runtime.JitInfo.GetCompiledMethodCount() is var now && now != compiled)
                (compiled, lastCompile) = (now, Stopwatch.GetTimestamp());
            // Past the warm-up time, stop once the last rounds no longer get faster and the JIT has gone quiet (tier-1
            // code has landed, in this process's every method), or once a third of the budget is gone.
            if (Stopwatch.GetTimestamp() >= warmupEnd && (round >= minRoundNs || setup is not null)
                && (options.Warmup == 0 || recent.Count == 5 && IsStable(recent) && Elapsed(lastCompile) >= JitQuietNs
                    || Elapsed(started) > budgetNs / 3))
                break;
        }
        // Calibrate from the fastest recent warm-up round: one slow round must not leave rounds too short.
        double calibration = recent.Count > 0 ? recent.Min() : perOp;
        n = setup is not null ? 1 : Math.Max(1, (long)Math.Ceiling(minRoundNs / Math.Max(calibration, 0.01)));
        double warmupMs = Elapsed(started) / 1e6;

        var overheads = MeasureOverhead(invoker, n);

        var raw = new List<double>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var samples = probe?.Start();
        double roundsNs = 0;
        // The samples before the first round and after the last are the shortest (a fixed cost, paid by a short
        // benchmark as much as by a long one); those between the rounds are as long as the rounds.
        samples?.TakeAll(0, CalibrationProbe.MinRoundNs);
        while (raw.Count < options.MinRounds || Elapsed(started) < budgetNs)
        {
            setup?.Invoke();
            double round = Measure(invoker.Loop, n);
            raw.Add(round / n);
            roundsNs += round;
            // An overhead round every 8th round, so a slow phase of the machine cannot hit only the overhead window.
            if (raw.Count % 8 == 0)
                overheads.Add(Measure(invoker.OverheadLoop, n) / n);
            if (samples is not null && samples.Due(roundsNs))
            {
                samples.TakeNext(raw.Count, round);
                // A sample evicts some of the benchmark's cache lines: one untimed round warms them again, so the next
                // timed round is not the one that pays (pedantic rounds are rebuilt by their setup anyway).
                if (setup is null && round < MaxRewarmNs)
                    samples.AddCost(Measure(invoker.Loop, n));
            }
        }
        samples?.TakeAll(raw.Count, CalibrationProbe.MinRoundNs);
        overheads.Sort();
        double overhead = overheads[overheads.Count / 2];
        return new TimingResult
        {
            RoundNanoseconds = raw.Select(v => Math.Max(v - overhead, 0)).ToArray(),
            IterationsPerRound = n,
            OverheadNanoseconds = overhead,
            WarmupMilliseconds = warmupMs,
            TotalMilliseconds = Elapsed(started) / 1e6,
            Calibration = samples?.Result(),
        };
    }

    /// <summary>Per-operation costs of the empty loop at the same iteration count, warmed, over ≤20 ms.</summary>
    private static List<double> MeasureOverhead(BenchmarkInvoker invoker, long n)
    {
        var samples = new List<double>();
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50; // ≤20 ms
        do samples.Add(Measure(invoker.OverheadLoop, n) / n);
        while (samples.Count < 5 || (Stopwatch.GetTimestamp() < until && samples.Count < 200));
        return samples;
    }

    private static bool IsStable(IEnumerable<double> lastRounds)
    {
        var values = lastRounds.ToArray();
        double first = values.Take(2).Min(), last = values.Skip(values.Length - 2).Min();
        return last >= first * 0.97; // no longer improving by more than 3%
    }

    private static double Measure(Action<long> loop, long n)
    {
        var t0 = Stopwatch.GetTimestamp();
        loop(n);
        return (Stopwatch.GetTimestamp() - t0) * NsPerTick;
    }

    private static double Elapsed(long since) => (Stopwatch.GetTimestamp() - since) * NsPerTick;

    private static double MeasureTimerStep()
    {
        double best = double.MaxValue;
        for (int i = 0; i < 1000; i++)
        {
            long a = Stopwatch.GetTimestamp(), b;
            do b = Stopwatch.GetTimestamp(); while (b == a);
            best = Math.Min(best, (b - a) * NsPerTick);
        }
        return best;
    }
}
