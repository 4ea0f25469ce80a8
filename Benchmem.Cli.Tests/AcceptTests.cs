using Benchmem.Cli.Tests.Infrastructure;
using Benchmem.Core.Snapshots;

namespace Benchmem.Cli.Tests;

/// <summary><c>benchmem accept</c> through the real process, on real snapshot files.</summary>
public class AcceptTests
{
    private TempDirectory _dir = null!;
    private string _lock = null!;

    [SetUp]
    public void Folder()
    {
        _dir = new TempDirectory();
        _lock = _dir.File("benchmem.lock.json");
    }

    [TearDown]
    public void Delete() => _dir.Dispose();

    private static SnapshotEntry Entry(long strings, long other = 1) =>
        new(strings + other, strings * 48 + other * 32, 1, [new SnapshotType("System.String", strings, strings * 48), new SnapshotType("Sample.Thing", other, other * 32)]);

    [Test]
    public void TakesTheChangedAndNewAndKeepsTheUnmeasured()
    {
        new AllocationSnapshot { Benchmarks = { ["A.Changed"] = Entry(50), ["A.Unmeasured"] = Entry(3) } }.Save(_lock);
        new AllocationSnapshot { Benchmarks = { ["A.Changed"] = Entry(51), ["A.New"] = Entry(2) } }.Save(AllocationSnapshot.PendingPath(_lock));

        var result = Tool.Run("accept", _lock);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            "changed: A.Changed: allocations 51 → 52 (+1), bytes 2,432 → 2,480 (+48)",
            "  System.String: 50 (2,400 B) → 51 (2,448 B)",
            "new: A.New: 3 allocations, 128 B",
            $"Accepted 1 changed and 1 new benchmark(s) into {_lock} (3 in all).",
        }));
        var accepted = AllocationSnapshot.Load(_lock);
        Assert.That(accepted.Benchmarks.Keys, Is.EqualTo(new[] { "A.Changed", "A.New", "A.Unmeasured" }));
        Assert.That(accepted.Benchmarks["A.Changed"].Allocations, Is.EqualTo(52));
        Assert.That(accepted.Benchmarks["A.Unmeasured"].Allocations, Is.EqualTo(4));
        Assert.That(File.Exists(AllocationSnapshot.PendingPath(_lock)), Is.False, "the pending file is used up");
    }

    [Test]
    public void NothingPendingIsOneLineAndExit2()
    {
        new AllocationSnapshot { Benchmarks = { ["A.X"] = Entry(1) } }.Save(_lock);

        var result = Tool.Run("accept", _lock);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr.TrimEnd(), Is.EqualTo($"benchmem: nothing to accept: no {AllocationSnapshot.PendingPath(_lock)}. A run with "
            + "Benchmem.Snapshot=benchmem.lock.json leaves one only when a benchmark's counts changed or are new (a run that matches, or the first one, "
            + "which writes the snapshot itself, leaves none)."));
        Assert.That(AllocationSnapshot.Load(_lock).Benchmarks["A.X"].Allocations, Is.EqualTo(2), "untouched");
    }

    [Test]
    public void AMalformedPendingFileIsRefusedAndNothingChanges()
    {
        new AllocationSnapshot { Benchmarks = { ["A.X"] = Entry(1) } }.Save(_lock);
        var before = File.ReadAllText(_lock);
        File.WriteAllText(AllocationSnapshot.PendingPath(_lock), "{\"SchemaVersion\":1,\"Benchmarks\":{\"A.X\":{\"Allocations\":-3,\"AllocatedBytes\":0,\"Calls\":1,\"Types\":[]}}}");

        var result = Tool.Run("accept", _lock);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr.TrimEnd(), Is.EqualTo($"benchmem: {AllocationSnapshot.PendingPath(_lock)}: benchmark A.X is malformed (expected Allocations and "
            + "AllocatedBytes of 0 or more, Calls of 1 or more, and Types)."));
        Assert.That(File.ReadAllText(_lock), Is.EqualTo(before));
    }
}
