using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

public class JournalTests : ResultsFileFixture
{
    [Test]
    public void Path_IsBesideTheResultsFile_PerProcess()
    {
        Assert.That(new Journal(_results, 1234).Path, Is.EqualTo(_results + ".1234.journal"));
    }

    [Test]
    public void Append_WritesOneLinePerRecord_ThatReadsBack()
    {
        var journal = new Journal(_results, 1);
        journal.Append(Samples.Record("A.B.C"));
        journal.Append(Samples.Record("A.B.D", group: "g"));

        Assert.That(File.ReadAllLines(journal.Path), Has.Length.EqualTo(2));
        var records = Journal.Read(journal.Path, out int broken);
        Assert.That(broken, Is.EqualTo(0));
        Assert.That(records.Select(r => r.FullName), Is.EqualTo(new[] { "A.B.C", "A.B.D" }));
        Assert.That(records[1].Group, Is.EqualTo("g"));
        Assert.That(records[1].Timing!.RoundNanoseconds, Is.EqualTo(new[] { 10.0, 20, 30, 40, 50 }));
    }

    [Test]
    public void Append_CreatesAMissingDirectory()
    {
        var journal = new Journal(Path.Combine(_dir.Path, "sub", "dir", "r.json"), 7);

        journal.Append(Samples.Record("A.B.C"));

        Assert.That(File.Exists(Path.Combine(_dir.Path, "sub", "dir", "r.json.7.journal")), Is.True);
    }

    [Test]
    public void Append_FromManyThreadsAtOnce_LosesAndTearsNothing()
    {
        const int threads = 8, perThread = 10;
        var journal = new Journal(_results, 1);
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < perThread; i++)
                journal.Append(Samples.Record($"T{t}.I{i}"));
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        var lines = File.ReadAllLines(journal.Path);
        Assert.That(lines, Has.Length.EqualTo(threads * perThread));
        foreach (var line in lines)
            Assert.DoesNotThrow(() => JsonDocument.Parse(line).Dispose(), line);
        var records = Journal.Read(journal.Path, out int broken);
        Assert.That(broken, Is.EqualTo(0));
        var expected = from t in Enumerable.Range(0, threads) from i in Enumerable.Range(0, perThread) select $"T{t}.I{i}";
        Assert.That(records.Select(r => r.FullName), Is.EquivalentTo(expected));
    }

    [Test]
    public void Read_TruncatedLastLine_IsCountedAsBroken_NotThrown()
    {
        var journal = new Journal(_results, 1);
        journal.Append(Samples.Record("A.B.C"));
        journal.Append(Samples.Record("A.B.D"));
        var third = ResultsJson.ToJournalLine(Samples.Record("A.B.E"));
        using (var s = new FileStream(journal.Path, FileMode.Append))
            s.Write(third, 0, third.Length / 2); // the process died mid-write

        var records = Journal.Read(journal.Path, out int broken);

        Assert.That(broken, Is.EqualTo(1));
        Assert.That(records.Select(r => r.FullName), Is.EqualTo(new[] { "A.B.C", "A.B.D" }));
    }

    [Test]
    public void Read_SkipsBlankLines_AndCountsGarbageAndNamelessEntries()
    {
        var path = _dir.File("j.journal");
        var good = Encoding.UTF8.GetString(ResultsJson.ToJournalLine(Samples.Record("A.B.C")));
        File.WriteAllText(path, "\n   \n" + good + "not json\n{\"Type\":\"T\"}\n\0\0\0\0\n");

        var records = Journal.Read(path, out int broken);

        Assert.That(broken, Is.EqualTo(3));
        Assert.That(records.Select(r => r.FullName), Is.EqualTo(new[] { "A.B.C" }));
    }

    [Test]
    public void Delete_RemovesTheJournal_AndToleratesAMissingOne()
    {
        var journal = new Journal(_results, 1);
        journal.Append(Samples.Record("A.B.C"));

        journal.Delete();
        Assert.That(File.Exists(journal.Path), Is.False);
        Assert.DoesNotThrow(journal.Delete);
    }

    [Test]
    public void FindOrphans_FindsTheJournalOfAnExitedProcess()
    {
        int dead = Samples.DeadProcessId();
        var orphan = new Journal(_results, dead);
        orphan.Append(Samples.Record("A.B.C"));

        var found = Journal.FindOrphans(_results).ToList();

        Assert.That(found, Is.EqualTo(new[] { (orphan.Path, dead) }));
    }

    [Test]
    public void FindOrphans_IgnoresThisProcess_LiveProcesses_OtherResultsFiles_AndOddNames()
    {
        new Journal(_results, Environment.ProcessId).Append(Samples.Record("Mine"));
        int dead = Samples.DeadProcessId();
        new Journal(_dir.File("Other-report-full.json"), dead).Append(Samples.Record("Other"));
        File.WriteAllText(_results + ".notapid.journal", "");
        File.WriteAllText(_results + "." + dead + ".journal.bak", "");

        using var alive = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            new Journal(_results, alive.Id).Append(Samples.Record("Alive"));

            Assert.That(Journal.FindOrphans(_results), Is.Empty);

            alive.Kill();
            alive.WaitForExit();
            Assert.That(Journal.FindOrphans(_results).Select(o => o.ProcessId), Is.EqualTo(new[] { alive.Id }),
                "once the process has exited its journal is an orphan");
        }
        finally
        {
            if (!alive.HasExited)
                alive.Kill();
        }
    }

    [Test]
    public void FindOrphans_MissingDirectory_FindsNothing()
    {
        Assert.That(Journal.FindOrphans(Path.Combine(_dir.Path, "absent", "r.json")), Is.Empty);
    }
}
