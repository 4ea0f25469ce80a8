using System.Text.Json;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

public class ResultsSessionTests : ResultsFileFixture
{
    [Test]
    public void Add_ADuplicateFullName_IsAnErrorNamingBoth_AndIsNotRecorded()
    {
        var session = new ResultsSession(Samples.Run(), _results);

        session.Add(Samples.Record("N.T.M(n: 1)"), "test N.T.M(1)");
        var ex = Assert.Throws<DuplicateBenchmarkException>(() => session.Add(Samples.Record("N.T.M(n: 1)"), "test N.T.Other(1)"));
        session.Add(Samples.Record("N.T.M(n: 2)"), "test N.T.M(2)");

        Assert.That(ex!.Message, Is.EqualTo("Benchmem: two benchmarks have the FullName \"N.T.M(n: 1)\": test N.T.M(1) and test N.T.Other(1); "
            + "give them different arguments, or rename one method, so each has its own name (the second was not recorded)."));
        Assert.That(session.Records.Select(r => r.FullName), Is.EqualTo(new[] { "N.T.M(n: 1)", "N.T.M(n: 2)" }));
        Assert.That(Journal.Read(session.JournalPath, out _).Select(r => r.FullName), Is.EqualTo(new[] { "N.T.M(n: 1)", "N.T.M(n: 2)" }));
    }

    [Test]
    public void Add_JournalsAtOnce_SoAKilledRunLosesNothing()
    {
        var session = new ResultsSession(Samples.Run(), _results);
        session.Add(Samples.Record("A"));
        session.Add(Samples.Record("B"));

        Assert.That(session.JournalPath, Is.EqualTo(_results + "." + Environment.ProcessId + ".journal"));
        Assert.That(File.Exists(_results), Is.False, "the results file is written at the end");
        var journaled = Journal.Read(session.JournalPath, out int broken);
        Assert.That(broken, Is.EqualTo(0));
        Assert.That(journaled.Select(r => r.FullName), Is.EqualTo(new[] { "A", "B" }), "the journal has both");
    }

    [Test]
    public void Complete_WritesAParsableFile_AndDeletesTheJournal()
    {
        var session = new ResultsSession(Samples.Run(), _results);
        session.Add(Samples.Record("A.B.C"));
        session.Add(Samples.Record("A.B.C(n: 2)"));
        session.Add(Samples.Record("A.B.D", group: "g"));

        session.Complete();

        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { "Perf-report-full.json" }), "no journal and no temp file left");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(_results));
        Assert.That(doc.RootElement.GetProperty("Title").GetString(), Is.EqualTo("Examples.Sorting-20261123-201500"));
        Assert.That(doc.RootElement.GetProperty("Benchmem").GetProperty("RunKey").GetString(), Is.EqualTo("run-key-1"));
        var back = Samples.ReadBenchmarks(_results);
        Assert.That(back.Select(r => r.FullName), Is.EqualTo(new[] { "A.B.C", "A.B.C(n: 2)", "A.B.D" }));
        Assert.That(back[2].Group, Is.EqualTo("g"));
    }

    [Test]
    public void Update_ChangesTheRunInfoWritten()
    {
        var session = new ResultsSession(Samples.Run(), _results);
        session.Add(Samples.Record("A"));

        session.Update(r => r with { ParallelTests = true, Configuration = "DEBUG" });
        session.Complete();

        using var doc = JsonDocument.Parse(File.ReadAllBytes(_results));
        Assert.That(doc.RootElement.GetProperty("Benchmem").GetProperty("ParallelTests").GetBoolean(), Is.True);
        Assert.That(doc.RootElement.GetProperty("HostEnvironmentInfo").GetProperty("Configuration").GetString(), Is.EqualTo("DEBUG"));
    }

    [Test]
    public void Write_SameRunKey_KeepsTheOtherSessionsRecords()
    {
        // Two test assemblies of one `dotnet test` share one results path.
        var first = new ResultsSession(Samples.Run("shared"), _results);
        var second = new ResultsSession(Samples.Run("shared") with { AssemblyName = "Second" }, _results);

        first.Add(Samples.Record("First.A"));
        first.Write();
        second.Add(Samples.Record("Second.A"));
        second.Write();
        Assert.That(Samples.FullNamesIn(_results), Is.EquivalentTo(new[] { "First.A", "Second.A" }));

        first.Add(Samples.Record("First.B"));
        first.Write();
        Assert.That(Samples.FullNamesIn(_results), Is.EquivalentTo(new[] { "First.A", "First.B", "Second.A" }));
    }

    [Test]
    public void Write_SameRunKey_ABenchmarkOfTheSameNameIsReplacedByTheWriter()
    {
        var first = new ResultsSession(Samples.Run("shared"), _results);
        var second = new ResultsSession(Samples.Run("shared") with { AssemblyName = "Second" }, _results);
        first.Add(Samples.Record("Same", group: "first"));
        first.Add(Samples.Record("OnlyFirst"));
        first.Write();

        second.Add(Samples.Record("Same", group: "second"));
        second.Write();

        var back = Samples.ReadBenchmarks(_results);
        Assert.That(back.Select(r => (r.FullName, r.Group)),
            Is.EquivalentTo(new[] { ("OnlyFirst", (string?)null), ("Same", "second") }));
    }

    [Test]
    public void Write_DifferentRunKey_ReplacesTheOlderRunsFile()
    {
        var older = new ResultsSession(Samples.Run("run-1"), _results);
        older.Add(Samples.Record("Old.A"));
        older.Write();

        var newer = new ResultsSession(Samples.Run("run-2"), _results);
        newer.Expect(["New.A"], []); // the whole suite, all measured
        newer.Add(Samples.Record("New.A"));
        newer.Write();

        Assert.That(Samples.FullNamesIn(_results), Is.EqualTo(new[] { "New.A" }));
        Assert.That(newer.Kept.Count, Is.Zero);
    }

    [Test]
    public void Write_SameRunKeyAndAssembly_IsAnEarlierRun()
    {
        // One assembly runs once per `dotnet test`: under the same key (a dotnet test started from a test) its own
        // file is an earlier run's, kept only as a partial run keeps any earlier run.
        var earlier = new ResultsSession(Samples.Run("shared"), _results);
        earlier.Add(Samples.Record("A"));
        earlier.Add(Samples.Record("B"));
        earlier.Write();
        var later = new ResultsSession(Samples.Run("shared") with { Title = "Examples.Sorting-20261123-201501" }, _results);
        later.Expect(["A", "B"], []);
        later.Add(Samples.Record("A"));
        later.Write();
        Assert.That(Samples.ReadBenchmarks(_results).Select(r => (r.FullName, r.KeptFrom is not null)), Is.EquivalentTo(new[] { ("A", false), ("B", true) }));
    }

    [Test]
    public void Write_WithoutTheHookSharingAPath_OtherAssembliesRecordsStayUnmarked()
    {
        // No suite hook: each assembly rewrites the shared file after every benchmark, and the last writer is often
        // itself; the other assembly's benchmarks are this run's, never "kept from an earlier run".
        var a = new ResultsSession(Samples.Run("shared"), _results);
        var b = new ResultsSession(Samples.Run("shared") with { AssemblyName = "Second", Title = "Second-20261123-201500" }, _results);
        a.Add(Samples.Record("A.1"));
        a.Write();
        b.Add(Samples.Record("B.1"));
        b.Write();
        a.Add(Samples.Record("A.2"));
        a.Write();
        a.Add(Samples.Record("A.3"));
        a.Write(); // the file is its own last write now
        Assert.That(Samples.ReadBenchmarks(_results).Select(r => (r.FullName, r.KeptFrom)),
            Is.EquivalentTo(new[] { ("A.1", (string?)null), ("A.2", null), ("A.3", null), ("B.1", null) }));
    }

    [Test]
    public void Write_APartialRun_KeepsTheEarlierRunsOtherBenchmarksMarked()
    {
        // Issue 16: `dotnet test --filter` used to leave a file holding only its subset.
        var earlier = new ResultsSession(Samples.Run("run-1"), _results);
        earlier.Expect(["A", "B", "C"], []);
        foreach (var name in new[] { "A", "B", "C" })
            earlier.Add(Samples.Record(name, group: "earlier"));
        earlier.Write();

        var filtered = new ResultsSession(Samples.Run("run-2"), _results);
        filtered.Expect(["B"], [("Examples", "SortBenchmarks", "Sort"), ("Examples", "Other", "Run")]); // a method with no record: partial
        filtered.Add(Samples.Record("B", group: "now"));
        filtered.Write();

        var back = Samples.ReadBenchmarks(_results);
        Assert.That(back.Select(r => (r.FullName, r.Group, r.KeptFrom)), Is.EquivalentTo(new[]
        {
            ("B", (string?)"now", (string?)null),
            ("A", "earlier", filtered.Kept.From),
            ("C", "earlier", filtered.Kept.From),
        }));
        Assert.That(filtered.Kept.Count, Is.EqualTo(2));
        Assert.That(filtered.Kept.From, Does.StartWith("Examples.Sorting-20261123-201500 (written ").And.EndWith(" UTC)"));

        // A second partial run keeps the first mark; a full run drops the kept ones.
        var again = new ResultsSession(Samples.Run("run-3"), _results);
        again.Expect(["A"], []);
        again.Add(Samples.Record("A", group: "again"));
        again.Expect(["A", "B"], []);
        again.Write();
        Assert.That(Samples.ReadBenchmarks(_results).Single(r => r.FullName == "C").KeptFrom, Is.EqualTo(filtered.Kept.From));

        var full = new ResultsSession(Samples.Run("run-4"), _results);
        full.Expect(["A"], [("Examples", "SortBenchmarks", "Sort")]);
        full.Add(Samples.Record("A"));
        full.Write();
        Assert.That(Samples.FullNamesIn(_results), Is.EqualTo(new[] { "A" }));
    }

    [Test]
    public void Write_NoRunKey_ReplacesTheFile()
    {
        var first = new ResultsSession(Samples.Run(runKey: null), _results);
        first.Add(Samples.Record("First.A"));
        first.Write();

        var second = new ResultsSession(Samples.Run(runKey: null), _results);
        second.Expect(["Second.A"], []);
        second.Add(Samples.Record("Second.A"));
        second.Write();

        Assert.That(Samples.FullNamesIn(_results), Is.EqualTo(new[] { "Second.A" }));
    }

    [Test]
    public void Write_OverACorruptFile_ReplacesIt()
    {
        File.WriteAllText(_results, "{ \"Benchmarks\": [ truncated");
        var session = new ResultsSession(Samples.Run("shared"), _results);
        session.Add(Samples.Record("A"));

        session.Write();

        Assert.That(Samples.FullNamesIn(_results), Is.EqualTo(new[] { "A" }));
    }

    [TestCase("[]")]
    [TestCase("null")]
    [TestCase("{\"Benchmem\": null}")]
    [TestCase("{\"Benchmem\": {\"RunKey\": \"shared\"}}")]
    public void Write_OverJsonThatIsNotAResultsFile_ReplacesIt(string content)
    {
        File.WriteAllText(_results, content);
        var session = new ResultsSession(Samples.Run("shared"), _results);
        session.Add(Samples.Record("A"));

        session.Write();

        Assert.That(Samples.FullNamesIn(_results), Is.EqualTo(new[] { "A" }));
    }

    [Test]
    public void RecoverOrphans_TurnsAKilledRunsJournalIntoItsOwnFile()
    {
        int dead = Samples.DeadProcessId();
        var orphan = new Journal(_results, dead);
        orphan.Append(Samples.Record("Killed.A"));
        orphan.Append(Samples.Record("Killed.B", group: "g"));
        var cut = ResultsJson.ToJournalLine(Samples.Record("Killed.C"));
        using (var s = new FileStream(orphan.Path, FileMode.Append))
            s.Write(cut, 0, 40);
        var stamp = new DateTime(2024, 3, 5, 6, 7, 8, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(orphan.Path, stamp);
        var session = new ResultsSession(Samples.Run(), _results);

        var messages = session.RecoverOrphans();

        var target = _dir.File($"Perf-report-full-recovered-20240305-060708-{dead}.json");
        Assert.That(messages, Is.EqualTo(new[]
        {
            $"Benchmem: recovered 2 benchmark(s) of an interrupted run (process {dead}) into {target}; 1 unfinished line(s) dropped",
        }));
        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { Path.GetFileName(target) }), "the orphan journal is gone");
        var back = Samples.ReadBenchmarks(target);
        Assert.That(back.Select(r => r.FullName), Is.EqualTo(new[] { "Killed.A", "Killed.B" }));
        Assert.That(back[1].Group, Is.EqualTo("g"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(target));
        Assert.That(doc.RootElement.GetProperty("Title").GetString(), Is.EqualTo("Examples.Sorting_recovered-20240305-060708"), "a title whose time bdna can read");
        Assert.That(doc.RootElement.GetProperty("Benchmem").GetProperty("Datetime").GetString(), Is.EqualTo("2024-03-05T06:07:08.0000000+00:00"));
    }

    [Test]
    public void RecoverOrphans_CleanJournal_MessageHasNoDroppedLines()
    {
        int dead = Samples.DeadProcessId();
        var orphan = new Journal(_results, dead);
        orphan.Append(Samples.Record("Killed.A"));
        File.SetLastWriteTimeUtc(orphan.Path, new DateTime(2025, 12, 31, 23, 59, 59, DateTimeKind.Utc));

        var messages = new ResultsSession(Samples.Run(), _results).RecoverOrphans();

        var target = _dir.File($"Perf-report-full-recovered-20251231-235959-{dead}.json");
        Assert.That(messages, Is.EqualTo(new[] { $"Benchmem: recovered 1 benchmark(s) of an interrupted run (process {dead}) into {target}" }));
        Assert.That(Samples.FullNamesIn(target), Is.EqualTo(new[] { "Killed.A" }));
    }

    [Test]
    public void RecoverOrphans_LeavesThisProcessesJournal_AndAJournalWithNothingComplete_IsJustDropped()
    {
        var session = new ResultsSession(Samples.Run(), _results);
        session.Add(Samples.Record("Mine"));
        int dead = Samples.DeadProcessId();
        File.WriteAllText(_results + "." + dead + ".journal", "{\"Namespace\":\"N\",\"Ty");

        var messages = session.RecoverOrphans();

        Assert.That(messages, Is.Empty);
        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { Path.GetFileName(session.JournalPath) }));
        Assert.That(Journal.Read(session.JournalPath, out _).Select(r => r.FullName), Is.EqualTo(new[] { "Mine" }));
    }
}
