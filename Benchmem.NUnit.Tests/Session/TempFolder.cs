using Benchmem.Core.Memory;
using Benchmem.Core.Results;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>A fresh folder under the system temp folder for one test, deleted after it; and results files written into it.</summary>
public abstract class TempFolderTests
{
    protected string Dir { get; private set; } = null!;

    /// <summary>The run-level lines the part under test reported, this test only.</summary>
    protected List<string> Lines { get; } = [];

    [SetUp]
    public void CreateFolder()
    {
        Lines.Clear();
        Directory.CreateDirectory(Dir = Path.Combine(Path.GetTempPath(), "benchmem-session-" + Guid.NewGuid().ToString("N")));
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(Dir))
            Directory.Delete(Dir, recursive: true);
    }

    /// <summary>A timed record of Perf.T.<paramref name="method"/> allocating <paramref name="bytesPerOp"/> a call.</summary>
    internal static BenchmarkRecord Record(string method, long bytesPerOp, MemoryResult? memory = null) => new()
    {
        Namespace = "Perf",
        Type = "T",
        Method = method,
        FullName = $"Perf.T.{method}",
        Timing = new TimingResult { RoundNanoseconds = [100, 101, 102, 103, 104], IterationsPerRound = 10 },
        Allocation = new AllocationResult { TotalOperations = 10, BytesAllocatedPerOperation = bytesPerOp },
        Memory = memory,
    };

    /// <summary>Writes a results file of <paramref name="records"/> at <paramref name="path"/> and returns the path.</summary>
    internal static string WriteRun(string path, params BenchmarkRecord[] records)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var run = new RunInfo { Title = Path.GetFileName(path), AssemblyName = "Perf", Started = DateTimeOffset.UnixEpoch };
        AtomicFile.Write(path, s => ResultsJson.WriteRun(s, run, records));
        return path;
    }
}
