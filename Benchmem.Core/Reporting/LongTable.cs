using System.Globalization;
using System.Text;
using Benchmem.Core.Compare;
using Benchmem.Core.Results;
using Benchmem.Core.Units;

namespace Benchmem.Core.Reporting;

/// <summary>
/// The tidy ("long") table pandas, R and Excel users load (pytest-benchmem's <c>load_long_df</c>): one row per run ×
/// benchmark × metric × sample — a timing round for <c>time</c> (ns per operation), a memory pass for each per-pass metric
/// (<see cref="MetricField.All"/>) — and every dim a column of its own. A metric a benchmark did not measure has no rows.
/// </summary>
public static class LongTable
{
    /// <summary>The fixed columns before the dims, and after them.</summary>
    public static readonly string[] Leading = ["run", "benchmark", "namespace", "type", "method", "group"];
    public static readonly string[] Trailing = ["metric", "sample", "value", "unit"];

    /// <summary>CSV with a header line; <paramref name="runs"/> are (label, run) in the order given.</summary>
    public static string Csv(IReadOnlyList<(string Label, BenchmarkRun Run)> runs)
    {
        // Dims in first-seen order across the runs, so a suite's columns read as its parameters do.
        var dims = runs.SelectMany(r => r.Run.Benchmarks).SelectMany(b => b.Dims.Keys).Distinct(StringComparer.Ordinal).ToList();
        var clash = dims.FirstOrDefault(d => Leading.Contains(d) || Trailing.Contains(d));
        var dimHeaders = dims.Select(d => clash is not null && (Leading.Contains(d) || Trailing.Contains(d)) ? "dim." + d : d).ToList();
        var text = new StringBuilder();
        Line(text, [.. Leading, .. dimHeaders, .. Trailing]);
        foreach (var (label, run) in runs)
        {
            foreach (var b in run.Benchmarks)
            {
                var fixedCells = new[] { label, b.FullName, b.Namespace, b.Type, b.Method, b.Group ?? "" }
                    .Concat(dims.Select(d => b.Dims.TryGetValue(d, out var v) ? BenchmarkKey.FormatDim(v) : "")).ToArray();
                foreach (var (metric, sample, value, unit) in Samples(b))
                    Line(text, [.. fixedCells, metric, sample, value.ToString("R", CultureInfo.InvariantCulture), unit]);
            }
        }
        return text.ToString();
    }

    /// <summary>Every sample of one benchmark, metric by metric in <see cref="MetricField.All"/>'s order.</summary>
    private static IEnumerable<(string Metric, string Sample, double Value, string Unit)> Samples(BenchmarkRecord b)
    {
        foreach (var field in MetricField.All)
        {
            if (field.IsSampled)
            {
                var rounds = b.Timing?.RoundNanoseconds ?? [];
                for (int i = 0; i < rounds.Length; i++)
                    yield return (field.Name, (i + 1).ToString(CultureInfo.InvariantCulture), rounds[i], Unit(field.Kind));
                continue;
            }
            var passes = b.Memory?.Passes ?? [];
            int written = 0;
            for (int i = 0; i < passes.Count; i++)
            {
                if (field.PassValue(passes[i]) is { } v)
                {
                    written++;
                    yield return (field.Name, (i + 1).ToString(CultureInfo.InvariantCulture), v, Unit(field.Kind));
                }
            }
            // Without memory passes, allocated is the allocation pass's bytes per operation: one sample, named so.
            if (written == 0 && passes.Count == 0 && field.Value(b) is { } fallback)
                yield return (field.Name, "per-op", fallback, Unit(field.Kind));
        }
        // The benchmark's own numbers (Bench.Metric): one value each, under the name rules and columns use.
        foreach (var (name, value) in b.Metrics)
            yield return (MetricField.CustomPrefix + name, "value", value, "count");
    }

    private static string Unit(MetricKind kind) => kind switch { MetricKind.Time => "ns", MetricKind.Bytes => "B", _ => "count" };

    private static void Line(StringBuilder text, IEnumerable<string> cells) =>
        text.Append(string.Join(',', cells.Select(Escape))).Append('\n');

    /// <summary>RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Escape(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"") + "\"";
}
