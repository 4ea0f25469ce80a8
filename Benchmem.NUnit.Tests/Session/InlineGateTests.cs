using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>Benchmem.CompareFail against saved runs in a real storage folder: resolving the baseline, gating, new benchmarks.</summary>
public class InlineGateTests : TempFolderTests
{
    private RunStorage Storage() => SavedRuns.StorageFor(BenchmemSettings.Default with { Storage = "store" }, Dir);

    private string SaveBaseline(string name, params BenchmarkRecord[] records) =>
        Storage().Save(WriteRun(Path.Combine(Dir, "results", name + ".json"), records), name);

    private InlineGate? Resolve(string? compareFail, string? compareTo = null) =>
        InlineGate.Resolve(BenchmemSettings.Default with { CompareFail = compareFail, CompareTo = compareTo }, Storage(), Lines.Add);

    [Test]
    public void WithoutCompareFailThereIsNoGate()
    {
        SaveBaseline("base", Record("A", 100));

        Assert.That(Resolve(null), Is.Null);
        Assert.That(Lines, Is.Empty);
    }

    [Test]
    public void WithNothingSavedTheRunIsToldOnce_AndNothingIsGated()
    {
        Assert.That(Resolve("allocated:10%"), Is.Null);
        Assert.That(Lines, Is.EqualTo(new[]
        {
            $"Benchmem: CompareFail has no saved run to compare with yet in {Storage().Folder}, so no benchmark fails on it this time; "
            + "save one with Benchmem.Save=NAME or Benchmem.Autosave=true.",
        }));
    }

    [Test]
    public void TheNewestSavedRunIsTheBaseline()
    {
        SaveBaseline("older", Record("A", 1));
        var newest = SaveBaseline("newer", Record("A", 100));

        var gate = Resolve("allocated:10%");

        Assert.That(gate!.Baseline.Path, Is.EqualTo(newest));
        Assert.That(Lines, Is.EqualTo(new[] { $"Benchmem: CompareFail=allocated:10% against {newest}" }));
    }

    [Test]
    public void ATimeRuleSaysWhichStatisticsItCompares()
    {
        var saved = SaveBaseline("base", Record("A", 100));

        Resolve("time:10%");

        Assert.That(Lines, Is.EqualTo(new[] { $"Benchmem: CompareFail=time:10% against {saved} ({Core.Timing.WorkloadResult.OwnStatisticsNote})" }));
    }

    [Test]
    public void AnUnknownCompareToIsASettingsError()
    {
        SaveBaseline("base", Record("A", 100));

        var e = Assert.Throws<BenchmemSettingsException>(() => Resolve("allocated:10%", compareTo: "7"))!;

        Assert.That(e.Message, Is.EqualTo($"Benchmem.CompareTo: no saved run number 7 in {Storage().Folder} (saved: 0001_base)."));
    }

    [Test]
    public void AnUnreadableBaselineIsASettingsError()
    {
        var broken = Path.Combine(Dir, "broken.json");
        File.WriteAllText(broken, "not json");

        var e = Assert.Throws<BenchmemSettingsException>(() => Resolve("allocated:10%", compareTo: broken))!;

        Assert.That(e.Message, Does.StartWith("Benchmem.CompareFail cannot use its baseline: "));
        Assert.That(e.Message, Does.Contain(broken));
    }

    [Test]
    public void ABenchmarkThatGrewPastTheRuleRegresses_OneWithinItPasses()
    {
        SaveBaseline("base", Record("Grows", 1024), Record("Stable", 1024));
        var gate = Resolve("allocated:10%")!;

        Assert.That(gate.Check(Record("Stable", 1100)), Is.Empty);
        var lines = gate.Check(Record("Grows", 2048));
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0], Does.Match(@"allocated\s+T\.Grows: 1\.00 KiB → 2\.00 KiB \(\+100\.0%\)"));
    }

    /// <summary>A timed record: 100 rounds of <paramref name="ns"/>, calibration samples (2, 8 and 40 ns) every 10 rounds
    /// times the machine's speed at that round.</summary>
    private static BenchmarkRecord Timed(string method, double ns, Func<int, double> speed)
    {
        var positions = Enumerable.Range(0, 11).Select(k => (Workload: k % 3, Before: k * 10)).ToArray();
        return Record(method, 0) is var r ? new BenchmarkRecord
        {
            Namespace = r.Namespace, Type = r.Type, Method = r.Method, FullName = r.FullName,
            Timing = new TimingResult
            {
                RoundNanoseconds = Enumerable.Range(0, 100).Select(i => ns * speed(i)).ToArray(),
                IterationsPerRound = 1000,
                Calibration = new Core.Timing.CalibrationResult
                {
                    Version = Core.Timing.CalibrationWorkload.Version,
                    Workloads = ["int", "float", "memory"],
                    Workload = positions.Select(p => p.Workload).ToArray(),
                    BeforeRound = positions.Select(p => p.Before).ToArray(),
                    Nanoseconds = positions.Select(p => new[] { 2.0, 8, 40 }[p.Workload] * speed(Math.Min(p.Before, 99))).ToArray(),
                },
            },
        } : null!;
    }

    [Test]
    public void ATimeRuleOnAnUnsteadyMachineIsNotJudged_AndTheTestSaysSo()
    {
        SaveBaseline("base", Timed("Steady", 100, _ => 1));
        var gate = Resolve("time:10%")!;
        // The machine halved its speed from round 50 on: every workload's samples in the second half of the run twice as slow.
        var result = gate.Judge(Timed("Steady", 100, i => i >= 50 ? 2 : 1));
        Assert.That(result.Passed, Is.True);
        Assert.That(gate.Check(Timed("Steady", 100, i => i >= 50 ? 2 : 1)), Is.Empty);
        Assert.That(result.NotJudged.Single().ToString(), Does.Contain(
            "calibrated: not judged: the machine's speed moved 100.0% during the candidate run (its calibration's first half against its second; limit 10.0%)"));
        // A steady machine 25% slower throughout: cancelled, and judged.
        var slower = gate.Judge(Timed("Steady", 100, _ => 1.25)); // rounds of 125 ns, samples 25% slower
        Assert.That((slower.Passed, slower.NotJudged.Count, slower.Calibrated), Is.EqualTo((true, 0, true)), slower.ToString());
    }

    [Test]
    public void TheMachinesSpeedIsTheRunsSoFar_NotOneBenchmarksFewSamples()
    {
        SaveBaseline("base", Timed("Steady", 100, _ => 1), Timed("Other", 50, _ => 1));
        var gate = Resolve("time:10%")!;
        // Its own rounds at full speed, its few calibration samples all held up 20% (contention while they ran, on every
        // workload): alone they say the machine ran 20% slower, and the unchanged benchmark reads 16.7% faster than it is
        // (a real regression of up to 20% would pass).
        var held = Timed("Steady", 100, _ => 1) is var r ? new BenchmarkRecord
        {
            Namespace = r.Namespace, Type = r.Type, Method = r.Method, FullName = r.FullName,
            Timing = new TimingResult
            {
                RoundNanoseconds = r.Timing!.RoundNanoseconds, IterationsPerRound = 1000,
                Calibration = Timed("Steady", 100, _ => 1.2).Timing!.Calibration,
            },
        } : null!;
        Assert.That(gate.Judge(held).Changes.Single().ChangePercent, Is.EqualTo((1 / 1.2 - 1) * 100).Within(1e-9));
        // With the run's records so far (three benchmarks before it, their samples at full speed), the run's fastest
        // samples are the machine's, and both halves of the run reach them: judged, unchanged.
        var judged = gate.Judge(held, [Timed("A", 50, _ => 1), Timed("B", 50, _ => 1), Timed("C", 50, _ => 1), held]);
        Assert.That((judged.Passed, judged.NotJudged.Count, judged.Changes.Single().ChangePercent), Is.EqualTo((true, 0, 0.0)), judged.ToString());
    }

    [Test]
    public void NewBenchmarksAreNotGated_EachTestSaysSo_AndTheRunListsThemAtItsEnd()
    {
        var saved = SaveBaseline("base", Record("Old", 1024));
        var gate = Resolve("allocated:10%")!;

        Assert.That(gate.IsNew(Record("Old", 1)), Is.False);
        Assert.That(gate.IsNew(Record("New1", 1)), Is.True);
        Assert.That(gate.NewLine(), Is.EqualTo($"Benchmem: CompareFail: new since the baseline {saved}, so not gated."));
        Assert.That(gate.NewSummary(), Is.Null, "none yet");
        Assert.That(gate.NoteNew(Record("New1", 1), endOfRunComes: true), Is.Null);
        Assert.That(gate.NoteNew(Record("New2", 1), endOfRunComes: true), Is.Null);
        Assert.That(gate.NewSummary(), Is.EqualTo($"Benchmem: CompareFail: 2 benchmark(s) new since the baseline {saved}, so not gated "
            + "(no numbers to compare with): Perf.T.New1, Perf.T.New2."));
    }

    [Test]
    public void WithoutAnEndOfRunTheFirstNewBenchmarkTellsTheRunAtOnce()
    {
        var saved = SaveBaseline("base", Record("Old", 1024));
        var gate = Resolve("allocated:10%")!;

        Assert.That(gate.NoteNew(Record("New1", 1), endOfRunComes: false),
            Is.EqualTo($"Benchmem: CompareFail: Perf.T.New1 is new since the baseline {saved}, so not gated; each new benchmark's test says so."));
        Assert.That(gate.NoteNew(Record("New2", 1), endOfRunComes: false), Is.Null, "once");
    }

    [Test]
    public void TheEndOfRunListStopsAtTheTextLimit()
    {
        SaveBaseline("base", Record("Old", 1024));
        var gate = Resolve("allocated:10%")!;
        for (int i = 0; i < 23; i++)
            gate.NoteNew(Record($"N{i:D2}", 1), endOfRunComes: true);

        Assert.That(gate.NewSummary(), Does.StartWith("Benchmem: CompareFail: 23 benchmark(s) new since the baseline "));
        Assert.That(gate.NewSummary(), Does.EndWith(": " + string.Join(", ", Enumerable.Range(0, 20).Select(i => $"Perf.T.N{i:D2}")) + ", … and 3 more."));
    }
}
