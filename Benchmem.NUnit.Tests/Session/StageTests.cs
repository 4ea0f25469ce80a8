using Benchmem.Core.Memory;
using Benchmem.Core.Profiles;
using Benchmem.Core.Settings;
using Benchmem.Core.Timing;
using Benchmem.NUnit.Commands.Stages;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>The judge stage on real parts (a saved baseline, a profile folder), and the plan's rules against the engines' own checks.</summary>
public class StageTests : TempFolderTests
{
    private static readonly MemoryResult Peak2KiB = new()
    {
        Passes = [new MemoryPass { PeakBytes = 2048, AllocatedBytes = 100, RetainedBytes = 0, PeakMethod = PeakMethods.HeapHighWater }],
        Options = new MemoryOptions(),
    };

    private static BenchmarkPlan Plan(bool profile = false, params Ceiling[] ceilings) => new(new TimingOptions(), new MemoryOptions(), ceilings, null, profile);

    private InlineGate Gate(params Core.Results.BenchmarkRecord[] baseline)
    {
        var storage = SavedRuns.StorageFor(BenchmemSettings.Default, Dir);
        storage.Save(WriteRun(Path.Combine(Dir, "base.json"), baseline), "base");
        return InlineGate.Resolve(BenchmemSettings.Default with { CompareFail = "allocated:10%" }, storage, _ => { })!;
    }

    private ProfileStore StagedProfile(string fullName)
    {
        var store = new ProfileStore(Path.Combine(Dir, "profiles"), Lines.Add);
        File.WriteAllText(ProfileFolder.ProfilePath(store.Stage(), fullName), "{}");
        return store;
    }

    [Test]
    public void ABrokenCeilingIsAFailure_WithoutAGateNothingElse()
    {
        var judge = new JudgeStage(null, new ProfileStore(Path.Combine(Dir, "profiles"), Lines.Add), compareFail: false, endOfRunComes: true, Lines.Add);

        var verdict = judge.Judge(Record("A", 10, Peak2KiB), Plan(ceilings: new Ceiling(CeilingKind.Peak, 1024, "1KiB")));

        Assert.That(verdict.Failures, Is.EqualTo(new[] { "peak 2.00 KiB exceeds MaxPeak 1KiB" }));
        Assert.That(verdict.Notes, Is.Empty);
    }

    [Test]
    public void ARegressionFailsNamingTheBaseline_AndKeepsItsProfile()
    {
        var gate = Gate(Record("A", 1024));
        var profiles = StagedProfile("Perf.T.A");
        var judge = new JudgeStage(gate, profiles, compareFail: true, endOfRunComes: true, Lines.Add);

        var verdict = judge.Judge(Record("A", 4096), Plan(profile: true));

        var command = ProfileStore.Command(profiles.Folder, "Perf.T.A");
        Assert.That(verdict.Notes, Is.EqualTo(new[] { $"Benchmem: allocation profile kept; render it with: {command}" }));
        Assert.That(verdict.Failures, Has.Count.EqualTo(2));
        Assert.That(verdict.Failures[0], Does.StartWith($"Benchmem: regressed against {gate.Baseline.Path}:{Environment.NewLine}"));
        Assert.That(verdict.Failures[1], Is.EqualTo($"Benchmem: where the memory went: {command}"));
    }

    [Test]
    public void WithCompareFailAPassingBenchmarkDropsItsProfile()
    {
        var judge = new JudgeStage(Gate(Record("A", 1024)), StagedProfile("Perf.T.A"), compareFail: true, endOfRunComes: true, Lines.Add);

        var verdict = judge.Judge(Record("A", 1024), Plan(profile: true));

        Assert.That(verdict.Notes, Is.Empty);
        Assert.That(verdict.Failures, Is.Empty);
    }

    [Test]
    public void WithoutCompareFailEveryProfileIsKept()
    {
        var profiles = StagedProfile("Perf.T.A");
        var judge = new JudgeStage(null, profiles, compareFail: false, endOfRunComes: true, Lines.Add);

        var verdict = judge.Judge(Record("A", 1024), Plan(profile: true));

        Assert.That(verdict.Notes, Is.EqualTo(new[] { $"Benchmem: allocation profile kept; render it with: {ProfileStore.Command(profiles.Folder, "Perf.T.A")}" }));
        Assert.That(verdict.Failures, Is.Empty);
    }

    [Test]
    public void ANewBenchmarkIsNotGated_ItsTestSaysSo_AndWithoutAnEndOfRunTheRunIsToldAtOnce()
    {
        var gate = Gate(Record("Old", 1024));
        var judge = new JudgeStage(gate, new ProfileStore(Path.Combine(Dir, "profiles"), Lines.Add), compareFail: true, endOfRunComes: false, Lines.Add);

        var verdict = judge.Judge(Record("New", 1 << 20), Plan());

        Assert.That(verdict.Notes, Is.EqualTo(new[] { gate.NewLine() }));
        Assert.That(verdict.Failures, Is.Empty);
        Assert.That(Lines, Is.EqualTo(new[]
        {
            $"Benchmem: CompareFail: Perf.T.New is new since the baseline {gate.Baseline.Path}, so not gated; each new benchmark's test says so.",
        }));
    }

    private static IEnumerable<TimingOptions> BadTiming() =>
    [
        new() { MinRounds = 0 }, new() { MinRounds = 1_000_001 }, new() { MaxTime = 0 }, new() { MaxTime = double.NaN },
        new() { MaxTime = double.PositiveInfinity }, new() { MinTime = -1 }, new() { MinTime = 2, MaxTime = 1 }, new() { MinTime = double.NaN },
        new() { Warmup = -0.1 }, new() { Warmup = double.PositiveInfinity }, new() { Warmup = double.NaN },
    ];

    private static IEnumerable<MemoryOptions> BadMemory() =>
    [
        new() { Repeats = -1 }, new() { Repeats = 1001 }, new() { Warmup = -1 }, new() { Warmup = 1001 }, new() { Calls = 0 },
        new() { Calls = 1_000_001 }, new() { MaxTime = 0 }, new() { MaxTime = double.NaN }, new() { MaxTime = double.PositiveInfinity },
    ];

    /// <summary>The engine's own check as the reference: the rule fails the same value and says the same reason.</summary>
    private static void AgreesWithTheEngine<T>(IEnumerable<OptionRule<T>> rules, T options, Action validate)
    {
        var engine = Assert.Throws<ArgumentOutOfRangeException>(() => validate())!;
        var rule = rules.First(r => !r.Valid(options));
        Assert.That(rule.Property, Is.EqualTo(engine.ParamName));
        Assert.That(engine.Message, Does.StartWith(rule.Reason + $" (Parameter '{rule.Property}')"));
        Assert.That(rule.Message("X", options), Is.EqualTo($"[X({engine.ParamName} = {engine.ActualValue})] is out of range: {rule.Reason}"));
    }

    [TestCaseSource(nameof(BadTiming))]
    public void TimingRulesAgreeWithTheTimingEngine(TimingOptions options) =>
        AgreesWithTheEngine(OptionRules.Timing, options, options.Validate);

    [TestCaseSource(nameof(BadMemory))]
    public void MemoryRulesAgreeWithTheMemoryMeter(MemoryOptions options) =>
        AgreesWithTheEngine(OptionRules.Memory, options, options.Validate);

    [Test]
    public void ValidDefaultsBreakNoRule()
    {
        Assert.That(OptionRules.FirstError(OptionRules.Timing, "Benchmark", new TimingOptions()), Is.Null);
        Assert.That(OptionRules.FirstError(OptionRules.Memory, "BenchMem", new MemoryOptions()), Is.Null);
    }
}
