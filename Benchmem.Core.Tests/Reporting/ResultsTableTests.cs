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

    private static MemoryCell Bytes(string column, double amount) => new(column, new MemoryValue(amount, Benchmem.Core.Units.MetricKind.Bytes));
    private static MemoryCell Count(string column, double amount) => new(column, new MemoryValue(amount, Benchmem.Core.Units.MetricKind.Count));

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
        string table = ResultsTable.Render(rows, new RunTableOptions(MaxWidth: 200, TimeColumns: ResultsTable.TimeColumnKeys[..7]));
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

    private static TableRow Typical(string name, double minNs, double alloc, double peak) =>
        Row(name, minNs, Bytes("Alloc/op", alloc), Bytes("peak", peak));

    [Test]
    public void ByDefaultFits120Columns_KeepingFullNames_AndSaysWhatItLeftOut()
    {
        TableRow[] rows =
        [
            Typical("StringBenchmarks.Builder(parts: 100)", 700, 2_000, 1_800),
            Typical("DictionaryBenchmarks.Fill(size: 100000)", 31_343_225, 5_000_000, 4_000_000),
            Typical("JsonBenchmarks.SerializeThenDeserialize(n: 1000)", 50_000, 48_000, 40_000),
        ];
        string table = ResultsTable.Render(rows);
        var lines = table.Split('\n');
        Assert.That(lines.Max(l => l.Length), Is.LessThanOrEqualTo(120), table);
        foreach (var row in rows)
            Assert.That(table, Does.Contain(row.Name + "  "), "names are not cut");
        Assert.That(lines[1], Does.Match(@"^Name \(time in us\) +Min +│  Alloc/op +peak$"), "49-character names leave room for Min only");
        Assert.That(table, Does.Contain("  left out to fit the width: "));
        // The unit sits between the rows: 31 ms reads 31,343.2250 us, not 31,343,225.0000 ns.
        Assert.That(table, Does.Contain("31,343.2250"));
        Assert.That(ResultsTable.Render(rows, new RunTableOptions(MaxWidth: 300)), Does.Not.Contain("left out"), "a wide terminal shows all");
    }

    [Test]
    public void ChosenColumnsAndSort_AreShownAsGiven()
    {
        TableRow[] rows = [Typical("B", 2_000, 10, 10), Typical("A", 3_000, 10, 10), Typical("C", 1_000, 10, 10)];
        var lines = ResultsTable.Render(rows, new RunTableOptions(TimeColumns: ["median", "rounds"], Sort: "name")).Split('\n');
        Assert.That(lines[1], Does.Match(@"^Name \(time in us\) +Median +Rounds │  Alloc/op +peak$"));
        Assert.That(lines.Skip(3).Take(3).Select(l => l[0]), Is.EqualTo(new[] { 'A', 'B', 'C' }));
    }

    [Test]
    public void MultipliersAreNumbers_AZeroBestIsNotInfinity()
    {
        TableRow[] rows = [Typical("Zero", 1_000, 0, 800), Typical("Small", 2_000, 1_000, 800), Typical("Huge", 3_000, 2_798_000, 800)];
        string table = ResultsTable.Render(rows, new RunTableOptions(TimeColumns: ["min"]));
        Assert.That(table, Does.Contain("0 B (0)").And.Contain("1000 B (1.0)").And.Contain("2.67 MiB (2,798)"));
        Assert.That(table, Does.Not.Contain("(inf)").And.Not.Contain(">1000"));
    }

    [Test]
    public void LegendExplainsEverySymbolShown()
    {
        TableRow[] rows = [Typical("A", 1_000, 100, 80), Row("B", 2_000, Bytes("Alloc/op*", 200), Bytes("peak", 90))];
        string legend = ResultsTable.Render(rows)[ResultsTable.Render(rows).IndexOf("Legend:", StringComparison.Ordinal)..];
        Assert.That(legend, Does.Contain("(N.NN): the value divided by the best in its column"));
        Assert.That(legend, Does.Contain("│: timing (left"));
        Assert.That(legend, Does.Contain("Alloc/op*: other threads allocated"));
        Assert.That(legend, Does.Contain("Alloc/op counts every byte a call allocates, freed or not; peak is the most the heap held at once"));
        Assert.That(ResultsTable.Render([Row("A", 1_000)]), Does.Not.Contain("│:").And.Not.Contain("(N.NN)"), "only what the table shows");
    }
}
