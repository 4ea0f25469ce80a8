using System.Globalization;
using System.Text;
using Benchmem.Core.Units;

namespace Benchmem.Core.Reporting;

/// <summary>One benchmark's line in the end-of-run table. Times are nanoseconds per operation; <c>Ops</c> per second.</summary>
public sealed record TableRow(string Name, string? Group, double MinNs, double MaxNs, double MeanNs, double StdDevNs, double MedianNs, double Ops, int Rounds, long Iterations, bool Optimized, IReadOnlyList<MemoryCell> Memory);

/// <summary>One memory number of a row; <c>Column</c> is the header it goes under, e.g. <c>"Alloc/op"</c>, <c>"peak"</c>.</summary>
public sealed record MemoryCell(string Column, MemoryValue Value);

public sealed record MemoryValue(double Amount, MemoryUnit Unit);

public enum MemoryUnit { Bytes, Count }

/// <summary>
/// The end-of-run console table, in pytest-benchmark's shape so its users read it without a manual: one table per
/// group, rows by Min, one time unit per table, and each value's multiplier against the best in its column.
/// Memory columns follow a <c>│</c> divider. Plain text with <c>\n</c> line ends: it goes into CI logs.
/// </summary>
public static class ResultsTable
{
    private const string DebugFlag = " [debug]";
    private const string Divider = " │";
    private const int NameGap = 3;       // pytest-benchmark: name column is 3 wider than its longest text
    private const int ColumnGap = 2;     // ... and every other column 2 wider
    private const int MinNameText = 30;  // shorter names are unrecognisable: overflow maxWidth instead

    public static string Render(IReadOnlyList<TableRow> rows, int maxWidth = 200)
    {
        if (rows.Count == 0)
            return "";
        var output = new StringBuilder();

        // Memory columns keep one order across groups, so the same metric sits in the same place in every table.
        var memoryColumns = rows.SelectMany(r => r.Memory).Select(c => c.Column).Distinct().ToList();
        var groups = rows.GroupBy(r => r.Group)
            .OrderBy(g => g.Key is not null).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var sorted = group.OrderBy(r => r.MinNs).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
            RenderGroup(output, group.Key, sorted, memoryColumns, maxWidth);
            output.Append('\n');
        }

        output.Append("Legend:\n");
        output.Append("  OPS: Operations Per Second, computed as 1 / Mean\n");
        if (rows.Any(r => !r.Optimized))
            output.Append("  [debug] built without optimizations: timings are not representative; run with -c Release\n");
        return output.ToString();
    }

    /// <summary>A right-aligned column: its cells, each with an optional multiplier shown after it.</summary>
    private sealed record Column(string Header, string[] Cells, string[]? Multipliers, bool DividerBefore)
    {
        public int CellWidth { get; } = ColumnGap + Math.Max(Header.Length, Cells.Max(c => c.Length));

        // pytest-benchmark pads every multiplier to 10; the widest one actually present keeps the table
        // narrower, which buys name width at 200 columns.
        public int MultiplierWidth { get; } = Multipliers?.Max(m => m.Length) ?? 0;

        public int Width => (DividerBefore ? Divider.Length : 0) + CellWidth + MultiplierWidth;

        public void Append(StringBuilder line, int row) =>
            Append(line, Cells[row], Multipliers?[row] ?? "");

        public void AppendHeader(StringBuilder line) => Append(line, Header, "");

        private void Append(StringBuilder line, string cell, string multiplier) =>
            line.Append(DividerBefore ? Divider : "").Append(cell.PadLeft(CellWidth)).Append(multiplier.PadRight(MultiplierWidth));
    }

    private static void RenderGroup(StringBuilder output, string? group, List<TableRow> rows, List<string> memoryColumns, int maxWidth)
    {
        // A lone row has nothing to be compared with: no multipliers, as in pytest-benchmark.
        bool compare = rows.Count > 1;
        var (scale, unit) = TimeFormat.ChooseUnit(rows.Min(r => r.MinNs));
        // pytest-benchmark scales OPS by the smallest value, so no row reads 0.0000.
        var (opsScale, opsPrefix) = rows.Min(r => r.Ops) switch { > 1e6 => (1e-6, "M"), > 1e3 => (1e-3, "K"), _ => (1.0, "") };

        Column Time(string header, Func<TableRow, double> value) =>
            Numbers(header, rows.Select(value).ToArray(), v => (v * scale).ToString("N4", CultureInfo.InvariantCulture), lowerIsBetter: true, compare);

        var columns = new List<Column>
        {
            Time("Min", r => r.MinNs), Time("Max", r => r.MaxNs), Time("Mean", r => r.MeanNs),
            Time("StdDev", r => r.StdDevNs), Time("Median", r => r.MedianNs),
            Numbers(opsPrefix == "" ? "OPS" : $"OPS ({opsPrefix}ops/s)", rows.Select(r => r.Ops).ToArray(),
                v => (v * opsScale).ToString("N4", CultureInfo.InvariantCulture), lowerIsBetter: false, compare),
            new("Rounds", rows.Select(r => r.Rounds.ToString(CultureInfo.InvariantCulture)).ToArray(), null, false),
        };
        bool first = true;
        foreach (string name in memoryColumns)
        {
            var cells = rows.Select(r => r.Memory.FirstOrDefault(c => c.Column == name)?.Value).ToArray();
            if (cells.All(c => c is null))
                continue;
            columns.Add(Memory(name, cells, compare, dividerBefore: first));
            first = false;
        }

        string nameHeader = $"Name (time in {unit})";
        var names = rows.Select(r => (r.Name, Suffix: r.Optimized ? "" : DebugFlag)).ToList();
        int nameText = Math.Max(nameHeader.Length, names.Max(n => n.Name.Length + n.Suffix.Length));
        int overflow = NameGap + nameText + columns.Sum(c => c.Width) - maxWidth;
        if (overflow > 0)
            nameText = Math.Max(Math.Max(nameHeader.Length, MinNameText), nameText - overflow);
        int nameWidth = NameGap + nameText;
        int width = nameWidth + columns.Sum(c => c.Width);

        string title = group is null ? "" : $" '{group}'";
        output.Append(TextLayout.Center($" benchmark{title}: {rows.Count} {(rows.Count == 1 ? "test" : "tests")} ", width, '-')).Append('\n');
        var line = new StringBuilder(nameHeader.PadRight(nameWidth));
        columns.ForEach(c => c.AppendHeader(line));
        output.Append(line.ToString().TrimEnd()).Append('\n');
        output.Append('-', width).Append('\n');
        for (int i = 0; i < rows.Count; i++)
        {
            string name = Truncate(names[i].Name, nameText - names[i].Suffix.Length) + names[i].Suffix;
            line.Clear().Append(name.PadRight(nameWidth));
            columns.ForEach(c => c.Append(line, i));
            output.Append(line.ToString().TrimEnd()).Append('\n');
        }
        output.Append('-', width).Append('\n');
    }

    private static Column Numbers(string header, double[] values, Func<double, string> format, bool lowerIsBetter, bool compare)
    {
        double best = lowerIsBetter ? values.Min() : values.Max();
        return new(header, values.Select(format).ToArray(),
            compare ? values.Select(v => TextLayout.Multiplier(best, v)).ToArray() : null, false);
    }

    private static Column Memory(string header, MemoryValue?[] values, bool compare, bool dividerBefore)
    {
        // Less memory is better; a row without this metric shows "-" and takes no part in the best.
        double best = values.Where(v => v is not null).Min(v => v!.Amount);
        var cells = values.Select(v => v is null ? "-"
            : v.Unit == MemoryUnit.Bytes ? ByteSize.Format(v.Amount) : CountFormat.Format(v.Amount)).ToArray();
        var multipliers = compare ? values.Select(v => v is null ? "" : TextLayout.Multiplier(best, v.Amount)).ToArray() : null;
        return new(header, cells, multipliers, dividerBefore);
    }

    /// <summary>
    /// Keeps the end: in <c>Namespace.Type.Method(n: 1000)</c> the end tells the rows apart, the start is the
    /// namespace they mostly share.
    /// </summary>
    private static string Truncate(string name, int max) =>
        name.Length <= max ? name : "…" + name[^(max - 1)..];
}
