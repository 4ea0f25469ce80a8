using System.Diagnostics;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// Nothing lost, nothing doubled under concurrency: 50 benchmarks in 3 assemblies with parallel NUnit workers
/// writing one shared results file, and two `dotnet test` runs of one project at once saving into one storage.
/// </summary>
[TestFixture]
public class ConcurrencyStressTests
{
    private SampleSuite _solution = null!;

    private static readonly string[] Cases = Enumerable.Range(0, 10).Select(i => $"(n: {i})").ToArray();

    /// <summary>Every benchmark of the three sample assemblies, 50 in all.</summary>
    private static readonly string[] StressA =
    [
        .. Cases.Select(c => "StressA.AddBenchmarks.Add" + c),
        .. Cases.Select(c => "StressA.AddBenchmarks.Multiply" + c),
    ];

    private static readonly string[] Expected =
    [
        .. StressA,
        .. Cases.Select(c => "StressB.TextBenchmarks.Length" + c),
        .. Cases.Select(c => "StressB.ArrayBenchmarks.Make" + c),
        .. new[] { "One", "Two", "Three", "Four", "Five" }.Select(m => "StressC.PlainBenchmarks." + m),
        .. Cases.Take(5).Select(c => "StressC.SquareBenchmarks.Square" + c),
    ];

    [OneTimeSetUp]
    public void Build() => _solution = SampleSuite.CreateSolution("Stress", new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["StressA"] = Samples.Load("StressA"),
        ["StressB"] = Samples.Load("StressB"),
        ["StressC"] = Samples.Load("StressC"),
    });

    [OneTimeTearDown]
    public void CleanUp() => _solution?.Dispose();

    [Test]
    public void ParallelWorkersInThreeAssemblies_OneSharedFile_HoldsEveryBenchmarkOnce()
    {
        Assert.That(Expected, Has.Length.EqualTo(50).And.Unique, "the samples' benchmarks");
        var shared = Path.Combine(_solution.Directory, "shared", "shared.json");
        var watch = Stopwatch.StartNew();

        var run = _solution.Test(["--", $"Benchmem.Json={shared}"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("Benchmem: WARNING: other tests ran in parallel with benchmarks"), "the workers did run in parallel");
        var found = LoadNames(shared);
        Report("3 assemblies, 1 shared file", found, watch.Elapsed);
        Assert.That(found, Is.Unique, "duplicated FullNames");
        Assert.That(found, Is.EquivalentTo(Expected));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(shared)!).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "shared-report-github.md", "shared-report.csv", "shared-report.html", "shared.json" }), "no journal, lock or temp file is left behind");
        // Each assembly writes the reports after its merge, under the file's lock: the last one shows every benchmark.
        Assert.That(File.ReadAllLines(Path.Combine(Path.GetDirectoryName(shared)!, "shared-report.csv")).Length, Is.EqualTo(1 + Expected.Length));
    }

    [Test]
    public void TwoRunsOfOneProjectAtOnce_KeepBothResultsAndBothSavedRuns()
    {
        var project = Path.Combine(_solution.Directory, "StressA");
        var output = Path.Combine(_solution.Directory, "twin");
        var storage = Path.Combine(_solution.Directory, "twin-storage");
        var watch = Stopwatch.StartNew();

        // Two `dotnet test` of the same built project, started together, writing side by side.
        var runs = new[] { "left", "right" }.Select(name => Task.Run(() => _solution.Dotnet(
            ["test", project, "--no-build", "-c", "Release", "--nologo", "--",
             $"Benchmem.Json={Path.Combine(output, name + ".json")}", $"Benchmem.Storage={storage}", $"Benchmem.Save={name}"]))).ToArray();
        Task.WaitAll(runs);

        foreach (var run in runs)
            Assert.That(run.Result.ExitCode, Is.EqualTo(0), run.Result.Output);
        foreach (var name in new[] { "left", "right" })
        {
            var found = LoadNames(Path.Combine(output, name + ".json"));
            Report($"concurrent run '{name}'", found, watch.Elapsed, StressA);
            Assert.That(found, Is.Unique, name);
            Assert.That(found, Is.EquivalentTo(StressA), name);
        }
        // Both saves kept, with distinct numbers: neither overwrote the other.
        var saved = Directory.GetFiles(storage, "*.json", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        TestContext.Progress.WriteLine($"saved runs: {string.Join(", ", saved)}");
        Assert.That(saved, Has.Length.EqualTo(2));
        Assert.That(saved.Select(f => f![..4]), Is.EquivalentTo(new[] { "0001", "0002" }));
        Assert.That(saved.Select(f => f![5..]), Is.EquivalentTo(new[] { "left.json", "right.json" }));
        foreach (var file in Directory.GetFiles(storage, "*.json", SearchOption.AllDirectories))
            Assert.That(LoadNames(file), Is.EquivalentTo(StressA), file);
    }

    /// <summary>Every FullName as written (duplicates included), after the public reader accepted the file as valid.</summary>
    private static string[] LoadNames(string path)
    {
        using var json = SampleSuite.ReadJson(path);
        var names = json.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(b => b.GetProperty("FullName").GetString()!).ToArray();
        if (names.Length == names.Distinct(StringComparer.Ordinal).Count())
            Assert.That(Benchmem.Core.Results.BenchmarkRun.Load(path).Benchmarks, Has.Count.EqualTo(names.Length), path);
        return names;
    }

    private static void Report(string what, string[] found, TimeSpan elapsed, string[]? expected = null)
    {
        expected ??= Expected;
        int lost = expected.Except(found, StringComparer.Ordinal).Count();
        int duplicated = found.Length - found.Distinct(StringComparer.Ordinal).Count();
        TestContext.Progress.WriteLine(
            $"{what}: records expected {expected.Length}, found {found.Length}, lost {lost}, duplicated {duplicated} ({elapsed.TotalSeconds:F1} s)");
    }
}
