using System.Reflection;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;

namespace Benchmem.NUnit.Session;

/// <summary>
/// The benchmarks this run has measured, journalled as they come and written as one results file. With the suite hook
/// the file is written once all tests have run; without it (<paramref name="writeEachBenchmark"/>) after every benchmark.
/// </summary>
internal sealed class RunResults(ResultsSession file, bool writeEachBenchmark)
{
    public ResultsSession File { get; } = file;

    /// <summary>The results file of <paramref name="assembly"/>'s run: Benchmem.Json, else BenchmarkResults/NAME-report-full.json.</summary>
    public static ResultsSession Open(Assembly assembly, BenchmemSettings settings, string projectDirectory)
    {
        var name = assembly.GetName().Name ?? "Tests";
        var path = settings.Json is { } json
            ? Path.GetFullPath(json, projectDirectory)
            : Path.Combine(projectDirectory, "BenchmarkResults", $"{name}-report-full.json");
        var started = DateTimeOffset.Now;
        var run = new RunInfo
        {
            Title = RunInfo.MakeTitle(name, started),
            AssemblyName = name,
            Started = started,
            Commit = CommitInfo.Read(projectDirectory),
            Configuration = Optimization.IsOptimized(assembly) ? "RELEASE" : "DEBUG",
        };
        return new ResultsSession(run, path);
    }

    /// <summary>Records a benchmark; throws <see cref="DuplicateBenchmarkException"/> naming both tests when its FullName is taken.</summary>
    public void Add(BenchmarkRecord record, string test)
    {
        File.Add(record, test);
        if (writeEachBenchmark)
            File.Write(); // no end-of-run hook: keep the file current after every benchmark
    }

    /// <summary>The run shared the cores with other tests: its timings may be distorted.</summary>
    public void MarkParallel() => File.Update(r => r.ParallelTests ? r : r with { ParallelTests = true });

    /// <summary>This run's benchmarks so far when <paramref name="resultsPath"/> is its results file and the run has
    /// not written it yet (the suite hook writes it once all tests have run); null otherwise.</summary>
    public BenchmarkRun? InProgress(string resultsPath)
    {
        if (writeEachBenchmark || File.IsComplete || !string.Equals(File.ResultsPath, Path.GetFullPath(resultsPath), StringComparison.Ordinal))
            return null;
        return BenchmarkRun.InMemory(File.ResultsPath, File.Run.Title, File.Records);
    }
}
