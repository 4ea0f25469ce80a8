using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Session;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>The session's smaller parts, each on its own: settings, the refusal after bad settings, results, dims, the watchdog.</summary>
public class SessionPartsTests : TempFolderTests
{
    [Test]
    public void SettingsAreResolvedOnce_InvalidOnesThrowAtEveryRead()
    {
        int calls = 0;
        var good = new SettingsSource(() => { calls++; return BenchmemSettings.Default with { MinRounds = 9 }; });
        Assert.That((good.Settings.MinRounds, good.Settings.MinRounds, calls), Is.EqualTo((9, 9, 1)));

        int tries = 0;
        var bad = new SettingsSource(() => throw new BenchmemSettingsException($"bad {++tries}"));
        Assert.That(Assert.Throws<BenchmemSettingsException>(() => _ = bad.Settings)!.Message, Is.EqualTo("bad 1"));
        Assert.That(Assert.Throws<BenchmemSettingsException>(() => _ = bad.Settings)!.Message, Is.EqualTo("bad 2"));
    }

    [Test]
    public void ARefusedRunFailsItsFirstTestWithTheMessage_WithoutStackTrace_AndSkipsTheOthers()
    {
        var refusal = new SettingsRefusal();
        Assert.DoesNotThrow(refusal.ThrowIfRefused, "valid settings: every test runs");

        refusal.Refuse("Benchmem.MinRounds: 'x' is not a number.");

        var first = Assert.Throws(Is.InstanceOf<ResultStateException>(), refusal.ThrowIfRefused) as ResultStateException;
        Assert.That((first!.Message, first.ResultState, first.StackTrace),
            Is.EqualTo(("Benchmem.MinRounds: 'x' is not a number.", ResultState.Failure, (string?)null)));
        var second = Assert.Throws<IgnoreException>(refusal.ThrowIfRefused)!;
        Assert.That(second.Message, Is.EqualTo("not run: Benchmem's settings are invalid (the first test of this run failed with the reason)."));
    }

    [Test]
    public void WithoutTheHookEveryBenchmarkRewritesTheResultsFile_AndNothingIsInProgress()
    {
        var path = Path.Combine(Dir, "r.json");
        var results = new RunResults(new ResultsSession(new RunInfo { Title = "t", AssemblyName = "Perf", Started = DateTimeOffset.UnixEpoch }, path),
            writeEachBenchmark: true);

        results.Add(Record("A", 10), "test A");

        Assert.That(BenchmarkRun.Load(path).Benchmarks.Select(b => b.FullName), Is.EqualTo(new[] { "Perf.T.A" }));
        Assert.That(results.InProgress(path), Is.Null);
    }

    [Test]
    public void WithTheHookTheRunsOwnFileIsReadFromMemoryUntilTheRunWritesIt()
    {
        var path = Path.Combine(Dir, "r.json");
        var results = new RunResults(new ResultsSession(new RunInfo { Title = "t", AssemblyName = "Perf", Started = DateTimeOffset.UnixEpoch }, path),
            writeEachBenchmark: false);

        results.Add(Record("A", 10), "test A");
        results.Add(Record("B", 20), "test B");

        Assert.That(File.Exists(path), Is.False, "written at the end of the run");
        Assert.That(results.InProgress(path)!.Benchmarks.Select(b => b.FullName), Is.EqualTo(new[] { "Perf.T.A", "Perf.T.B" }));
        Assert.That(results.InProgress(Path.Combine(Dir, "other.json")), Is.Null);
        var duplicate = Assert.Throws<DuplicateBenchmarkException>(() => results.Add(Record("A", 10), "test A2"))!;
        Assert.That(duplicate.Message, Does.Contain("test A").And.Contain("test A2"));
        results.File.Complete();
        Assert.That(results.InProgress(path), Is.Null, "complete: the file on disk is the run's");
    }

    [Test]
    public void MarkParallelFlagsTheRun()
    {
        var results = new RunResults(new ResultsSession(new RunInfo { Title = "t", AssemblyName = "Perf", Started = DateTimeOffset.UnixEpoch },
            Path.Combine(Dir, "r.json")), writeEachBenchmark: false);
        Assert.That(results.File.Run.ParallelTests, Is.False);

        results.MarkParallel();

        Assert.That(results.File.Run.ParallelTests, Is.True);
    }

    [Test]
    public void DimsAreTakenOncePerTest_TheLastValueWins()
    {
        var dims = new BenchmarkDims();
        dims.Set("t1", "phase", "parse");
        dims.Set("t1", "phase", "emit");
        dims.Set("t1", "n", 3L);
        dims.Set("t2", "n", 4L);

        Assert.That(dims.Take("t1"), Is.EquivalentTo(new Dictionary<string, object?> { ["phase"] = "emit", ["n"] = 3L }));
        Assert.That(dims.Take("t1"), Is.Empty);
        Assert.That(dims.Take("t2"), Is.EquivalentTo(new Dictionary<string, object?> { ["n"] = 4L }));
    }

    [Test]
    public void TheWatchdogAbandonsABenchmarkPastItsLimit_AndCountsIt()
    {
        var watchdog = new Watchdog(new BenchmarkGate());
        using var release = new ManualResetEventSlim();

        Assert.That(watchdog.Run(null, () => { }), Is.True);
        Assert.That(watchdog.Run(5, () => { }), Is.True);
        Assert.That(watchdog.Run(0.05, release.Wait), Is.False);
        release.Set();
        Assert.That(watchdog.Abandoned, Is.EqualTo(1));
        Assert.That(Watchdog.Message(0.05), Does.StartWith("Benchmem: the benchmark did not finish within Benchmem.Timeout=0.05 s and was abandoned;"));
    }

    [Test]
    public void TheWatchdogRethrowsWhatTheBenchmarkThrew() =>
        Assert.That(Assert.Throws<InvalidOperationException>(() => new Watchdog(new BenchmarkGate()).Run(5, () => throw new InvalidOperationException("boom")))!.Message,
            Is.EqualTo("boom"));

    [Test]
    public void TheGateLetsOneFlowIn_AndItsHolderInAgain()
    {
        var gate = new BenchmarkGate();
        Task other;
        using (gate.Enter())
        {
            using (gate.Enter())
            {
                // the holder's own flow does not wait for itself (Benchmem.Timeout's worker thread)
            }
            using (ExecutionContext.SuppressFlow()) // a test on another worker: the holder's flag does not reach it
                other = Task.Run(() => { using (gate.Enter()) { } });
            Assert.That(other.Wait(100), Is.False, "another flow waits while the gate is held");
        }
        Assert.That(other.Wait(5000), Is.True, "released: the waiting flow goes in");
    }

    [Test]
    public void TheParallelWarningIsGivenOnce()
    {
        var lines = new List<string>();
        var parallel = new ParallelRun(lines.Add);
        parallel.TestStarted();
        Assert.That(parallel.OthersRunning, Is.False);
        parallel.TestStarted();
        Assert.That(parallel.OthersRunning, Is.True);
        parallel.TestFinished();
        Assert.That(parallel.OthersRunning, Is.False);

        parallel.WarnOnce();
        parallel.WarnOnce();
        parallel.WarnAssembliesOnce(["B.Tests"]);
        parallel.WarnAssembliesOnce(["C.Tests"]);

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0], Does.StartWith("Benchmem: WARNING: other tests ran in parallel with benchmarks"));
        Assert.That(lines[1], Does.StartWith("Benchmem: WARNING: test assembly B.Tests of the same dotnet test run ran at the same time"));
    }
}
