using System.Text.Json;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

/// <summary>The format's one definition: the writer writes the series <see cref="PassSeries.All"/> lists, and the reader's
/// run-level reads (used by both the loader and the session's merge) see what the writer wrote.</summary>
public class ResultsFormatTests
{
    private static BenchmarkRecord WithPasses() => new()
    {
        Namespace = "Examples", Type = "SortBenchmarks", Method = "Sort", FullName = "Examples.SortBenchmarks.Sort",
        Timing = new TimingResult { RoundNanoseconds = [10, 20, 30], IterationsPerRound = 16 },
        Memory = new MemoryResult
        {
            Passes =
            [
                new MemoryPass { PeakBytes = 100, AllocatedBytes = 200, RetainedBytes = 10, Gen0 = 3, Gen1 = 2, Gen2 = 1, PeakMethod = PeakMethods.Exact },
                new MemoryPass { PeakBytes = 90, AllocatedBytes = 210, RetainedBytes = 11, Gen0 = 4, Gen1 = 0, Gen2 = 5, PeakMethod = PeakMethods.Live, PeakBoundBytes = 7 },
            ],
            Options = new MemoryOptions { Repeats = 2 },
        },
    };

    private static string RunFile(TempDirectory dir, RunInfo run, params BenchmarkRecord[] records)
    {
        var path = dir.File("run.json");
        AtomicFile.Write(path, s => ResultsJson.WriteRun(s, run, records));
        return path;
    }

    [Test]
    public void SeriesAreWrittenInTheDefinedOrderAndReadBack()
    {
        using var dir = new TempDirectory();
        var path = RunFile(dir, Samples.Run(), WithPasses());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var series = doc.RootElement.GetProperty(ResultsFields.Run.Benchmarks)[0].GetProperty(ResultsFields.Benchmem).GetProperty(ResultsFields.EntryBlock.Series);
        // Native memory's series are left out of a file where no pass measured them (issue 19; NativeMetricTests).
        Assert.That(series.EnumerateObject().Select(p => p.Name), Is.EqualTo(PassSeries.All.Where(s => s.WrittenUnmeasured).Select(s => s.Name)));
        Assert.That(PassSeries.All.Select(s => s.Name), Is.EqualTo(new[]
            { "PeakBytes", "AllocatedBytes", "Allocations", "RetainedBytes", "Gen0", "Gen1", "Gen2", "RssBytes", "PeakBoundBytes", "UnobservedGcs", "MultiThreaded",
              "NativePeakBytes", "NativeAllocatedBytes", "NativeAllocations", "NativeRetainedBytes" }));
        Assert.That(series.GetProperty("Gen2").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 1, 5 }));
        Assert.That(series.GetProperty("Allocations").GetArrayLength(), Is.Zero, "not measured: empty");
        Assert.That(series.GetProperty("PeakBoundBytes").GetArrayLength(), Is.Zero, "one pass has no bound: empty");

        var back = BenchmarkRun.Load(path).Benchmarks.Single().Memory!.Passes;
        Assert.That(back.Select(p => (p.Gen0, p.Gen1, p.Gen2)), Is.EqualTo(new[] { (3, 2, 1), (4, 0, 5) }));
    }

    [Test]
    public void RunLevelFieldsReadBackAsWritten()
    {
        using var dir = new TempDirectory();
        var path = RunFile(dir, Samples.Run("key-7") with { Label = "v2" }, WithPasses());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(ResultsReader.TryGetBenchmarks(root, out var benchmarks), Is.True);
            Assert.That(benchmarks.GetArrayLength(), Is.EqualTo(1));
            Assert.That(ResultsReader.ReadTitle(root), Is.EqualTo("Examples.Sorting-20261123-201500"));
            Assert.That(ResultsReader.ReadRunIdentity(root), Is.EqualTo(("key-7", "Examples.Sorting")));
            var contents = ResultsReader.ReadRun(path, root);
            Assert.That((contents.Title, contents.SchemaVersion, contents.Label, contents.Benchmarks.Count), Is.EqualTo(("Examples.Sorting-20261123-201500", RunInfo.SchemaVersion, "v2", 1)));
            Assert.That(contents.Environment!.Processor, Is.EqualTo("Test CPU @ 3.00GHz"));
        });
    }

    [TestCase("[]")]
    [TestCase("{\"Benchmarks\": {}}")]
    [TestCase("{\"Title\": 5, \"Benchmarks\": [], \"Benchmem\": {\"RunKey\": 1, \"Assembly\": [\"x\"]}}")]
    public void LenientRunLevelReadsSayNothingForWhatIsNotThere(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Multiple(() =>
        {
            Assert.That(ResultsReader.ReadTitle(doc.RootElement), Is.Null);
            Assert.That(ResultsReader.ReadRunIdentity(doc.RootElement), Is.EqualTo(((string?)null, (string?)null)));
        });
        Assert.That(ResultsReader.TryGetBenchmarks(doc.RootElement, out _), Is.EqualTo(json.Contains("[]") && json.StartsWith('{')));
    }
}
