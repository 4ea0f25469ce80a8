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
