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

    private InlineGate Gate(params Core.Results.BenchmarkRecord[] baseline) => Gate("allocated:10%", baseline);

    private InlineGate Gate(string rules, params Core.Results.BenchmarkRecord[] baseline)
    {
        var storage = SavedRuns.StorageFor(BenchmemSettings.Default, Dir);
        storage.Save(WriteRun(Path.Combine(Dir, "base.json"), baseline), "base");
        return InlineGate.Resolve(BenchmemSettings.Default with { CompareFail = rules }, storage, _ => { })!;
    }

    [Test]
    public void ATimeRegressionPointsAtACpuProfile_AMemoryOneDoesNot()
    {
        var judge = new JudgeStage(Gate("time:10%", Record("A", 1024)), new ProfileStore(Path.Combine(Dir, "profiles"), Lines.Add), compareFail: true, endOfRunComes: true, Lines.Add);
        var same = Record("A", 1024);
        var slower = new Core.Results.BenchmarkRecord
        {
            Namespace = same.Namespace, Type = same.Type, Method = same.Method, FullName = same.FullName, Allocation = same.Allocation,
            Timing = new Core.Results.TimingResult { RoundNanoseconds = [500, 501, 502, 503, 504], IterationsPerRound = 10 },
        };
        int taken = 0;

        var verdict = judge.Judge(slower, Plan(), () => $"cpu profile {++taken}");

        Assert.That(verdict.Failures, Has.Count.EqualTo(2));
        Assert.That(verdict.Failures[1], Is.EqualTo("cpu profile 1"));
        var memoryJudge = new JudgeStage(Gate(Record("B", 1024)), new ProfileStore(Path.Combine(Dir, "profiles"), Lines.Add), compareFail: true, endOfRunComes: true, Lines.Add);
        Assert.That(memoryJudge.Judge(Record("B", 4096), Plan(), () => $"cpu profile {++taken}").Failures, Has.Count.EqualTo(1));
        Assert.That(taken, Is.EqualTo(1), "no CPU profile for a memory rule");
    }

    [Test]
    public void TakeCpu_KeepsTheProfileBesideTheAllocationProfilesAndNamesTheHottestMethod()
    {
        var store = new ProfileStore(Path.Combine(Dir, "profiles"), Lines.Add);
        var invoker = Core.Invocation.BenchmarkInvoker.ForMethod(null, typeof(StageTests).GetMethod(nameof(Spin))!, []);

        var line = store.TakeCpu(invoker, null, "Perf.T.Spin");

        var path = CpuProfiler.PathFor(store.Folder, "Perf.T.Spin");
        Assert.That(line, Does.Match($"^Benchmem: where the time went: CPU sample profile {System.Text.RegularExpressions.Regex.Escape(path)} "
            + @"\(open it at speedscope\.app; hottest: Benchmem\.NUnit\.Tests\.Session\.StageTests\.Spin, (9\d|100)% of [\d,]+ samples\)$"));
        Assert.That(File.Exists(path));
    }

    private static readonly long SpinSeed = Environment.ProcessId & 1;

    public static long Spin()
    {
        long x = 0, seed = SpinSeed;
        for (int i = 0; i < 100_000; i++)
            x += (i * 7) ^ seed;
        return x;
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

    /// <summary>A profile of Perf.T.A: Perf.T.A → Fill → byte[] (10 × 100 B), and with <paramref name="regressed"/> one more site, Sort → Comparison (2,048 × 32 B).</summary>
    private static AllocationProfile Profile(bool regressed) => new(
        new ProfileInfo { FullName = "Perf.T.A", Method = ProfileMethods.Exact, PeakBytes = 1, AllocatedBytes = 1, Created = new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero) },
        ["Perf.T.A", "Perf.T.Fill", "new System.Byte[]", "System.Collections.Generic.ArraySortHelper<Point>.Sort", "new System.Comparison<Point>"],
        regressed ? [new([0, 1, 2], 10, 1_000), new([0, 1, 3, 4], 2_048, 65_536)] : [new([0, 1, 2], 10, 1_000)]);

    [Test]
    public void AMemoryRegressionCarriesTheTopRowsOfTheProfileDiff_AndKeepsThePreviousProfileForTheWholeDiff()
    {
        var gate = Gate(Record("A", 1024));
        var profiles = new ProfileStore(Path.Combine(Dir, "profiles"), Lines.Add);
        SpeedscopeFile.Write(Profile(regressed: false), ProfileFolder.ProfilePath(profiles.Folder, "Perf.T.A")); // the earlier run's, published
        SpeedscopeFile.Write(Profile(regressed: true), ProfileFolder.ProfilePath(profiles.Stage(), "Perf.T.A"));
        var judge = new JudgeStage(gate, profiles, compareFail: true, endOfRunComes: true, Lines.Add);

        var verdict = judge.Judge(Record("A", 4096), Plan(profile: true));

        var previous = ProfileFolder.ProfilePath(profiles.PreviousFolder, "Perf.T.A");
        Assert.That(verdict.Failures, Has.Count.EqualTo(3));
        Assert.That(verdict.Failures[1].Split(Environment.NewLine), Is.EqualTo(new[]
        {
            $"Benchmem: why allocated grew (allocated, against the profile of 2026-01-02 03:04 at {previous}):",
            "  +2,048 × Comparison<Point> (+64.0 KiB) from ArraySortHelper.Sort ← T.Fill (new stack)",
            $"Benchmem: the whole diff: benchmem profile --diff {profiles.PreviousFolder} {profiles.Folder} Perf.T.A",
        }));
        Assert.That(SpeedscopeFile.Read(previous).TotalBytes, Is.EqualTo(1_000), "the earlier profile, kept");
        Assert.That(SpeedscopeFile.Read(ProfileFolder.ProfilePath(profiles.Folder, "Perf.T.A")).TotalBytes, Is.EqualTo(66_536), "this run's, published");
    }

    [Test]
    public void CompareWithProfilesCarriesTheDiffToo()
    {
        var baseFolder = Directory.CreateDirectory(Path.Combine(Dir, "base-profiles")).FullName;
        var headFolder = Directory.CreateDirectory(Path.Combine(Dir, "head-profiles")).FullName;
        SpeedscopeFile.Write(Profile(regressed: false), ProfileFolder.ProfilePath(baseFolder, "Perf.T.A"));
        SpeedscopeFile.Write(Profile(regressed: true), ProfileFolder.ProfilePath(headFolder, "Perf.T.A"));
        var baseline = Core.Results.BenchmarkRun.Load(WriteRun(Path.Combine(Dir, "b.json"), Record("A", 1024)));
        var candidate = Core.Results.BenchmarkRun.Load(WriteRun(Path.Combine(Dir, "c.json"), Record("A", 4096)));
        var comparison = Benchmem.Compare.Runs(baseline, candidate).WithProfiles(baseFolder, headFolder);

        var lines = comparison.Explanations(comparison.Check("allocated:10%"));

        Assert.That(lines, Is.EqualTo(new[]
        {
            $"Perf.T.A: Benchmem: why allocated grew (allocated, against the profile of 2026-01-02 03:04 at {ProfileFolder.ProfilePath(baseFolder, "Perf.T.A")}):",
            "  +2,048 × Comparison<Point> (+64.0 KiB) from ArraySortHelper.Sort ← T.Fill (new stack)",
        }));
        var missing = Path.Combine(Dir, "nowhere");
        Assert.That(() => comparison.WithProfiles(missing, headFolder), Throws.ArgumentException.With.Message.EqualTo(
            $"profile folder {missing} does not exist: give the folder Benchmem.Profile wrote that run's profiles to."));
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
