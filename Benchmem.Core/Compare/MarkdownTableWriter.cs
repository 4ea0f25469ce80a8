using System.Text;

namespace Benchmem.Core.Compare;

/// <summary>
/// GitHub-flavoured markdown: one table per section (a heading above each when grouped), cells unpadded so a change
/// to one number changes one line of the diff. Benchmark names are code spans: generic names such as
/// <c>Parse&lt;Int32&gt;</c> would otherwise be eaten as HTML, and <c>*</c> or <c>_</c> read as emphasis.
/// </summary>
internal static class MarkdownTableWriter
{
    public static string Write(TableModel model)
    {
        var output = new StringBuilder();
        if (model.RowCount == 0)
            return "No benchmarks to compare.\n";
        foreach (var section in model.Sections)
        {
            if (section.Title is not null)
            {
                int n = section.Rows.Count;
                output.Append($"#### {Escape(section.Title)}: {n} {(n == 1 ? "benchmark" : "benchmarks")}\n\n");
            }
            output.Append("| Benchmark | Run |");
            foreach (var column in model.Columns)
                output.Append(' ').Append(Escape(column.Header)).Append(" |");
            output.Append("\n|:---|:---|");
            foreach (var _ in model.Columns)
                output.Append("---:|");
            output.Append('\n');
            foreach (var row in section.Rows)
            {
                var cells = model.Columns.Select((c, i) => TableCells.For(c, row.Values[i], model.Options.Diff)).ToArray();
                for (int run = 0; run < model.Labels.Count; run++)
                {
                    output.Append("| ").Append(run == 0 ? Code(row.Name) : "").Append(" | ").Append(Escape(model.Labels[run])).Append(" |");
                    foreach (var column in cells)
                        output.Append(' ').Append(column[run].Text).Append(column[run].Multiplier).Append(" |");
                    output.Append('\n');
                }
            }
            output.Append('\n');
        }
        foreach (string legend in TableCells.Legend(model))
            output.Append("- ").Append(legend.StartsWith('-') ? "\\" : "").Append(Escape(legend)).Append('\n');
        var missing = TableCells.MissingLines(model);
        if (missing.Count > 0)
        {
            output.Append("\nNot in every run:\n\n");
            foreach (string m in missing)
                output.Append("- ").Append(Escape(m)).Append('\n');
        }
        return output.ToString();
    }

    // A pipe ends a cell even inside a code span; everything else in a code span is literal.
    private static string Code(string text)
    {
        string fence = text.Contains('`') ? "``" : "`";
        string pad = text.StartsWith('`') || text.EndsWith('`') ? " " : "";
        return fence + pad + text.Replace("|", "\\|") + pad + fence;
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '|' or '\\' or '*' or '_' or '`' or '<' or '>' or '[' or ']')
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
