using Benchmem.Core.Memory;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Tests.Infrastructure;

/// <summary>
/// Crafted runs for the plot tests, written with the real writer. Every number is chosen so the expected plot data
/// can be written down: memory passes are (peak, peak + 64 KiB, peak + 128 KiB), so the headline is the first and
/// the whiskers span 128 KiB; timing rounds are (1.2, 0.9, 1, 1.1, 0.8) × the median: Q1 0.9, Q3 1.1, min 0.8, max 1.2.
/// </summary>
public static class PlotRuns
{
    public const long KiB = 1024, MiB = 1024 * 1024;

    /// <summary><c>Perf.{type}.{method}(dims…)</c> with a median time and a headline peak (null = no memory passes).</summary>
    public static BenchmarkRecord Bench(string method, (string Name, object Value)[] dims, double medianNs, long? peak,
                                        long allocated = 4096, string type = "ListBenchmarks")
    {
        string args = string.Join(", ", dims.Select(d => $"{d.Name}: {Format(d.Value)}"));
        return new BenchmarkRecord
        {
            Namespace = "Perf",
            Type = type,
            Method = method,
            Parameters = string.Join("&", dims.Select(d => $"{d.Name}={Format(d.Value)}")),
            FullName = $"Perf.{type}.{method}({args})",
            Dims = dims.ToDictionary(d => d.Name, d => (object?)d.Value),
            Timing = new TimingResult { RoundNanoseconds = [medianNs * 1.2, medianNs * 0.9, medianNs, medianNs * 1.1, medianNs * 0.8], IterationsPerRound = 16 },
            Allocation = new AllocationResult { TotalOperations = 16, BytesAllocatedPerOperation = allocated },
            Memory = peak is not { } p ? null : new MemoryResult
            {
                Passes = new[] { p, p + 64 * KiB, p + 128 * KiB }.Select(v => new MemoryPass
                {
                    PeakBytes = v,
                    AllocatedBytes = allocated,
                    RetainedBytes = 0,
                    Allocations = 3,
                    PeakMethod = PeakMethods.Exact,
                }).ToList(),
                Options = new MemoryOptions { Repeats = 3 },
                AllocationsMethod = "profiler",
            },
        };
    }

    private static string Format(object value) => value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value.ToString()!;

    /// <summary>
    /// One run of Build(n, impl): n = 1,000 / 10,000 / 100,000; impl=array peaks 1, 10, 100 MiB and takes 10 µs,
    /// 100 µs, 1 ms; impl=list peaks twice that and takes three times as long.
    /// </summary>
    public static BenchmarkRecord[] Scaling() =>
    [
        .. new long[] { 1_000, 10_000, 100_000 }.SelectMany(n => new[]
        {
            Bench("Build", [("n", n), ("impl", "array")], n * 10.0, n / 1000 * MiB),
            Bench("Build", [("n", n), ("impl", "list")], n * 30.0, n / 1000 * 2 * MiB),
        }),
    ];

    /// <summary>Sort(n) for n = 10, 100, 1000 with the given peaks (bytes).</summary>
    public static BenchmarkRecord[] Sorts(params long[] peaks) =>
        peaks.Select((p, i) => Bench("Sort", [("n", (long)Math.Pow(10, i + 1))], 1000.0 * (i + 1), p, type: "SortBenchmarks")).ToArray();

    /// <summary>
    /// An ordinary suite, each class varying its own dim: <see cref="Scaling"/> (Build over n), <see cref="Sorts"/>
    /// (Sort over n: 1,000 / 10,000 / 100,000 B), DictBenchmarks.Fill over size = 10, 100, 1000 (peaks 10, 100,
    /// 1000 KiB), JsonBenchmarks.Parse with no dims (5 KiB) and StringBenchmarks.Concat over parts = 10, 100 with
    /// timing only (no memory passes).
    /// </summary>
    public static BenchmarkRecord[] Suite() =>
    [
        .. Scaling(),
        .. Sorts(1_000, 10_000, 100_000),
        .. new long[] { 10, 100, 1000 }.Select(size => Bench("Fill", [("size", size)], size * 50.0, size * KiB, type: "DictBenchmarks")),
        Bench("Parse", [], 2_000, 5 * KiB, type: "JsonBenchmarks"),
        .. new long[] { 10, 100 }.Select(parts => Bench("Concat", [("parts", parts)], parts * 20.0, peak: null, type: "StringBenchmarks")),
    ];

    /// <summary>
    /// Four benchmarks that all grew, the largest relative growth the smallest in bytes: Tiny 1,000 → 2,090 B (+109%),
    /// Mid 100 → 120 KiB (+20%), Big 10 → 11 MiB (+10%), Noise 20 MiB → 20 MiB + 10 KiB (+0.05%).
    /// </summary>
    public static BenchmarkRecord[] Growths(bool candidate) =>
    [
        Bench("Tiny", [], 100, candidate ? 2_090 : 1_000, type: "Grow"),
        Bench("Mid", [], 100, candidate ? 120 * KiB : 100 * KiB, type: "Grow"),
        Bench("Big", [], 100, candidate ? 11 * MiB : 10 * MiB, type: "Grow"),
        Bench("Noise", [], 100, candidate ? 20 * MiB + 10 * KiB : 20 * MiB, type: "Grow"),
    ];

    public static string Write(string path, string title, params BenchmarkRecord[] records) => ResultFiles.Write(path, title, records);
}
