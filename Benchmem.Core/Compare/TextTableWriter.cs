using System.Runtime.CompilerServices;
using System.Text;

namespace Benchmem.Core.Compare;

/// <summary>
/// The aligned plain-text table: a titled rule per section, one header, a block of rows per benchmark. Widths are
/// shared by all sections, so the same metric sits in the same place in each.
/// </summary>
internal static class TextTableWriter
{
    private const int NameGap = 3;   // as the run's own table: the name column is 3 wider than its longest text
    private const int ColumnGap = 2; // ... and every other column 2 wider

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Write(TableModel model)
    {
        var output = new StringBuilder();
        var rows = model.Sections.SelectMany(s => s.Rows).ToList();
        if (rows.Count == 0)
            return "No benchmarks to compare.\n";

        // Every cell once, to size the columns and then print them.
        var cells = rows.ToDictionary(r => r, r => model.Columns.Select((c, i) => TableCells.For(c, r.Values[i], model.Options.Diff)).ToArray());
        int nameWidth = NameGap + Math.Max("Benchmark".Length, rows.Max(r => r.Name.Length));
        int runWidth = ColumnGap + Math.Max("Run".Length, model.Labels.Max(l => l.Length));
        var valueWidths = new int[model.Columns.Count];
        var multiplierWidths = new int[model.Columns.Count];
        for (int c = 0; c < model.Columns.Count; c++)
        {
            var column = cells.Values.SelectMany(r => r[c]).ToList();
            valueWidths[c] = ColumnGap + Math.Max(model.Columns[c].Header.Length, column.Max(x => x.Text.Length));
            multiplierWidths[c] = column.Max(x => x.Multiplier.Length);
        }
        int width = nameWidth + runWidth + valueWidths.Sum() + multiplierWidths.Sum();
        var highlight = model.Options.Highlight;

        foreach (var section in model.Sections)
        {
            int benchmarks = section.Rows.Count;
            string title = $" {section.Title ?? "compare"}: {benchmarks} {(benchmarks == 1 ? "benchmark" : "benchmarks")}, {model.Labels.Count} {(model.Labels.Count == 1 ? "run" : "runs")} ";
            output.Append(Reporting.TextLayout.Center(title, width, '-')).Append('\n');
            var line = new StringBuilder();
            line.Append("Benchmark".PadRight(nameWidth)).Append("Run".PadRight(runWidth));
            for (int c = 0; c < model.Columns.Count; c++)
                line.Append(model.Columns[c].Header.PadLeft(valueWidths[c])).Append(' ', multiplierWidths[c]);
            output.Append(line.ToString().TrimEnd()).Append('\n');
            output.Append('-', width).Append('\n');
            foreach (var row in section.Rows)
            {
                for (int run = 0; run < model.Labels.Count; run++)
                {
                    line.Clear();
                    line.Append((run == 0 ? row.Name : "").PadRight(nameWidth)).Append(model.Labels[run].PadRight(runWidth));
                    for (int c = 0; c < model.Columns.Count; c++)
                    {
                        var cell = cells[row][c][run];
                        int pad = valueWidths[c] - cell.Text.Length;
                        string text = cell.Text + cell.Multiplier;
                        // Padding stays outside the highlight, so escape codes never shift the alignment.
                        if (highlight is not null && cell.Rank is { } rank)
                            text = highlight(text, rank);
                        line.Append(' ', pad).Append(text).Append(' ', multiplierWidths[c] - cell.Multiplier.Length);
                    }
                    output.Append(line.ToString().TrimEnd()).Append('\n');
                }
            }
            output.Append('-', width).Append('\n');
            output.Append('\n');
        }

        output.Append("Legend:\n");
        foreach (string legend in TableCells.Legend(model))
            output.Append("  ").Append(legend).Append('\n');
        var missing = TableCells.MissingLines(model);
        if (missing.Count > 0)
        {
            output.Append("Not in every run:\n");
            foreach (string m in missing)
                output.Append("  ").Append(m).Append('\n');
        }
        return output.ToString();
    }
}
