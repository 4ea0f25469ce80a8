using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>`dotnet test` of a solution runs each test assembly in its own test host: none may clobber another.</summary>
[TestFixture]
public class SolutionEndToEndTests
{
    private SampleSuite _solution = null!;

    [OneTimeSetUp]
    public void Build() => _solution = SampleSuite.CreateSolution("Two", new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["ProjectA"] = Samples.Load("ProjectA"),
        ["ProjectB"] = Samples.Load("ProjectB"),
    });

    [OneTimeTearDown]
    public void CleanUp() => _solution?.Dispose();

    private static string[] Names(string path)
    {
        using var json = SampleSuite.ReadJson(path);
        return json.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(b => b.GetProperty("FullName").GetString()!).ToArray();
    }

    [Test]
    public void EachAssemblyWritesItsOwnFileByDefault()
    {
        var run = _solution.Test();
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(Names(Path.Combine(_solution.Directory, "ProjectA", "BenchmarkResults", "ProjectA-report-full.json")),
            Is.EquivalentTo(new[] { "ProjectA.AlphaBenchmarks.Alpha(n: 1)", "ProjectA.AlphaBenchmarks.Alpha(n: 2)" }));
        Assert.That(Names(Path.Combine(_solution.Directory, "ProjectB", "BenchmarkResults", "ProjectB-report-full.json")),
            Is.EquivalentTo(new[] { "ProjectB.BetaBenchmarks.Beta" }));
    }

    [Test]
    public void ParallelTestsBesideBenchmarksAreFlagged()
    {
        var run = _solution.Test(["--", "NUnit.NumberOfTestWorkers=2"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("Benchmem: WARNING: other tests ran in parallel with benchmarks, which distorts timings."));
        using var a = SampleSuite.ReadJson(Path.Combine(_solution.Directory, "ProjectA", "BenchmarkResults", "ProjectA-report-full.json"));
        Assert.That(a.RootElement.GetProperty("Benchmem").GetProperty("ParallelTests").GetBoolean(), Is.True);
        using var b = SampleSuite.ReadJson(Path.Combine(_solution.Directory, "ProjectB", "BenchmarkResults", "ProjectB-report-full.json"));
        // ProjectB has one test only: it is flagged exactly when ProjectA's test host ran beside its benchmark, and says so.
        bool besideA = run.Output.Contains("Benchmem: WARNING: test assembly ProjectA of the same dotnet test run ran at the same time", StringComparison.Ordinal);
        Assert.That(b.RootElement.GetProperty("Benchmem").GetProperty("ParallelTests").GetBoolean(), Is.EqualTo(besideA), run.Output);
    }

    [Test]
    public void AssembliesOfOneRunTimedAtTheSameTimeAreFlagged()
    {
        // At least 2,000 rounds (Benchmem.MinRounds beats [Benchmark(MaxTime = 0.1)]) keep each test host busy for
        // seconds, so the two overlap when dotnet test runs both at once (its default here). Which one's benchmarks
        // run while the other is alive depends on start-up order: at least one must see the other, say so, and record it.
        var run = _solution.Test(["--", "Benchmem.MinRounds=2000"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        bool bSawA = run.Output.Contains("Benchmem: WARNING: test assembly ProjectA of the same dotnet test run ran at the same time as benchmarks", StringComparison.Ordinal);
        bool aSawB = run.Output.Contains("Benchmem: WARNING: test assembly ProjectB of the same dotnet test run ran at the same time as benchmarks", StringComparison.Ordinal);
        Assert.That(aSawB || bSawA, Is.True, run.Output);
        foreach (var (project, parallel) in new[] { ("ProjectA", true), ("ProjectB", bSawA) }) // ProjectA's own tests are [Parallelizable]
        {
            using var json = SampleSuite.ReadJson(Path.Combine(_solution.Directory, project, "BenchmarkResults", $"{project}-report-full.json"));
            Assert.That(json.RootElement.GetProperty("Benchmem").GetProperty("ParallelTests").GetBoolean(), Is.EqualTo(parallel), project);
            // Every round is in Benchmem.Timing.RoundNanoseconds (Statistics.OriginalValues are BDN's, upper outliers out).
            Assert.That(json.RootElement.GetProperty("Benchmarks").EnumerateArray().Select(b => b.GetProperty("Benchmem").GetProperty("Timing").GetProperty("RoundNanoseconds").GetArrayLength()),
                Has.All.GreaterThanOrEqualTo(2000), "the suite-wide MinRounds");
        }
        // One project alone: nobody beside it.
        var alone = _solution.Dotnet(["test", "--no-build", "-c", "Release", "--nologo", "ProjectB/ProjectB.csproj"]);
        Assert.That(alone.ExitCode, Is.EqualTo(0), alone.Output);
        Assert.That(alone.Output, Does.Not.Contain("WARNING"));
    }

    [Test]
    public void OneSharedJsonPathMergesBothAssembliesOfTheRun()
    {
        var shared = Path.Combine(_solution.Directory, "merged", "all.json");
        for (int run = 0; run < 2; run++) // the second run replaces the first run's file rather than adding to it
        {
            var result = _solution.Test(["--", $"Benchmem.Json={shared}"]);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Output);
            Assert.That(Names(shared), Is.EquivalentTo(new[]
            {
                "ProjectA.AlphaBenchmarks.Alpha(n: 1)", "ProjectA.AlphaBenchmarks.Alpha(n: 2)", "ProjectB.BetaBenchmarks.Beta",
            }), $"run {run + 1}");
        }
    }
}
