using Benchmem.Core.Compare;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Compare;

/// <summary>
/// Time rules on calibrated runs, on results files written and read back by the real writer and reader. The rounds and
/// calibration samples are built so every expected figure is plain arithmetic: 200 rounds whose median is exactly the
/// centre, samples of the three workloads at 2, 8 and 40 ns times the machine's speed factor at their moment.
/// </summary>
public class CalibratedGateTests : CompareFixture
{
    private static readonly double[] WorkloadNs = [2, 8, 40];
    private const int RoundCount = 200;

    /// <summary>200 rounds: the pattern −0.2%, −0.1%, 0, +0.1%, +0.2% repeated, scaled by the speed at each round, so
    /// every block has the same median and a steady run's median is exactly <paramref name="center"/>.</summary>
    private static double[] Steady(double center, Func<int, double>? speedAt = null) =>
        Enumerable.Range(0, RoundCount).Select(i => center * (1 + (i % 5 - 2) * 0.001) * (speedAt?.Invoke(i) ?? 1)).ToArray();

    /// <summary>Samples as the engine takes them: every workload before the first round, one in turn every 10 rounds,
    /// every workload after the last; each at its workload's ns times the speed at that round.</summary>
    private static CalibrationResult Samples(Func<int, double>? speedAt = null, string[]? names = null, int version = CalibrationWorkload.Version)
    {
        var positions = new List<(int Workload, int Before)> { (0, 0), (1, 0), (2, 0) };
        for (int k = 1; k < RoundCount / 10; k++)
            positions.Add(((k - 1) % 3, k * 10));
        positions.AddRange([(0, RoundCount), (1, RoundCount), (2, RoundCount)]);
        return new CalibrationResult
        {
            Version = version,
            Workloads = names ?? ["int", "float", "memory"],
            Workload = positions.Select(p => p.Workload).ToArray(),
            BeforeRound = positions.Select(p => p.Before).ToArray(),
            Nanoseconds = positions.Select(p => WorkloadNs[p.Workload] * (speedAt?.Invoke(Math.Min(p.Before, RoundCount - 1)) ?? 1)).ToArray(),
            Milliseconds = 12.5,
        };
    }

    private static BenchmarkRecord Timed(double[] rounds, CalibrationResult? calibration) => new()
    {
        Namespace = "Bench",
        Type = "T",
        Method = "M",
        FullName = "Bench.T.M",
        Timing = new TimingResult { RoundNanoseconds = rounds, IterationsPerRound = 1000, Calibration = calibration },
    };

    private GateResult Gate(BenchmarkRecord baseline, BenchmarkRecord candidate, string rule) =>
        Comparison.Of(Save(Dir, "base", baseline), Save(Dir, "new", candidate)).Check(rule);

    [Test]
    public void TheCalibrationBlockIsWrittenAndReadBackWhole()
    {
        var samples = Samples(i => i < 100 ? 1 : 1.5);
        var run = Save(Dir, "run", Timed(Steady(100), samples));
        var read = run.Benchmarks.Single().Timing!.Calibration!;
        Assert.That(read.Version, Is.EqualTo(CalibrationWorkload.Version));
        Assert.That(read.Workloads, Is.EqualTo(new[] { "int", "float", "memory" }));
        Assert.That(read.Workload, Is.EqualTo(samples.Workload));
        Assert.That(read.BeforeRound, Is.EqualTo(samples.BeforeRound));
        Assert.That(read.Nanoseconds, Is.EqualTo(samples.Nanoseconds));
        Assert.That(read.Milliseconds, Is.EqualTo(12.5));
        // A file without the block reads as not calibrated.
        Assert.That(Save(Dir, "plain", Timed(Steady(100), null)).Benchmarks.Single().Timing!.Calibration, Is.Null);
    }

    [Test]
    public void LaunchRoundsAreWrittenAndReadBack_AndRefusedWhenTheyDoNotAddUp()
    {
        var pooled = new BenchmarkRecord
        {
            Namespace = "Bench", Type = "T", Method = "M", FullName = "Bench.T.M",
            Timing = new TimingResult { RoundNanoseconds = Steady(100), IterationsPerRound = 1000, Calibration = Samples(), LaunchRounds = [60, 70, 70] },
        };
        Assert.That(Save(Dir, "pooled", pooled).Benchmarks.Single().Timing!.LaunchRounds, Is.EqualTo(new[] { 60, 70, 70 }));
        Assert.That(Save(Dir, "one", Timed(Steady(100), null)).Benchmarks.Single().Timing!.LaunchRounds, Is.Null);

        string path = Path.Combine(Dir, "bad.json");
        using (var stream = File.Create(path))
            ResultsJson.WriteRun(stream, new RunInfo { Title = "bad", AssemblyName = "Bench", Started = DateTimeOffset.UnixEpoch, RunKey = null },
                [new BenchmarkRecord
                {
                    Namespace = "Bench", Type = "T", Method = "M", FullName = "Bench.T.M",
                    Timing = new TimingResult { RoundNanoseconds = Steady(100), IterationsPerRound = 1000, LaunchRounds = [60, 70] },
                }]);
        var e = Assert.Throws<ResultsFileException>(() => BenchmarkRun.Load(path))!;
        Assert.That(e.Message, Does.Contain("Benchmem.Timing.LaunchRounds is [60, 70]; expected each launch's rounds, positive and adding up to the 200 rounds"));
    }

    [Test]
    public void AMachineThatRan25PercentSlowerIsCancelled_RawWouldHaveFailed()
    {
        // The false alarm: identical code, the whole candidate run on a machine 25% slower. A plain rule compares
        // the fastest round: 99.8 ns (the pattern's -0.2%) on both sides once the candidate is at the baseline's speed.
        var baseline = Timed(Steady(100), Samples());
        var candidate = Timed(Steady(125), Samples(_ => 1.25));
        var gate = Gate(baseline, candidate, "time:10%");
        Assert.That(gate.Passed, Is.True, gate.ToString());
        var change = gate.Changes.Single();
        Assert.That(change.Calibration!.ShiftPercent, Is.EqualTo(25).Within(1e-9));
        Assert.That(change.JudgedStat, Is.EqualTo(Stat.Min));
        Assert.That((change.Baseline, change.Candidate, change.RawCandidate), Is.EqualTo((99.8, 99.8, 124.75)).Using<(double, double, double)>(Near));
        Assert.That(change.ToString(), Does.StartWith(
            "time  T.M: 99.80 ns → 99.80 ns (0.0%), calibrated fastest round, within its noise floor 0.0% (raw 99.80 ns → "));
        Assert.That(change.ToString(), Does.EndWith(", +25.0%; machine 25.0% slower)"));
        Assert.That(gate.ToString(), Is.EqualTo("No regressions: 1 benchmark compared (rules: time:10%).\n" + GateResult.CalibrationNote));

        // The same files without their calibration: today's raw comparison of medians fails them.
        var raw = Gate(Timed(Steady(100), null), Timed(Steady(125), null), "time:10%");
        Assert.That(raw.RegressionLines, Is.EqualTo(new[] { "time  T.M: 100.0 ns → 125.0 ns (+25.0%), significant (p<0.001)" }));
    }

    private static bool Near((double, double, double) a, (double, double, double) b) =>
        Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9 && Math.Abs(a.Item3 - b.Item3) < 1e-9;

    [Test]
    public void TwentyPercentMoreWorkIsCaught_OnASteadyAndOnASlowerMachine()
    {
        var baseline = Timed(Steady(100), Samples());
        var same = Gate(baseline, Timed(Steady(120), Samples()), "time:10%");
        Assert.That(same.RegressionLines, Is.EqualTo(new[]
        {
            "time  T.M: 99.80 ns → 119.8 ns (+20.0%), calibrated fastest round, above its noise floor 0.0% (raw 99.80 ns → 119.8 ns, +20.0%; machine 0.0% slower)",
        }));
        // 20% more work on a machine 20% slower: raw +44%, calibrated +20%.
        var slower = Gate(baseline, Timed(Steady(144), Samples(_ => 1.2)), "time:10%");
        Assert.That(slower.RegressionLines, Is.EqualTo(new[]
        {
            "time  T.M: 99.80 ns → 119.8 ns (+20.0%), calibrated fastest round, above its noise floor 0.0% (raw 99.80 ns → 143.7 ns, +44.0%; machine 20.0% slower)",
        }));
        // Timed in one process each, the report says once what that cannot rule out; timed in several, it does not.
        Assert.That(slower.ToString(), Does.EndWith(GateResult.CalibrationNote + "\n" + GateResult.OneProcessNote));
        TimingResult Launched(TimingResult t) => new()
        {
            RoundNanoseconds = t.RoundNanoseconds, IterationsPerRound = t.IterationsPerRound, Calibration = t.Calibration, LaunchRounds = [100, 100],
        };
        var launched = Gate(new BenchmarkRecord { Namespace = "Bench", Type = "T", Method = "M", FullName = "Bench.T.M", Timing = Launched(baseline.Timing!) },
            new BenchmarkRecord { Namespace = "Bench", Type = "T", Method = "M", FullName = "Bench.T.M", Timing = Launched(Timed(Steady(144), Samples(_ => 1.2)).Timing!) },
            "time:10%");
        Assert.That((launched.Passed, launched.ToString().Contains(GateResult.OneProcessNote, StringComparison.Ordinal)), Is.EqualTo((false, false)));
        // ... and on a faster one: raw 0%, calibrated +20%.
        var faster = Gate(baseline, Timed(Steady(120 / 1.2), Samples(_ => 1 / 1.2)), "time:10%");
        Assert.That(faster.Regressions.Single().ChangePercent, Is.EqualTo(20).Within(1e-9));
        Assert.That(faster.RegressionLines.Single(), Does.EndWith("(raw 99.80 ns → 99.80 ns, 0.0%; machine 16.7% faster)"));
    }

    [Test]
    public void ContentionThatSlowsMostRoundsButNotTheFastest_FailsOnlyARuleOnTheMedian()
    {
        // Three rounds in five of the candidate ran 30% slower (a busy neighbour), the calibration's fastest samples
        // did not: the fastest round is the code's (100.1, the clean rounds' +0.1%, against 99.8: +0.3%); the median is the neighbour's.
        var baseline = Timed(Steady(100), Samples());
        var candidate = Timed(Steady(100, i => i % 5 < 3 ? 1.3 : 1), Samples());
        var gate = Gate(baseline, candidate, "time:10%, time.median:10%");
        var plain = gate.Changes.Single(c => !c.Rule.StatGiven);
        Assert.That(plain.ChangePercent, Is.EqualTo((100.1 / 99.8 - 1) * 100).Within(1e-9));
        Assert.That(plain.IsRegression, Is.False);
        // The median of the candidate: 80 clean rounds (pattern +0.1%, +0.2%) and 120 slowed (-0.2%, -0.1%, 0 of 130):
        // the 100th and 101st smallest are slowed rounds of -0.2%, 129.74 ns, so +29.7% over the baseline's 100.
        var median = gate.Regressions.Single();
        Assert.That(median.Rule.Label, Is.EqualTo("time.median"));
        Assert.That(median.Candidate, Is.EqualTo(100 * 0.998 * 1.3).Within(1e-9));
        Assert.That(median.ToString(), Is.EqualTo(
            "time.median  T.M: 100.0 ns → 129.7 ns (+29.7%), calibrated, above its noise floor 0.0% (raw 100.0 ns → 129.7 ns, +29.7%; machine 0.0% slower)"));
    }

    [Test]
    public void ABenchmarkWhoseOwnSamplesWereAllSlow_IsCalibratedByTheRunsFastest()
    {
        // Measured here: one benchmark's few integer samples can all land in contention (3.26 ns against the run's
        // 1.90) while its rounds did not. The run's index pools every benchmark's samples, so that benchmark is not
        // scaled by its own slow samples: unchanged code, no change.
        BenchmarkRecord Named(string method, double center, double speed) => new()
        {
            Namespace = "Bench", Type = "T", Method = method, FullName = "Bench.T." + method,
            Timing = new TimingResult { RoundNanoseconds = Steady(center), IterationsPerRound = 1000, Calibration = Samples(_ => speed) },
        };
        var baseline = Comparison.Of(Save(Dir, "base", Named("A", 100, 1), Named("B", 50, 1.7)), Save(Dir, "new", Named("A", 100, 1), Named("B", 50, 1)));
        Assert.That(baseline.BaselineSpeed!.Index, Is.EqualTo(Math.Pow(2 * 8 * 40, 1.0 / 3)).Within(1e-9));
        Assert.That(baseline.BaselineSpeed.Samples, Is.EqualTo(50));
        var gate = baseline.Check("time:10%");
        Assert.That(gate.Changes.Select(c => c.ChangePercent), Is.EqualTo(new[] { 0.0, 0.0 }).Within(1e-9));
        // Its halves: A's 25 samples at full speed, B's every workload 1.7 times slower: the run's drift is 70%, and
        // nothing is judged.
        Assert.That(baseline.BaselineSpeed.DriftPercent, Is.EqualTo(70).Within(1e-9));
        Assert.That(gate.NotJudged, Has.Count.EqualTo(2));

        // Only the integer samples of B slow (a busy sibling hyper-thread slows the integer chains, not the others): the
        // other workloads did not move, so that is contention, not the clock; the run is judged.
        var intOnly = Samples();
        for (int k = 0; k < intOnly.Count; k++)
            if (intOnly.Workload[k] == 0)
                intOnly.Nanoseconds[k] *= 1.3;
        var contended = new BenchmarkRecord
        {
            Namespace = "Bench", Type = "T", Method = "B", FullName = "Bench.T.B",
            Timing = new TimingResult { RoundNanoseconds = Steady(50), IterationsPerRound = 1000, Calibration = intOnly },
        };
        var run = Comparison.Of(Save(Dir, "base2", Named("A", 100, 1), contended), Save(Dir, "new2", Named("A", 100, 1), Named("B", 50, 1)));
        Assert.That(run.BaselineSpeed!.DriftPercent, Is.EqualTo(0).Within(1e-9));
        Assert.That(run.Check("time:10%").NotJudged, Is.Empty);
    }

    [Test]
    public void TheDefaultRuleJudgesAgainstTheFastestRoundsNoiseFloor()
    {
        // One lucky block in the baseline (its rounds 15% faster, then never again): a fastest round of 99.8 x 0.85 that
        // the rest of the run could not come near. The floor is the second-fastest block's fastest over it, 1/0.85 - 1 =
        // 17.6%, and a candidate at 98 (fastest 97.804, +15.3%) is past a 5% limit but within the floor.
        var baseline = Timed(Steady(100, i => i < 40 ? 0.85 : 1), Samples());
        var candidate = Timed(Steady(98), Samples());
        var gate = Gate(baseline, candidate, "time:5%");
        Assert.That(gate.Passed, Is.True, gate.ToString());
        var within = gate.WithinNoise.Single();
        Assert.That(within.NoiseFloor!.Percent, Is.EqualTo((1 / 0.85 - 1) * 100).Within(1e-9));
        Assert.That(within.ChangePercent, Is.EqualTo((98 / 85.0 - 1) * 100).Within(1e-9));
        Assert.That(gate.ToString(), Does.Contain("Over the limit but within the runs' noise floor, so not failing (1):\n"
            + "time  T.M: 84.83 ns → 97.80 ns (+15.3%), calibrated fastest round, within its noise floor 17.6% (raw 84.83 ns → 97.80 ns, +15.3%; machine 0.0% slower)"));
        // 20% more work with a 5% jump in the last block: the fastest round is reached in four blocks of five, floor 0%.
        var past = Gate(Timed(Steady(100), Samples()), Timed(Steady(120, i => i >= 160 ? 1.05 : 1), Samples()), "time:5%");
        Assert.That(past.RegressionLines, Is.EqualTo(new[]
        {
            "time  T.M: 99.80 ns → 119.8 ns (+20.0%), calibrated fastest round, above its noise floor 0.0% (raw 99.80 ns → 119.8 ns, +20.0%; machine 0.0% slower)",
        }));
    }

    [Test]
    public void AMachineWhoseSpeedMovedDuringTheCandidateRun_IsNotJudged_WithTheFigureAndTheFix()
    {
        // The machine's clock slowed by 30% from round 100 of the candidate on (rounds and samples alike): the second half
        // of its samples (from the one before round 100) all 1.3 times slower, so one index cannot stand for the run.
        Func<int, double> slowdown = i => i >= 100 ? 1.3 : 1;
        var baseline = Timed(Steady(100), Samples());
        var candidate = Timed(Steady(100, slowdown), Samples(slowdown));
        var gate = Gate(baseline, candidate, "time:10%");
        Assert.That(gate.Passed, Is.True, "never a false failure");
        var change = gate.NotJudged.Single();
        Assert.That(change.IsRegression, Is.False);
        Assert.That(change.Calibration!.Candidate.DriftPercent, Is.EqualTo(30).Within(1e-9));
        // The index is the run's fastest samples, from its first half: the machine as fast as in the baseline.
        Assert.That(change.Calibration.ShiftPercent, Is.EqualTo(0).Within(1e-9));
        Assert.That(gate.ToString(), Does.Contain("Not judged: the machine was too unsteady for a time verdict (1):\ntime  T.M: 99.80 ns → "));
        Assert.That(change.ToString(), Does.Contain("calibrated: not judged: the machine's speed moved 30.0% during the candidate run "
            + "(its calibration's first half against its second; limit 10.0%); rerun both on a quieter runner (benchmem calibrate shows its stability), "
            + "or time both builds interleaved (benchmem sweep) (raw 99.80 ns → 99.80 ns, 0.0%; machine 0.0% slower)"));
    }

    [Test]
    public void RunsTakenOnMachineSpeedsTooFarApart_AreNotJudged()
    {
        var gate = Gate(Timed(Steady(100), Samples()), Timed(Steady(200), Samples(_ => 1.5)), "time:10%");
        Assert.That(gate.Passed, Is.True);
        Assert.That(gate.NotJudged.Single().ToString(), Is.EqualTo(
            "time  T.M: 99.80 ns → 133.1 ns (+33.3%), calibrated: not judged: the machine ran 50.0% slower in the candidate than in the baseline "
            + "(limit 30.0%); rerun both on a quieter runner (benchmem calibrate shows its stability), or time both builds interleaved (benchmem sweep) "
            + "(raw 99.80 ns → 199.6 ns, +100.0%; machine 50.0% slower)"));
    }

    [Test]
    public void SignificantTestsBlocksOfTheCalibratedRatio()
    {
        // Rounds rising by a millionth each, so no two blocks tie and the exact distribution of U applies.
        double[] Rising(double center) => Enumerable.Range(0, RoundCount).Select(i => center * (1 + i * 1e-6)).ToArray();
        var baseline = Timed(Rising(100), Samples());
        // 20% more work on a 20% slower machine: every candidate block's fastest round lies above every baseline one, so
        // U is its maximum and the exact one-sided p is 1 / C(20, 10) = 1 / 184,756.
        var slower = Comparison.Of(Save(Dir, "base", baseline), Save(Dir, "new", Timed(Rising(144), Samples(_ => 1.2)))).Check("time:10%:significant");
        var change = slower.Regressions.Single();
        Assert.That(change.Significance!.PValue, Is.EqualTo(1.0 / 184_756).Within(1e-12));
        Assert.That(change.ToString(), Does.EndWith("(+20.0%), calibrated fastest round, significant (p<0.001) over 10 blocks a run (raw 100.0 ns → 144.0 ns, +44.0%; machine 20.0% slower)"));
        // Identical code on a 25% slower machine: the calibrated blocks are the same on both sides, so nothing is significant
        // (and the change is within the limit anyway).
        var same = Comparison.Of(Save(Dir, "base2", baseline), Save(Dir, "new2", Timed(Rising(125), Samples(_ => 1.25)))).Check("time:0%:significant");
        Assert.That(same.Passed, Is.True, same.ToString());
    }

    [Test]
    public void OneSideWithoutCalibration_ComparesRawAndSaysWhy()
    {
        var gate = Gate(Timed(Steady(100), null), Timed(Steady(125), Samples(_ => 1.25)), "time:10%");
        Assert.That(gate.RegressionLines, Is.EqualTo(new[]
        {
            "time  T.M: 100.0 ns → 125.0 ns (+25.0%), significant (p<0.001), raw: not calibrated because the baseline has no calibration (written by an older Benchmem or by BenchmarkDotNet)",
        }));
        var versions = Gate(Timed(Steady(100), Samples(version: 0)), Timed(Steady(100), Samples()), "time:10%");
        Assert.That(versions.Changes.Single().RawBecause, Is.EqualTo($"the runs were calibrated by different versions of the workloads (0 and {CalibrationWorkload.Version})"));
        var names = Gate(Timed(Steady(100), Samples(names: ["a", "b", "c"])), Timed(Steady(100), Samples()), "time:10%");
        Assert.That(names.Changes.Single().RawBecause, Is.EqualTo("the runs were calibrated by different workloads (a, b, c and int, float, memory)"));
    }

    [Test]
    public void AMalformedCalibrationBlockIsRefusedNamingTheField()
    {
        var bad = Samples();
        bad.Workload[4] = 7;
        Save(Dir, "ok", Timed(Steady(100), Samples()));
        string path = Path.Combine(Dir, "bad.json");
        using (var stream = File.Create(path))
            ResultsJson.WriteRun(stream, new RunInfo { Title = "bad", AssemblyName = "Bench", Started = DateTimeOffset.UnixEpoch, RunKey = null },
                [Timed(Steady(100), bad)]);
        var e = Assert.Throws<ResultsFileException>(() => BenchmarkRun.Load(path))!;
        Assert.That(e.Message, Does.Contain("Benchmem.Calibration: Workload[4] is 7; expected an index into Workloads (0 to 2)"));
    }
}
