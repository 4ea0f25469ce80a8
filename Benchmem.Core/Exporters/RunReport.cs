using System.Globalization;
using System.Net;
using System.Text;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;

namespace Benchmem.Core.Exporters;

/// <summary>The single-run report formats, as BDN's exporters: GitHub markdown, CSV and HTML.</summary>
public enum ReportFormat { Markdown, Csv, Html }

/// <summary>
/// One run's summary table, as BenchmarkDotNet writes one after every run: the environment, then a row per benchmark
/// with its parameters, BDN's Mean, Error (half the 99.9% interval), StdDev and Median (upper outliers left out, as in
/// the results file's Statistics), Allocated per operation, and Benchmem's memory-pass Peak, Allocations and Retained
/// when memory was measured. CSV has plain numbers (ns, bytes) so it feeds a spreadsheet without unit parsing.
/// </summary>
public static class RunReport
{
    /// <summary>Files BDN would name for a results file: "X-report-full.json" gives "X-report-github.md" and so on.</summary>
    public static string PathFor(string resultsPath, ReportFormat format)
    {
        var full = Path.GetFullPath(resultsPath);
        var name = Path.GetFileNameWithoutExtension(full);
        var stem = name.EndsWith("-report-full", StringComparison.OrdinalIgnoreCase) ? name[..^"-full".Length] : name + "-report";
        return Path.Combine(Path.GetDirectoryName(full)!, stem + format switch
        {
            ReportFormat.Markdown => "-github.md",
            ReportFormat.Csv => ".csv",
            _ => ".html",
        });
    }

    public static ReportFormat Parse(string name) => name.ToLowerInvariant() switch
    {
        "md" or "markdown" or "github" => ReportFormat.Markdown,
        "csv" => ReportFormat.Csv,
        "html" => ReportFormat.Html,
        _ => throw new FormatException($"'{name}' is not a report format; use md, csv or html"),
    };

    private sealed record Table(List<string> Headers, List<string[]> Rows, bool[] RightAligned);

    public static string Render(BenchmarkRun run, ReportFormat format) => format switch
    {
        ReportFormat.Markdown => Markdown(run),
        ReportFormat.Csv => Csv(run),
        _ => Html(run),
    };

    private static Table Build(BenchmarkRun run, bool plainNumbers)
    {
        var records = run.Benchmarks;
        var paramNames = records.SelectMany(r => Params(r).Select(p => p.Name)).Distinct().ToList();
        bool memory = records.Any(r => r.Memory is not null);
        bool allocations = records.Any(r => r.Memory?.Headline.Allocations is not null);
        var headers = new List<string> { "Type", "Method" };
        headers.AddRange(paramNames);
        string Unit(string name, string unit) => plainNumbers ? $"{name} [{unit}]" : name;
        headers.AddRange([Unit("Mean", "ns"), Unit("Error", "ns"), Unit("StdDev", "ns"), Unit("Median", "ns"), Unit("Allocated", "B")]);
        if (memory)
        {
            headers.Add(Unit("Peak", "B"));
            if (allocations)
                headers.Add("Allocations");
            headers.Add(Unit("Retained", "B"));
        }
        string Time(double? ns) => ns is not { } v || !double.IsFinite(v) ? "NA" : plainNumbers ? Number(v) : TimeFormat.Format(v);
        string Bytes(long? b) => b is not { } v ? "-" : plainNumbers ? Number(v) : ByteSize.Format(v);
        var rows = new List<string[]>();
        foreach (var r in records)
        {
            var stats = r.Timing is { } t && t.RoundNanoseconds.Length > 0 && Array.TrueForAll(t.RoundNanoseconds, double.IsFinite)
                ? t.Workload.Statistics : null;
            var ps = Params(r).ToDictionary(p => p.Name, p => p.Value);
            var row = new List<string> { r.Type, r.Method };
            row.AddRange(paramNames.Select(n => ps.TryGetValue(n, out var v) ? v : "?"));
            row.AddRange([Time(stats?.Mean), Time(stats?.ConfidenceInterval.Margin), Time(stats?.StandardDeviation), Time(stats?.Median),
                Bytes(r.Allocation?.BytesAllocatedPerOperation)]);
            if (memory)
            {
                var h = r.Memory?.Headline;
                row.Add(Bytes(h?.PeakBytes));
                if (allocations)
                    row.Add(h?.Allocations is { } n ? plainNumbers ? Number(n) : CountFormat.Format(n) : "-");
                row.Add(Bytes(h?.RetainedBytes));
            }
            rows.Add(row.ToArray());
        }
        var right = headers.Select((_, i) => i >= 2 + paramNames.Count).ToArray();
        return new Table(headers, rows, right);
    }

    /// <summary>The parameters of a record from its BDN Parameters text, "a=1&amp;b=x".</summary>
    private static IEnumerable<(string Name, string Value)> Params(BenchmarkRecord r) =>
        r.Parameters.Length == 0 ? [] : r.Parameters.Split('&').Select(p => p.Split('=', 2) is [var n, var v] ? (n, v) : (p, ""));

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private const string Legend =
        "Mean, Error (half of the 99.9% confidence interval), StdDev and Median leave upper outliers out, as BenchmarkDotNet does; "
        + "Allocated: bytes per operation; Peak, Allocations, Retained: one call in a Benchmem memory pass.";

    private static string Markdown(BenchmarkRun run)
    {
        var table = Build(run, plainNumbers: false);
        var b = new StringBuilder();
        b.Append("```\n\n");
        foreach (var line in run.Environment?.HeaderLines() ?? [])
            b.Append(line).Append('\n');
        b.Append("\n```\n");
        string Cell(string text) => text.Replace("|", "\\|");
        b.Append("| ").Append(string.Join(" | ", table.Headers.Select(Cell))).Append(" |\n");
        b.Append('|').Append(string.Join("|", table.RightAligned.Select(r => r ? "-------:" : "------- "))).Append("|\n");
        foreach (var row in table.Rows)
            b.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        b.Append('\n').Append(Legend).Append('\n');
        return b.ToString();
    }

    private static string Csv(BenchmarkRun run)
    {
        var table = Build(run, plainNumbers: true);
        static string Field(string text) => text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
        var b = new StringBuilder();
        b.Append(string.Join(",", table.Headers.Select(Field))).Append('\n');
        foreach (var row in table.Rows)
            b.Append(string.Join(",", row.Select(Field))).Append('\n');
        return b.ToString();
    }

    private static string Html(BenchmarkRun run)
    {
        var table = Build(run, plainNumbers: false);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var b = new StringBuilder();
        b.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>").Append(E(run.Title)).Append("</title>\n");
        b.Append("<style>\ncode { display: block; white-space: pre; }\ntable { border-collapse: collapse; }\n"
            + "td, th { padding: 0.1em 0.5em; border: solid 1px #ccc; }\ntd.r { text-align: right; }\n</style>\n</head>\n<body>\n");
        b.Append("<pre><code>\n");
        foreach (var line in run.Environment?.HeaderLines() ?? [])
            b.Append(E(line)).Append('\n');
        b.Append("</code></pre>\n\n<table>\n<thead><tr>");
        foreach (var h in table.Headers)
            b.Append("<th>").Append(E(h)).Append("</th>");
        b.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            b.Append("<tr>");
            for (int i = 0; i < row.Length; i++)
                b.Append(table.RightAligned[i] ? "<td class=\"r\">" : "<td>").Append(E(row[i])).Append("</td>");
            b.Append("</tr>\n");
        }
        b.Append("</tbody>\n</table>\n<p>").Append(E(Legend)).Append("</p>\n</body>\n</html>\n");
        return b.ToString();
    }

    /// <summary>
    /// Writes the chosen reports next to the results file, each atomically; returns the paths written. Under the results
    /// file's lock: assemblies of one run sharing the file each write the reports after their merge, so the last one
    /// written shows every benchmark.
    /// </summary>
    public static IReadOnlyList<string> WriteBeside(string resultsPath, IEnumerable<ReportFormat> formats)
    {
        var list = formats.ToList();
        if (list.Count == 0)
            return [];
        using var fileLock = FileLock.Acquire(Path.GetFullPath(resultsPath), TimeSpan.FromSeconds(60));
        var run = BenchmarkRun.Load(resultsPath);
        var written = new List<string>();
        foreach (var format in list)
        {
            var path = PathFor(resultsPath, format);
            WriteText(path, Render(run, format));
            written.Add(path);
        }
        return written;
    }

    /// <summary>UTF-8 without a byte order mark, atomically (readers see the old file or the new, never half).</summary>
    public static void WriteText(string path, string text) =>
        AtomicFile.Write(path, s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
