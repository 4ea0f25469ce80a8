using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Tests.Api;

/// <summary>Benchmem.Compare in a test fixture: FailOn fails the test (Failed, not Error) with one line per regression.</summary>
public class CompareApiTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "benchmem-api-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params (string Method, long BytesPerOp)[] benchmarks)
    {
        var path = Path.Combine(_dir, name);
        var records = benchmarks.Select(b => new BenchmarkRecord
        {
            Namespace = "Perf",
            Type = "T",
            Method = b.Method,
            FullName = $"Perf.T.{b.Method}",
            Timing = new TimingResult { RoundNanoseconds = [100, 101, 102, 103, 104], IterationsPerRound = 10 },
            Allocation = new AllocationResult { TotalOperations = 10, BytesAllocatedPerOperation = b.BytesPerOp },
        }).ToList();
        var run = new RunInfo { Title = name, AssemblyName = "Perf", Started = DateTimeOffset.UnixEpoch };
        AtomicFile.Write(path, s => ResultsJson.WriteRun(s, run, records));
        return path;
    }

    [Test]
    public void FailOnFailsTheTestListingEachRegression()
    {
        var a = Write("a.json", ("Stable", 1024), ("Grows", 1024));
        var b = Write("b.json", ("Stable", 1024), ("Grows", 2048));
        string message;
        using (new TestExecutionContext.IsolatedContext())
        {
            // An AssertionException is what NUnit reports as Failed (any other exception is an Error).
            message = Assert.Throws<AssertionException>(() => Benchmem.Compare.Runs(a, b).FailOn("allocated:10%"))!.Message;
        }
        Assert.That(message, Does.Match(@"allocated\s+T\.Grows: 1\.00 KiB → 2\.00 KiB \(\+100\.0%\)"));
        Assert.That(message, Does.Not.Contain("T.Stable:"));
    }

    [Test]
    public void FailOnPassesWithinTheRulesAndRendersTables()
    {
        var a = Write("a.json", ("Stable", 1024));
        var b = Write("b.json", ("Stable", 1030));
        var comparison = Benchmem.Compare.Runs(a, b);
        comparison.FailOn("allocated:1%");
        Assert.That(comparison.ToMarkdown(), Does.Contain("|").And.Contain("Stable"));
        Assert.That(comparison.ToCsv().Split('\n')[0], Does.Contain(","));
    }

    [Test]
    public void AMissingFileIsNamed()
    {
        var e = Assert.Throws<ResultsFileException>(() => Benchmem.Compare.Runs(Path.Combine(_dir, "nope.json"), Path.Combine(_dir, "b.json")));
        Assert.That(e!.Message, Is.EqualTo($"{Path.Combine(_dir, "nope.json")}: no such file."));
    }
}
