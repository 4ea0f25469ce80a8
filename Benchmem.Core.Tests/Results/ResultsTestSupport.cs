using System.Diagnostics;
using System.Text.Json;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

/// <summary>A fresh directory under the temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "benchmem-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every file in the directory (hidden ones too), by name, sorted.</summary>
    public string[] FileNames() =>
        Directory.GetFiles(Path).Select(f => System.IO.Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}

internal static class Samples
{
    public static readonly HostInfo Host = new(
        OsVersion: "Linux 6.1.0 #1 SMP", ProcessorName: "Test CPU @ 3.00GHz", LogicalCoreCount: 8,
        RuntimeVersion: ".NET 10.0.0", Architecture: "X64", HasAttachedDebugger: false, TimerFrequency: 1_000_000_000,
        MachineName: "test-node");

    public static RunInfo Run(string? runKey = "run-key-1") => new()
    {
        Title = "Examples.Sorting-20261123-201500",
        AssemblyName = "Examples.Sorting",
        Started = new DateTimeOffset(2026, 11, 23, 20, 15, 0, TimeSpan.FromHours(1)),
        Host = Host,
        Commit = new CommitInfo("0123456789abcdef0123456789abcdef01234567", Dirty: true, Branch: "main"),
        Configuration = "RELEASE",
        RunKey = runKey,
        ParallelTests = false,
    };

    /// <summary>A small record with the given FullName (and Method derived from it).</summary>
    public static BenchmarkRecord Record(string fullName, string? group = null) => new()
    {
        Namespace = "Examples",
        Type = "SortBenchmarks",
        Method = "Sort",
        Parameters = "",
        FullName = fullName,
        Group = group,
        Timing = new TimingResult { RoundNanoseconds = [10, 20, 30, 40, 50], IterationsPerRound = 16 },
        Allocation = new AllocationResult { TotalOperations = 16, BytesAllocatedPerOperation = 24 },
    };

    /// <summary>The FullNames of Benchmarks[] in a results file, in file order.</summary>
    public static string[] FullNamesIn(string path) => ReadBenchmarks(path).Select(r => r.FullName).ToArray();

    public static List<BenchmarkRecord> ReadBenchmarks(string path)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(ResultsJson.ReadBenchmark).ToList();
    }

    /// <summary>The id of a process this test started and that has exited (and been reaped): a dead pid.</summary>
    public static int DeadProcessId()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}

/// <summary>A fresh temp directory per test and the results file path inside it.</summary>
public abstract class ResultsFileFixture
{
    protected TempDirectory _dir = null!;
    protected string _results = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _dir = new TempDirectory();
        _results = _dir.File("Perf-report-full.json");
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();
}
