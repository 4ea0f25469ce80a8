using System.Globalization;
using System.Text;

namespace Benchmem.Core.Compare;

/// <summary>
/// RFC 4180 CSV: one record per benchmark and run (every run, so each benchmark has the same number of lines),
/// raw numbers in invariant culture with the unit in the header (<c>peak (B)</c>, <c>time median (ns)</c>), empty
/// where a value is missing. With <see cref="TableOptions.Diff"/> each value column is followed by its change in
/// percent against the first run. Multipliers are left out: they are a division away.
/// </summary>
internal static class CsvTableWriter
{
    private const string LineEnd = "\r\n"; // RFC 4180: records end with CRLF

    public static string Write(TableModel model)
    {
        var output = new StringBuilder();
        var header = new List<string>();
        if (model.GroupBy is not null)
            header.Add(model.GroupBy);
        header.Add("benchmark");
        header.Add("run");
        foreach (var column in model.Columns)
        {
            header.Add(column.CsvHeader);
            if (model.Options.Diff)
                header.Add(column.Header + " change (%)");
        }
        AppendRecord(output, header);

        foreach (var section in model.Sections)
        {
            foreach (var row in section.Rows)
            {
                for (int run = 0; run < model.Labels.Count; run++)
                {
                    var fields = new List<string>();
                    if (model.GroupBy is not null)
                        fields.Add(section.Value ?? "");
                    fields.Add(row.Key);
                    fields.Add(model.Labels[run]);
                    for (int c = 0; c < model.Columns.Count; c++)
                    {
                        var values = row.Values[c];
                        fields.Add(Number(values[run]));
                        if (model.Options.Diff)
                            fields.Add(run > 0 && values[0] is { } b && values[run] is { } v ? Number(Metric.ChangePercent(b, v)) : "");
                    }
                    AppendRecord(output, fields);
                }
            }
        }
        return output.ToString();
    }

    /// <summary>Shortest text that reads back as the same double; "inf" for growth from zero (spreadsheets and
    /// pandas read it; .NET would write the symbol ∞).</summary>
    private static string Number(double? value) => value switch
    {
        null => "",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        { } v => v.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void AppendRecord(StringBuilder output, List<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
                output.Append(',');
            string f = fields[i];
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0)
                output.Append('"').Append(f.Replace("\"", "\"\"")).Append('"');
            else
                output.Append(f);
        }
        output.Append(LineEnd);
    }
}
