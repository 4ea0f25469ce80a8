using System.Globalization;

namespace Benchmem.Core.Compare;

/// <summary>One shown cell: the value (or change), its multiplier against the best run (" (1.04)"), and its rank.</summary>
internal readonly record struct TableCell(string Text, string Multiplier, CellRank? Rank);

/// <summary>Turns a row's numbers into the cells text and markdown show, the same way for both.</summary>
internal static class TableCells
{
    public const string Missing = "-";

    /// <summary>The cells of one column of one row, one per run.</summary>
    public static TableCell[] For(TableColumn column, double?[] values, bool diff)
    {
        var cells = new TableCell[values.Length];
        if (diff)
        {
            // The first run is the baseline: its values as they are, every later run as the change against it.
            cells[0] = new TableCell(values[0] is { } b ? column.Field.Format(b) : Missing, "", null);
            for (int run = 1; run < values.Length; run++)
            {
                if (values[0] is not { } baseline || values[run] is not { } value)
                {
                    cells[run] = new TableCell(Missing, "", null);
                    continue;
                }
                string change = Metric.FormatChange(Metric.ChangePercent(baseline, value));
                CellRank? rank = change.StartsWith('+') ? CellRank.Worst : change.StartsWith('-') ? CellRank.Best : null;
                cells[run] = new TableCell(change, "", rank);
            }
            return cells;
        }

        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        // A value alone has nothing to be compared with: no multiplier, as in pytest-benchmark.
        bool compare = present.Count > 1;
        bool lowerIsBetter = !column.Field.HigherIsBetter;
        double best = !compare ? 0 : lowerIsBetter ? present.Min() : present.Max(), worst = !compare ? 0 : lowerIsBetter ? present.Max() : present.Min();
        for (int run = 0; run < values.Length; run++)
        {
            if (values[run] is not { } value)
            {
                cells[run] = new TableCell(Missing, "", null);
                continue;
            }
            CellRank? rank = !compare || best == worst ? null : value == best ? CellRank.Best : value == worst ? CellRank.Worst : null;
            cells[run] = new TableCell(column.Field.Format(value), compare ? Multiplier(best, value) : "", rank);
        }
        return cells;
    }

    /// <summary>The run's own table's "(N.NN)" against the best, so both tables read the same.</summary>
    public static string Multiplier(double best, double value) => Reporting.TextLayout.Multiplier(best, value);

    /// <summary>The legend lines both text and markdown print under the table.</summary>
    public static List<string> Legend(TableModel model)
    {
        var lines = new List<string>();
        var options = model.Options;
        if (options.Diff)
            lines.Add($"+N.N%: change against the first run, {model.Labels[0]} (+∞%: grew from zero)");
        else if (model.Labels.Count > 1)
            lines.Add("(N.NN): multiple of the best run of the benchmark in that column (lower is better)");
        if (model.Columns.FirstOrDefault(c => c.Field.IsSampled) is { } sampled)
        {
            string stat = options.Stat == TableStat.All ? "min, max, mean, stddev and median" : Metric.Name(sampled.Stat);
            lines.Add($"{sampled.Field.Name}: {stat} of the rounds, per operation");
        }
        if (model.Columns.Any(c => !c.Field.IsSampled))
            lines.Add("memory: the headline pass (minimum peak)"
                + (model.Columns.Any(c => c.Field == MetricField.Allocated) ? "; allocated falls back to the allocation pass's bytes/op" : ""));
        lines.Add("-: not measured, or not in that run");
        if (model.NotPivoted.Count > 0)
            lines.Add($"not shown, no dim {model.Pivot}: {string.Join(", ", model.NotPivoted)}");
        return lines;
    }

    /// <summary>"Name: not in branch, main" for each benchmark some run lacks.</summary>
    public static List<string> MissingLines(TableModel model) =>
        model.Sections.SelectMany(s => s.Rows)
            .Where(r => r.InRun.Any(i => !i))
            .Select(r => $"{r.Name}: not in {string.Join(", ", model.Labels.Where((_, run) => !r.InRun[run]))}")
            .ToList();
}
