using System.Text.Json;
using Benchmem.Core.Memory;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Tests.Infrastructure;

/// <summary>Crafted results files with known timing samples and memory series, written with the real writer.</summary>
public static class ResultFiles
{
    public static readonly HostInfo Host = new(
        OsVersion: "Linux 6.1.0 #1 SMP", ProcessorName: "Test CPU @ 3.00GHz", LogicalCoreCount: 8,
        RuntimeVersion: ".NET 10.0.0", Architecture: "X64", HasAttachedDebugger: false, TimerFrequency: 1_000_000_000,
        MachineName: "test-node");

    public static RunInfo Run(string title, string machine = "test-node") => new()
    {
        Title = title,
        AssemblyName = "Perf",
        Started = new DateTimeOffset(2026, 11, 23, 20, 15, 0, TimeSpan.Zero),
        Host = Host with { MachineName = machine },
        Commit = new CommitInfo("0123456789abcdef0123456789abcdef01234567", Dirty: false, Branch: "main"),
    };

    /// <summary>
    /// <c>Perf.SortBenchmarks.{method}(n: {n})</c> with the given timing sample (ns per op) and memory passes
    /// (peak bytes per pass; allocated and allocation counts the same in every pass).
    /// </summary>
    public static BenchmarkRecord Record(string method, long n, double[] nanoseconds, long[] peaks,
                                         long allocated, long? allocations = null, string? group = null,
                                         string type = "SortBenchmarks") => new()
    {
        Namespace = "Perf",
        Type = type,
        Method = method,
        Parameters = $"n={n}",
        FullName = $"Perf.{type}.{method}(n: {n})",
        Group = group,
        Dims = new Dictionary<string, object?> { ["n"] = n },
        Timing = new TimingResult { RoundNanoseconds = nanoseconds, IterationsPerRound = 16 },
        Allocation = new AllocationResult { TotalOperations = 16, BytesAllocatedPerOperation = allocated },
        Memory = new MemoryResult
        {
            Passes = peaks.Select(p => new MemoryPass
            {
                PeakBytes = p,
                AllocatedBytes = allocated,
                RetainedBytes = 0,
                Allocations = allocations,
                PeakMethod = PeakMethods.Exact,
            }).ToList(),
            Options = new MemoryOptions { Repeats = peaks.Length },
            AllocationsMethod = allocations is null ? null : "profiler",
        },
    };

    public static string Write(string path, string title, params BenchmarkRecord[] records) =>
        Write(path, Run(title), records);

    public static string Write(string path, RunInfo run, params BenchmarkRecord[] records)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        using (var stream = File.Create(path))
            ResultsJson.WriteRun(stream, run, records);
        return path;
    }

    /// <summary>Benchmarks[].FullName of a file, in file order.</summary>
    public static string[] FullNames(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(b => b.GetProperty("FullName").GetString()!).ToArray();
    }

    /// <summary>The root object of a file as JSON, for checks on the run-level blocks.</summary>
    public static JsonElement Root(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.Clone();
    }
}
