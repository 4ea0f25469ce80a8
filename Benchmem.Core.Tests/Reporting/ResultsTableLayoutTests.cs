using Benchmem.Core.Reporting;
using Benchmem.Core.Units;

namespace Benchmem.Core.Tests.Reporting;

/// <summary>Issue 17's table: memory-only rows, split layout, extra:NAME label columns and text columns (baseline/Δ, ratios).</summary>
public class ResultsTableLayoutTests
{
    private static TableRow Row(string name, double minNs, params MemoryCell[] memory) =>
        new(name, Group: null, minNs, minNs * 2, minNs * 1.25, minNs * 0.1, minNs * 1.2, 1e9 / (minNs * 1.25), Rounds: 100, Iterations: 1000, Optimized: true, memory);

    private static MemoryCell Bytes(string column, double amount) => new(column, new MemoryValue(amount, MetricKind.Bytes));

    private static string Render(TableRow[] rows, string layout = "combined")
    {
        var table = ResultsTable.Render(rows, new RunTableOptions(MaxWidth: 120, TimeColumns: ["min", "median"], Layout: layout));
        return table;
    }

    [Test]
    public void MemoryOnlyRows_ShowDashesForTiming_AndTakeNoPartInTheBest()
    {
        var table = Render(
        [
            Row("Fast", 1_000, Bytes("peak", 2048)),
            TableRow.Untimed("MemoryOnly", null, optimized: true, [Bytes("peak", 1024)]),
        ]);
        var lines = table.Split('\n');
        Assert.That(lines[3], Is.EqualTo("Fast                  1,000.0000 (1.0)  1,200.0000 (1.0) │  2.00 KiB (2.00)"));
        Assert.That(lines[4], Is.EqualTo("MemoryOnly                     -                 -       │  1.00 KiB (1.0)"), "after the timed rows; its peak is the best");
        Assert.That(table, Does.Contain("-: not measured; a memory-only benchmark (Timing = false, Benchmem.Timing=false) has no timing rounds"));
    }

    [Test]
    public void AllMemoryOnly_HasNoTimingColumnsAtAll()
    {
        var lines = Render([TableRow.Untimed("A", null, true, [Bytes("peak", 1024)]), TableRow.Untimed("B", null, true, [Bytes("peak", 4096)])]).Split('\n');
        Assert.That(lines[0], Is.EqualTo("-- benchmark: 2 tests --"));
        Assert.That(lines[1], Is.EqualTo("Name         peak"));
        Assert.That(lines[3], Is.EqualTo("A        1.00 KiB (1.0)"));
        Assert.That(lines[4], Is.EqualTo("B        4.00 KiB (4.00)"));
    }

    [Test]
    public void Split_PrintsATimingTableThenAMemoryTable_LabelsInBoth()
    {
        TableRow[] rows =
        [
            Row("Sort(n: 10)", 1_000, Bytes("peak", 2048)) with
            {
                Labels = [new LabelCell("n", "10")],
                Extra = [new TextCell("time Δ", "+5.0%", TableSide.Timing), new TextCell("peak Δ", "0.0%", TableSide.Memory)],
            },
            Row("Sort(n: 100)", 3_000, Bytes("peak", 8192)) with { Labels = [new LabelCell("n", "100")] },
        ];
        var table = Render(rows, "split");
        var lines = table.Split('\n');
        Assert.That(lines[0], Does.Contain(" benchmark: 2 tests (timing) "));
        Assert.That(lines[1], Is.EqualTo("Name (time in us)     n       Min         Median         time Δ"));
        Assert.That(lines[3], Is.EqualTo("Sort(n: 10)           10   1.0000 (1.0)   1.2000 (1.0)    +5.0%"));
        Assert.That(lines[4], Is.EqualTo("Sort(n: 100)          100  3.0000 (3.00)  3.6000 (3.00)"));
        Assert.That(lines[7], Is.EqualTo("-------- benchmark: 2 tests (memory) --------"));
        Assert.That(lines[8], Is.EqualTo("Name             n        peak         peak Δ"));
        Assert.That(lines[10], Is.EqualTo("Sort(n: 10)      10   2.00 KiB (1.0)     0.0%"));
        Assert.That(lines[11], Is.EqualTo("Sort(n: 100)     100  8.00 KiB (4.00)"));
        Assert.That(table, Does.Not.Contain("│"), "no divider, and no legend line for one: the halves are tables of their own");
    }
}
