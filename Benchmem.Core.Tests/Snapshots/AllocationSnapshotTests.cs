using Benchmem.Core.Errors;
using Benchmem.Core.Snapshots;

namespace Benchmem.Core.Tests.Snapshots;

/// <summary>The allocation snapshot file: round trip, differences in words, and bad files refused with the fix.</summary>
public class AllocationSnapshotTests
{
    private string _dir = "";

    [SetUp]
    public void Folder() => _dir = Directory.CreateTempSubdirectory("benchmem-snapshot-").FullName;

    [TearDown]
    public void Delete() => Directory.Delete(_dir, recursive: true);

    private static SnapshotEntry Entry(long strings, long lists = 1) =>
        new(strings + lists, strings * 48 + lists * 32, 1, [new SnapshotType("System.String", strings, strings * 48), new SnapshotType("System.Collections.Generic.List<Object>", lists, lists * 32)]);

    [Test]
    public void RoundTripsSortedAndIndented()
    {
        var path = Path.Combine(_dir, "benchmem.lock.json");
        new AllocationSnapshot { Benchmarks = { ["B.Second"] = Entry(2), ["A.First"] = Entry(1) } }.Save(path);

        var text = File.ReadAllText(path);
        Assert.That(text.IndexOf("A.First", StringComparison.Ordinal), Is.LessThan(text.IndexOf("B.Second", StringComparison.Ordinal)));
        Assert.That(text, Does.Contain("\n  \"Benchmarks\": {"));
        var read = AllocationSnapshot.Load(path);
        Assert.That(read.Benchmarks["B.Second"], Is.EqualTo(Entry(2)).Using<SnapshotEntry>((a, b) =>
            a.Allocations == b.Allocations && a.AllocatedBytes == b.AllocatedBytes && a.Calls == b.Calls && a.Types.SequenceEqual(b.Types)));
        Assert.That(AllocationSnapshot.PendingPath(path), Is.EqualTo(Path.Combine(_dir, "benchmem.lock.pending.json")));
    }

    [Test]
    public void ADifferenceNamesTotalsAndTheTypesThatMoved()
    {
        Assert.That(AllocationSnapshot.Difference(Entry(3), Entry(3)), Is.Null);
        Assert.That(AllocationSnapshot.Difference(Entry(3), Entry(1, lists: 2)), Is.EqualTo(
            "allocations 4 → 3 (-1), bytes 176 → 112 (-64)" + Environment.NewLine
            + "  System.Collections.Generic.List<Object>: 1 (32 B) → 2 (64 B)" + Environment.NewLine
            + "  System.String: 3 (144 B) → 1 (48 B)"));
        var gone = Entry(3) with { Types = [new SnapshotType("System.String", 3, 144)] };
        Assert.That(AllocationSnapshot.Difference(Entry(2), gone), Does.Contain(Environment.NewLine + "  System.Collections.Generic.List<Object>: 1 (32 B) → not among the top types" + Environment.NewLine));
    }

    [TestCase("", "is not an allocation snapshot (")]
    [TestCase("{\"SchemaVersion\":1}", "is not an allocation snapshot (no Benchmarks object); restore it from version control, or delete it to write a new one.")]
    [TestCase("{\"SchemaVersion\":9,\"Benchmarks\":{}}", "was written by a newer Benchmem (snapshot schema 9; this one reads 1): update Benchmem.")]
    [TestCase("{\"SchemaVersion\":1,\"Benchmarks\":{\"X\":{\"Allocations\":1,\"AllocatedBytes\":8,\"Calls\":0,\"Types\":[]}}}",
        ": benchmark X is malformed (expected Allocations and AllocatedBytes of 0 or more, Calls of 1 or more, and Types).")]
    public void ABadFileIsRefusedNamingItAndTheFix(string content, string expected)
    {
        var path = Path.Combine(_dir, "benchmem.lock.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<ResultsFileException>(() => AllocationSnapshot.Load(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain(expected));
    }
}
