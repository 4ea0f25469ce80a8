using Benchmem.Core.Reporting;

namespace Benchmem.Core.Tests.Reporting;

public class ResultsTableTests
{
    private static TableRow Row(string name, double minNs, params MemoryCell[] memory)
    {
        // Spread the other statistics from Min so every column has distinct, predictable values.
        double mean = minNs * 1.25;
        return new(name, Group: null, minNs, minNs * 2, mean, minNs * 0.1, minNs * 1.2, 1e9 / mean, Rounds: 100, Iterations: 1000, Optimized: true, memory);
    }

    private static MemoryCell Bytes(string column, double amount) => new(column, new MemoryValue(amount, MemoryUnit.Bytes));
    private static MemoryCell Count(string column, double amount) => new(column, new MemoryValue(amount, MemoryUnit.Count));

    [Test]
    public void Groups()
    {
        // Out of order on purpose: groups print null first then by name, rows by Min.
        TableRow[] rows =
        [
            Row("Sort(n: 100000)", 1_900_000),
            Row("ReadFile", 2_500_000_000) with { Group = "io" },
            Row("Sort(n: 1000)", 12_345.6789),
            Row("ParseJson", 512.34) with { Group = "parsing" },
            Row("WriteFile", 1_250_000_000) with { Group = "io" },
            Row("Sort(n: 10000)", 150_000),
        ];
        Golden.AssertMatches(ResultsTable.Render(rows), "Groups.txt");
    }

    [Test]
    public void MemoryColumnsAndDebugFlag()
    {
        TableRow[] rows =
        [
            Row("Concat", 2_000,
                Bytes("Alloc/op", 4_299_161.6), Count("allocations", 10_000), Bytes("peak", 122_683_392)) with { Optimized = false },
            Row("Builder", 800,
                Bytes("Alloc/op", 1_536), Count("allocations", 12), Bytes("peak", 812)),
            Row("Span", 450,
                Bytes("Alloc/op", 0), Count("allocations", 0)),   // no peak measured: "-"
            Row("Pool", 300), // no memory at all
        ];
        Golden.AssertMatches(ResultsTable.Render(rows), "Memory.txt");
    }

    [Test]
    public void LongNamesAreCutAtTheStartToFitMaxWidth()
    {
        TableRow[] rows =
        [
            Row("Benchmem.Examples.Serialization.JsonRoundTripBenchmarks.SerializeThenDeserialize(size: 1000)", 50_000,
                Bytes("Alloc/op", 48_000)) with { Optimized = false },
            Row("Benchmem.Examples.Serialization.JsonRoundTripBenchmarks.SerializeThenDeserialize(size: 100000)", 5_200_000,
                Bytes("Alloc/op", 4_900_000)),
            Row("Short", 70_000, Bytes("Alloc/op", 52_000)),
        ];
        string table = ResultsTable.Render(rows);
        Golden.AssertMatches(table, "LongNames.txt");
        Assert.That(table.Split('\n').Max(l => l.Length), Is.EqualTo(200));
    }

    [Test]
    public void NamesStayRecognisableWhenNothingFits()
    {
        var row = Row("Benchmem.Examples.Serialization.JsonRoundTripBenchmarks.SerializeThenDeserialize(size: 1000)", 50_000);
        string[] lines = ResultsTable.Render([row], maxWidth: 40).Split('\n');
        Assert.That(lines[3], Does.StartWith("…" + row.Name[^29..] + "   "));
    }

    [Test]
    public void WideEnoughTableKeepsFullNames()
    {
        var row = Row("Benchmem.Examples.Serialization.JsonRoundTripBenchmarks.SerializeThenDeserialize(size: 1000)", 50_000);
        Assert.That(ResultsTable.Render([row]), Does.Contain(row.Name + "   "));
    }

    [Test]
    public void IsPlainText()
    {
        string table = ResultsTable.Render([Row("A", 1_000, Bytes("peak", 10)) with { Optimized = false }, Row("B", 2_000, Bytes("peak", 20))]);
        // No ANSI escapes, no \r: only \n is a control character.
        Assert.That(table.Where(c => char.IsControl(c) && c != '\n'), Is.Empty);
        Assert.That(table.Split('\n').Where(l => l.EndsWith(' ')), Is.Empty, "trailing spaces");
    }

    [Test]
    public void EmptyRunRendersNothing() => Assert.That(ResultsTable.Render([]), Is.Empty);
}
