using System.Text.Json;
using Benchmem.Core.Compare;
using Benchmem.Core.Results;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Benchmem.Sweeps;

/// <summary>
/// One benchmark's metric in an interleaved A/B sweep: B / A per round (each round's A and B ran back to back), their
/// geometric mean, and the 95% Student's t interval of that mean from the rounds' spread (on log ratios, so 2× and
/// 0.5× are equally far from 1). The machine's slow and fast phases hit both sides of a round alike, so the rounds'
/// ratios scatter far less than the two sides' own times do; the interval says how far the ratio can be trusted.
/// </summary>
public sealed record InterleavedRatio(string Benchmark, string Metric, double Ratio, double Low, double High, IReadOnlyList<double> PerRound)
{
    /// <summary>The ratio and its interval as people read them: <c>1.52× [1.41×, 1.64×]</c>.</summary>
    public string Describe() => PerRound.Count < 2 || !double.IsFinite(Low)
        ? $"{Ratio:0.000}×"
        : $"{Ratio:0.000}× [{Low:0.000}×, {High:0.000}×]";
}

/// <summary>Ratios and intervals of an interleaved A/B sweep from its rounds' results files.</summary>
public static class Interleaving
{
    /// <summary>The confidence level of <see cref="InterleavedRatio.Low"/>…<see cref="InterleavedRatio.High"/>.</summary>
    public const double Level = 0.95;

    /// <summary>
    /// Pairs each round's A and B files and computes, per benchmark in both and per metric both measured in every
    /// round (time is the median per operation, memory the headline pass, as everywhere), B / A.
    /// </summary>
    public static IReadOnlyList<InterleavedRatio> Compute(IReadOnlyList<(string A, string B)> rounds)
    {
        var loaded = rounds.Select(r => (A: Index(BenchmarkRun.Load(r.A)), B: Index(BenchmarkRun.Load(r.B)))).ToList();
        var names = loaded[0].A.Keys.Where(k => loaded.All(r => r.A.ContainsKey(k) && r.B.ContainsKey(k))).Order(NaturalOrder.Instance).ToList();
        var result = new List<InterleavedRatio>();
        foreach (var name in names)
        {
            foreach (var field in MetricField.All)
            {
                var ratios = new List<double>();
                foreach (var (a, b) in loaded)
                {
                    if (field.Value(a[name]) is not { } va || field.Value(b[name]) is not { } vb)
                        break;
                    // 0 / 0 (nothing allocated on either side) is no change; x / 0 has no ratio.
                    if (va == 0)
                    {
                        if (vb != 0)
                            break;
                        ratios.Add(1);
                    }
                    else
                        ratios.Add(vb / va);
                }
                if (ratios.Count == loaded.Count)
                    result.Add(Summarize(name, field.Name, ratios));
            }
        }
        return result;
    }

    /// <summary>Geometric mean of the ratios and its t interval (NaN ends with one round: no spread to judge by).</summary>
    public static InterleavedRatio Summarize(string benchmark, string metric, IReadOnlyList<double> ratios)
    {
        var logs = ratios.Select(r => r > 0 ? Math.Log(r) : double.NaN).ToArray();
        double mean = logs.Average();
        int n = logs.Length;
        if (n < 2 || !double.IsFinite(mean))
            return new InterleavedRatio(benchmark, metric, Math.Exp(mean), double.NaN, double.NaN, ratios);
        double sd = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (n - 1));
        double t = new StudentDistribution(n - 1).Quantile(1 - (1 - Level) / 2);
        double margin = t * sd / Math.Sqrt(n);
        return new InterleavedRatio(benchmark, metric, Math.Exp(mean), Math.Exp(mean - margin), Math.Exp(mean + margin), ratios);
    }

    /// <summary>Writes the ratios as JSON (atomically): what a script or a CI step gates on.</summary>
    public static void Write(string path, string a, string b, IReadOnlyList<(string A, string B)> rounds, IReadOnlyList<InterleavedRatio> ratios)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("A", a);
            w.WriteString("B", b);
            w.WriteNumber("Rounds", rounds.Count);
            w.WriteNumber("Level", Level);
            w.WriteStartArray("Files");
            foreach (var (fa, fb) in rounds)
            {
                w.WriteStartArray();
                w.WriteStringValue(fa);
                w.WriteStringValue(fb);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("Ratios");
            foreach (var r in ratios)
            {
                w.WriteStartObject();
                w.WriteString("Benchmark", r.Benchmark);
                w.WriteString("Metric", r.Metric);
                w.WriteNumber("Ratio", r.Ratio);
                WriteNumberOrNull(w, "Low", r.Low);
                WriteNumberOrNull(w, "High", r.High);
                w.WriteStartArray("PerRound");
                foreach (var v in r.PerRound)
                    w.WriteNumberValue(v);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
            w.WriteNumber(name, value);
        else
            w.WriteNull(name);
    }

    private static Dictionary<string, BenchmarkRecord> Index(BenchmarkRun run) =>
        run.Benchmarks.GroupBy(b => b.FullName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
}
