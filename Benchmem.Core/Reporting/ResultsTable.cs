using System.Globalization;
using System.Text;
using Benchmem.Core.Units;

namespace Benchmem.Core.Reporting;

/// <summary>One benchmark's line in the end-of-run table. Times are nanoseconds per operation; <c>Ops</c> per second.</summary>
/// <remarks>
/// <c>Timed</c> false: a memory-only row (Benchmem.Timing=false), whose timing cells read "-". <c>Labels</c> are the
/// extra:NAME columns (a dim's value as text, after the name); <c>Extra</c> the text columns after the timing or the
/// memory columns (the inline comparison's baseline and Δ, the Ratio and RatioSD against a baseline benchmark).
/// </remarks>
public sealed record TableRow(string Name, string? Group, double MinNs, double MaxNs, double MeanNs, double StdDevNs, double MedianNs, double Ops, int Rounds, long Iterations, bool Optimized, IReadOnlyList<MemoryCell> Memory)
{
    public bool Timed { get; init; } = true;
    public IReadOnlyList<LabelCell> Labels { get; init; } = [];
    public IReadOnlyList<TextCell> Extra { get; init; } = [];

    /// <summary>A memory-only row: no timing rounds.</summary>
    public static TableRow Untimed(string name, string? group, bool optimized, IReadOnlyList<MemoryCell> memory) =>
        new(name, group, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, optimized, memory) { Timed = false };
}

/// <summary>A label column's value in one row (<c>extra:NAME</c>): left-aligned text, no multiplier; "-" when the row has no such dim.</summary>
public sealed record LabelCell(string Column, string Text);

/// <summary>Which side of the table a text column belongs to: after the timing columns, or after the memory columns.</summary>
public enum TableSide { Timing, Memory }

/// <summary>A right-aligned text column (no multiplier): e.g. <c>time Δ</c> "+12.5%", <c>peak Ratio</c> "1.52".</summary>
public sealed record TextCell(string Column, string Text, TableSide Side);

/// <summary>One memory number of a row; <c>Column</c> is the header it goes under, e.g. <c>"Alloc/op"</c>, <c>"peak"</c>.</summary>
public sealed record MemoryCell(string Column, MemoryValue Value);

/// <summary>A memory number and what it counts (bytes or a count), which decides how it is written.</summary>
public sealed record MemoryValue(double Amount, MetricKind Unit);

/// <summary>How the run's table is laid out: its width and pytest-benchmark's --benchmark-columns / --benchmark-sort.</summary>
/// <param name="MaxWidth">the terminal's width: 120 unless the terminal is known to be wider</param>
/// <param name="TimeColumns">the timing columns to show, in <see cref="ResultsTable.TimeColumnKeys"/>; null: as many as fit</param>
/// <param name="Sort">rows by <c>min</c> (default), <c>max</c>, <c>mean</c>, <c>stddev</c>, <c>median</c> or <c>name</c></param>
/// <param name="Layout"><c>combined</c>: timing and memory side by side; <c>split</c>: per group a timing table, then a memory table</param>
public sealed record RunTableOptions(int MaxWidth = 120, IReadOnlyList<string>? TimeColumns = null, string Sort = "min", string Layout = "combined")
{
    public static RunTableOptions Default { get; } = new();
}

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

    /// <summary>A timing column: its setting key, header and value (nanoseconds, except ops, rounds and iterations).</summary>
    private sealed record TimeColumn(string Key, string Header, Func<TableRow, double> Value);

    private static readonly TimeColumn[] TimeColumns =
    [
        new("min", "Min", r => r.MinNs), new("max", "Max", r => r.MaxNs), new("mean", "Mean", r => r.MeanNs),
        new("stddev", "StdDev", r => r.StdDevNs), new("median", "Median", r => r.MedianNs), new("ops", "OPS", r => r.Ops),
        new("rounds", "Rounds", r => r.Rounds), new("iterations", "Iterations", r => r.Iterations),
    ];

    /// <summary>Timing columns shown when none are chosen, and the order they are left out in when the table would not fit.</summary>
    private static readonly string[] DefaultTimeColumns = ["min", "max", "mean", "stddev", "median", "ops", "rounds"];
    private static readonly string[] LeftOutFirst = ["max", "stddev", "mean", "ops", "rounds", "median"];

    public static string[] TimeColumnKeys { get; } = [.. TimeColumns.Select(c => c.Key)];
    public static string[] SortKeys { get; } = ["min", "max", "mean", "stddev", "median", "name"];

    public static string Render(IReadOnlyList<TableRow> rows, int maxWidth) => Render(rows, RunTableOptions.Default with { MaxWidth = maxWidth });

    public static string Render(IReadOnlyList<TableRow> rows, RunTableOptions? options = null)
    {
        options ??= RunTableOptions.Default;
        if (rows.Count == 0)
            return "";
        var output = new StringBuilder();
        var leftOut = new SortedSet<string>(StringComparer.Ordinal);
        var shown = new HashSet<string>(StringComparer.Ordinal);

        // Memory columns keep one order across groups, so the same metric sits in the same place in every table.
        var memoryColumns = rows.SelectMany(r => r.Memory).Select(c => c.Column).Distinct().ToList();
        var groups = rows.GroupBy(r => r.Group)
            .OrderBy(g => g.Key is not null).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            // Memory-only rows (no time to sort by) come after the timed ones.
            var sorted = (options.Sort == "name" ? group.OrderBy(r => r.Name, StringComparer.Ordinal)
                : group.OrderBy(r => !r.Timed).ThenBy(SortKey(options.Sort)).ThenBy(r => r.Name, StringComparer.Ordinal)).ToList();
            var parts = options.Layout == "split" ? new[] { Part.Timing, Part.Memory } : [Part.Both];
            foreach (var part in parts)
            {
                if (part == Part.Timing && !sorted.Any(r => r.Timed))
                    continue; // a memory-only group has no timing table
                if (part == Part.Memory && !sorted.Any(r => r.Memory.Count > 0 || r.Extra.Any(e => e.Side == TableSide.Memory)))
                    continue;
                var (groupShown, groupLeftOut) = RenderGroup(output, group.Key, sorted, memoryColumns, options, part);
                shown.UnionWith(groupShown);
                leftOut.UnionWith(groupLeftOut);
                output.Append('\n');
            }
        }

        output.Append("Legend:\n");
        foreach (var (applies, text) in Legend)
            if (applies(rows, shown, leftOut))
                AppendWrapped(output, text(leftOut), options.MaxWidth);
        return output.ToString();
    }

    /// <summary>A legend entry, indented by 2 and wrapped at spaces to the width (continuation lines by 4).</summary>
    private static void AppendWrapped(StringBuilder output, string text, int width)
    {
        var line = new StringBuilder("  ");
        foreach (var word in text.Split(' '))
        {
            if (line.Length + 1 + word.Length > width && line.ToString().Trim().Length > 0)
            {
                output.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append("    ");
            }
            else if (line.ToString().Trim().Length > 0)
                line.Append(' ');
            line.Append(word);
        }
        output.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static Func<TableRow, double> SortKey(string sort) =>
        TimeColumns.FirstOrDefault(c => c.Key == sort)?.Value ?? (r => r.MinNs);

    /// <summary>Which columns one rendered table holds: all (combined), or the timing or the memory half (split).</summary>
    private enum Part { Both, Timing, Memory }

    /// <summary>The legend, one entry per symbol the table can show: when it applies, and what it says.</summary>
    private static readonly (Func<IReadOnlyList<TableRow>, ISet<string>, ISet<string>, bool> Applies, Func<ISet<string>, string> Text)[] Legend =
    [
        ((rows, _, _) => rows.Count > 1, _ => "(N.NN): the value divided by the best in its column in this table (the smallest non-zero; "
            + "for OPS the largest): 1.0 is the best, (0) a zero"),
        ((_, shown, _) => shown.Contains("ops"), _ => "OPS: Operations Per Second, computed as 1 / Mean"),
        ((rows, _, _) => rows.Any(r => !r.Timed), _ => "-: not measured; a memory-only benchmark (Timing = false, Benchmem.Timing=false) has no timing rounds"),
        ((rows, _, _) => rows.Any(r => r.Extra.Any(e => e.Column.EndsWith(" base", StringComparison.Ordinal))),
            _ => "METRIC base, METRIC Δ: the same benchmark in the baseline (Benchmem.CompareTo) and the change from it (time: the median); "
                + "Benchmem.CompareFail gates it"),
        ((rows, _, _) => rows.Any(r => r.Extra.Any(e => e.Column.EndsWith(" Ratio", StringComparison.Ordinal))),
            _ => "METRIC Ratio, RatioSD: the value divided by the group's [Benchmark(Baseline = true)] (time: mean over mean, as BenchmarkDotNet; "
                + "RatioSD the spread of the rounds' ratios), (B) marks the baseline"),
        ((_, shown, _) => shown.Contains(Divider.Trim()), _ => "│: timing (left, from the timed rounds) | memory (right: Alloc/op from the timed calls, "
            + "the others from separate memory passes)"),
        ((rows, _, _) => rows.Any(r => r.Memory.Any(c => c.Column == "Alloc/op" || c.Column == "Alloc/op*"))
            && rows.Any(r => r.Memory.Any(c => c.Column.StartsWith("peak", StringComparison.Ordinal))),
            _ => "Alloc/op counts every byte a call allocates, freed or not; peak is the most the heap held at once during one call "
                + "above its start, so garbage a GC freed mid-call lowers it and it is smaller than Alloc/op for churn, near it for kept data"),
        ((rows, _, _) => rows.Any(r => r.Memory.Any(c => c.Column.EndsWith('*'))),
            _ => "Alloc/op*: other threads allocated during the calls, so it is the total of all threads, not the calling thread's alone"),
        ((rows, _, _) => rows.Any(r => !r.Optimized), _ => "[debug] built without optimizations: timings are not representative; run with -c Release"),
        ((_, _, leftOut) => leftOut.Count > 0, leftOut => $"left out to fit the width: {string.Join(", ", leftOut)} "
            + "(Benchmem.TimingColumns chooses the timing columns; a wider terminal, or COLUMNS, shows more)"),
    ];

    /// <summary>A right-aligned column: its cells, each with an optional multiplier shown after it.</summary>
    private sealed record Column(string Header, string[] Cells, string[]? Multipliers, bool DividerBefore)
    {
        /// <summary>Label columns read as text: left-aligned after the gap.</summary>
        public bool LeftAligned { get; init; }

        public int CellWidth { get; } = ColumnGap + Math.Max(Header.Length, Cells.Max(c => c.Length));

        // pytest-benchmark pads every multiplier to 10; the widest one actually present keeps the table
        // narrower, which buys name width at 200 columns.
        public int MultiplierWidth { get; } = Multipliers?.Max(m => m.Length) ?? 0;

        public int Width => (DividerBefore ? Divider.Length : 0) + CellWidth + MultiplierWidth;

        public void Append(StringBuilder line, int row) =>
            Append(line, Cells[row], Multipliers?[row] ?? "");

        public void AppendHeader(StringBuilder line) => Append(line, Header, "");

        private void Append(StringBuilder line, string cell, string multiplier) =>
            line.Append(DividerBefore ? Divider : "")
                .Append(LeftAligned ? new string(' ', ColumnGap) + cell.PadRight(CellWidth - ColumnGap) : cell.PadLeft(CellWidth))
                .Append(multiplier.PadRight(MultiplierWidth));
    }

    /// <summary>Renders one group's table; returns the timing columns it shows and those it left out to fit the width.</summary>
    private static (List<string> Shown, List<string> LeftOut) RenderGroup(StringBuilder output, string? group, List<TableRow> rows, List<string> memoryColumns,
        RunTableOptions options, Part part)
    {
        int maxWidth = options.MaxWidth;
        // A lone row has nothing to be compared with: no multipliers, as in pytest-benchmark.
        bool compare = rows.Count > 1;
        var timed = rows.Where(r => r.Timed).ToList();
        bool showTiming = part != Part.Memory && timed.Count > 0;
        bool showMemory = part != Part.Timing;
        // One unit per table, chosen at the geometric middle of the rows' minimums: pytest-benchmark takes the smallest,
        // which writes a 31 ms row beside a 10 ns one as 31,343,225.0000 ns.
        var (scale, unit) = timed.Count == 0 ? (1.0, "ns") : TimeFormat.ChooseUnit(Math.Exp(timed.Average(r => Math.Log(Math.Max(r.MinNs, 1e-3)))));
        // pytest-benchmark scales OPS by the smallest value, so no row reads 0.0000.
        var (opsScale, opsPrefix) = (timed.Count == 0 ? 0 : timed.Min(r => r.Ops)) switch { > 1e6 => (1e-6, "M"), > 1e3 => (1e-3, "K"), _ => (1.0, "") };

        Column Time(TimeColumn c) => c.Key switch
        {
            "ops" => Numbers(opsPrefix == "" ? "OPS" : $"OPS ({opsPrefix}ops/s)", rows, c.Value,
                v => (v * opsScale).ToString("N4", CultureInfo.InvariantCulture), lowerIsBetter: false, compare),
            "rounds" or "iterations" => new(c.Header, rows.Select(r => r.Timed ? c.Value(r).ToString("N0", CultureInfo.InvariantCulture) : "-").ToArray(), null, false),
            _ => Numbers(c.Header, rows, c.Value, v => (v * scale).ToString("N4", CultureInfo.InvariantCulture), lowerIsBetter: true, compare),
        };

        var memory = new List<Column>();
        if (showMemory)
        {
            foreach (string name in memoryColumns)
            {
                var cells = rows.Select(r => r.Memory.FirstOrDefault(c => c.Column == name)?.Value).ToArray();
                if (cells.All(c => c is null))
                    continue;
                memory.Add(Memory(name, cells, compare, dividerBefore: memory.Count == 0 && showTiming));
            }
            memory.AddRange(TextColumns(rows, TableSide.Memory, dividerBefore: memory.Count == 0 && showTiming));
        }
        var timingExtra = showTiming ? TextColumns(rows, TableSide.Timing, dividerBefore: false) : [];
        var labels = Labels(rows);

        string nameHeader = showTiming ? $"Name (time in {unit})" : "Name";
        var names = rows.Select(r => (r.Name, Suffix: r.Optimized ? "" : DebugFlag)).ToList();
        int fullName = Math.Max(nameHeader.Length, names.Max(n => n.Name.Length + n.Suffix.Length));

        // Chosen columns are shown as given; otherwise the defaults, leaving out the least telling until the names fit.
        var keys = showTiming ? (options.TimeColumns ?? DefaultTimeColumns).ToList() : [];
        var leftOut = new List<string>();
        List<Column> Columns() => [.. labels, .. TimeColumns.Where(c => keys.Contains(c.Key)).OrderBy(c => keys.IndexOf(c.Key)).Select(Time), .. timingExtra, .. memory];
        var columns = Columns();
        if (options.TimeColumns is null && showTiming)
        {
            foreach (var key in LeftOutFirst)
            {
                if (NameGap + fullName + columns.Sum(c => c.Width) <= maxWidth)
                    break;
                keys.Remove(key);
                leftOut.Add(key);
                columns = Columns();
            }
        }

        int nameText = fullName;
        int overflow = NameGap + nameText + columns.Sum(c => c.Width) - maxWidth;
        if (overflow > 0)
            nameText = Math.Max(Math.Max(nameHeader.Length, MinNameText), nameText - overflow);
        int nameWidth = NameGap + nameText;
        int width = nameWidth + columns.Sum(c => c.Width);

        string title = group is null ? "" : $" '{group}'";
        string half = part switch { Part.Timing => " (timing)", Part.Memory => " (memory)", _ => "" };
        output.Append(TextLayout.Center($" benchmark{title}: {rows.Count} {(rows.Count == 1 ? "test" : "tests")}{half} ", width, '-')).Append('\n');
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
        return (columns.Any(c => c.DividerBefore) ? [.. keys, Divider.Trim()] : keys, leftOut);
    }

    private static Column Numbers(string header, List<TableRow> rows, Func<TableRow, double> value, Func<double, string> format, bool lowerIsBetter, bool compare)
    {
        // A memory-only row has no value here: "-", and no part in the best.
        var values = rows.Where(r => r.Timed).Select(value).ToList();
        double best = lowerIsBetter ? TextLayout.SmallestNonZero(values) : values.DefaultIfEmpty(0).Max();
        return new(header, rows.Select(r => r.Timed ? format(value(r)) : "-").ToArray(),
            compare ? rows.Select(r => r.Timed ? TextLayout.Multiplier(best, value(r)) : "").ToArray() : null, false);
    }

    /// <summary>The text columns of one side, in the order they first appear; "" where a row has none.</summary>
    private static List<Column> TextColumns(List<TableRow> rows, TableSide side, bool dividerBefore)
    {
        var names = rows.SelectMany(r => r.Extra).Where(e => e.Side == side).Select(e => e.Column).Distinct().ToList();
        return [.. names.Select((name, i) => new Column(name,
            rows.Select(r => r.Extra.FirstOrDefault(e => e.Column == name && e.Side == side)?.Text ?? "").ToArray(), null, dividerBefore && i == 0))];
    }

    /// <summary>The extra:NAME label columns, left-aligned after the name.</summary>
    private static List<Column> Labels(List<TableRow> rows)
    {
        var names = rows.SelectMany(r => r.Labels).Select(l => l.Column).Distinct().ToList();
        return [.. names.Select(name => new Column(name,
            rows.Select(r => r.Labels.FirstOrDefault(l => l.Column == name)?.Text ?? "-").ToArray(), null, false) { LeftAligned = true })];
    }

    private static Column Memory(string header, MemoryValue?[] values, bool compare, bool dividerBefore)
    {
        // Less memory is better; a row without this metric shows "-" and takes no part in the best.
        double best = TextLayout.SmallestNonZero(values.Where(v => v is not null).Select(v => v!.Amount));
        var cells = values.Select(v => v is null ? "-" : v.Unit.Format(v.Amount)).ToArray();
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
