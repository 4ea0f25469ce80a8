using System.Globalization;
using System.Text;
using System.Text.Json;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;

namespace Benchmem.Core.Exporters;

/// <summary>The dashboards <c>benchmem export</c> writes for.</summary>
public enum DashboardFormat { GithubActionBenchmark, Bencher }

/// <summary>
/// One run in the input formats of the dashboards people already run, so memory gets charted next to time:
/// github-action-benchmark's <c>customSmallerIsBetter</c> (a JSON array of name/unit/value/range/extra entries, one chart
/// per name) and Bencher's Bencher Metric Format (benchmark → measure slug → value, lower_value, upper_value). Time is
/// BDN's Mean of the results file's Statistics (upper outliers left out) with its standard deviation; memory is the
/// memory passes' headline (least-peak) pass, and Allocated is bytes per operation of the allocation pass.
/// </summary>
public static class DashboardExport
{
    public static DashboardFormat Parse(string name) => name.ToLowerInvariant() switch
    {
        "github-action-benchmark" => DashboardFormat.GithubActionBenchmark,
        "bencher" => DashboardFormat.Bencher,
        _ => throw new FormatException($"'{name}' is not an export format; use github-action-benchmark or bencher"),
    };

    /// <summary>One value of one benchmark: the suffix naming it in github-action-benchmark, Bencher's measure slug, the unit.</summary>
    private sealed record Entry(string Suffix, string Measure, string Unit, double Value, double? Spread, string? Extra);

    private static IEnumerable<Entry> Entries(BenchmarkRecord r)
    {
        if (r.Timing is { } t && t.RoundNanoseconds.Length > 0 && Array.TrueForAll(t.RoundNanoseconds, double.IsFinite))
        {
            var result = t.Workload;
            var s = result.Statistics;
            yield return new Entry("", "latency", "ns", s.Mean, s.StandardDeviation,
                $"{s.N} of {t.RoundNanoseconds.Length} rounds (upper outliers left out) × {t.IterationsPerRound} calls; median {Number(s.Median)} ns");
        }
        if (r.Memory is { } m)
            yield return new Entry(" - peak", "peak-memory", "bytes", m.Headline.PeakBytes, null, $"{m.PeakMethod}, least of {m.Passes.Count} pass(es)");
        if (r.Allocation is { } a)
            yield return new Entry(" - allocated", "allocated-memory", "bytes", a.BytesAllocatedPerOperation, null, "bytes per operation");
        if (r.Memory?.Headline.Allocations is { } n)
            yield return new Entry(" - allocations", "allocations", "objects", n, null, "objects allocated by one call");
    }

    public static string Render(BenchmarkRun run, DashboardFormat format)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (format == DashboardFormat.GithubActionBenchmark)
            {
                w.WriteStartArray();
                foreach (var r in run.Benchmarks)
                {
                    foreach (var e in Entries(r))
                    {
                        w.WriteStartObject();
                        w.WriteString("name", r.FullName + e.Suffix);
                        w.WriteString("unit", e.Unit);
                        w.WriteNumber("value", e.Value);
                        if (e.Spread is { } sd)
                            w.WriteString("range", "± " + Number(sd));
                        if (e.Extra is not null)
                            w.WriteString("extra", e.Extra);
                        w.WriteEndObject();
                    }
                }
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartObject();
                foreach (var r in run.Benchmarks)
                {
                    w.WriteStartObject(r.FullName);
                    foreach (var e in Entries(r))
                    {
                        w.WriteStartObject(e.Measure);
                        w.WriteNumber("value", e.Value);
                        if (e.Spread is { } sd)
                        {
                            w.WriteNumber("lower_value", e.Value - sd);
                            w.WriteNumber("upper_value", e.Value + sd);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Number(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
