using System.Runtime.CompilerServices;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Compare;

/// <summary>Crafted benchmark records and runs for the compare tests, written and read back through the real
/// results writer and reader so the tests see what a saved run gives.</summary>
internal static class CompareSupport
{
    /// <summary>A record named <c>Bench.{type}.{method}(dims)</c>, with only the measurements given.</summary>
    public static BenchmarkRecord Record(
        string type, string method, (string Name, object? Value)[]? dims = null, double[]? time = null,
        MemoryPass[]? passes = null, long? allocatedPerOp = null, string? group = null, string ns = "Bench")
    {
        dims ??= [];
        string args = dims.Length == 0 ? "" : "(" + string.Join(", ", dims.Select(d => $"{d.Name}: {d.Value}")) + ")";
        return new BenchmarkRecord
        {
            Namespace = ns,
            Type = type,
            Method = method,
            Parameters = string.Join("&", dims.Select(d => $"{d.Name}={d.Value}")),
            FullName = (ns.Length > 0 ? ns + "." : "") + $"{type}.{method}{args}",
            Group = group,
            Dims = dims.ToDictionary(d => d.Name, d => d.Value),
            Timing = time is null ? null : new TimingResult { RoundNanoseconds = time, IterationsPerRound = 1000 },
            Allocation = allocatedPerOp is null ? null : new AllocationResult { TotalOperations = 1000, BytesAllocatedPerOperation = allocatedPerOp.Value },
            Memory = passes is null ? null : new MemoryResult { Passes = passes, Options = new MemoryOptions { Repeats = passes.Length }, AllocationsMethod = "profiler" },
        };
    }

    public static MemoryPass Pass(long peak, long allocated = -1, long? allocations = null, long retained = 0, int gen0 = 0, long? rss = null, int gen1 = 0, int gen2 = 0) => new()
    {
        PeakBytes = peak,
        AllocatedBytes = allocated < 0 ? peak : allocated,
        Allocations = allocations,
        RetainedBytes = retained,
        Gen0 = gen0,
        Gen1 = gen1,
        Gen2 = gen2,
        RssBytes = rss,
        PeakMethod = PeakMethods.Exact,
    };

    /// <summary>Rounds around <paramref name="center"/>: <paramref name="count"/> values spread ±<paramref name="spread"/>
    /// by a seeded generator, so samples are the same on every machine.</summary>
    public static double[] Rounds(double center, int count = 50, double spread = 0.02, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => center * (1 + spread * (2 * random.NextDouble() - 1))).ToArray();
    }

    /// <summary>Writes the records as a results file with <see cref="ResultsJson.WriteRun"/> and loads it back.</summary>
    public static BenchmarkRun Save(string directory, string name, params BenchmarkRecord[] records)
    {
        string path = Path.Combine(directory, name + ".json");
        var info = new RunInfo
        {
            Title = name,
            AssemblyName = "Bench",
            Started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            RunKey = null,
        };
        using (var stream = File.Create(path))
            ResultsJson.WriteRun(stream, info, records);
        return BenchmarkRun.Load(path);
    }
}

/// <summary>A fresh temp directory per test, for results files.</summary>
public abstract class CompareFixture
{
    protected string Dir { get; private set; } = null!;

    [SetUp]
    public void CreateDirectory()
    {
        Dir = Path.Combine(Path.GetTempPath(), "benchmem-compare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(Dir))
            Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>
/// Compares text with a file under Compare/Golden, read in the source tree where it is edited (or, when that path
/// does not exist, from the output folder if the project copies the goldens there). Run with
/// BENCHMEM_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then review the diff.
/// </summary>
internal static class CompareGolden
{
    public static void AssertMatches(string actual, string fileName, [CallerFilePath] string callerPath = "")
    {
        string source = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", fileName);
        // The output copy serves builds with mapped source paths, once the project copies Compare/Golden/* there.
        string output = Path.Combine(AppContext.BaseDirectory, "Compare", "Golden", fileName);
        string path = File.Exists(source) || !File.Exists(output) ? source : output;
        // Compare on \n: git may check the files out with CRLF, and CSV's own CRLF is asserted separately.
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("BENCHMEM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(source, actual);
            Assert.Inconclusive($"rewrote {source}");
        }
        if (!File.Exists(path))
            Assert.Fail($"{path} does not exist (a build with mapped source paths cannot see the source tree); run the tests from the repository, or with BENCHMEM_UPDATE_GOLDEN=1 to create it");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.That(actual, Is.EqualTo(expected), $"differs from {path}; if the change is intended, rerun with BENCHMEM_UPDATE_GOLDEN=1");
    }
}
