using System.Diagnostics;
using System.Text;
using Benchmem.Core.Compare;
using Benchmem.Core.Errors;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results.Fuzz;

/// <summary>
/// Corrupted real results files fed to the readers: every input must either load or be refused with a
/// <see cref="ResultsFileException"/> (one line, naming the file). Any other exception is a reader bug; the failure
/// lists each offending seed and corruption so it can be reproduced with <see cref="ResultCorruptions.Make"/>.
/// </summary>
public class ReaderFuzzTests : ResultsFileFixture
{
    /// <summary>300 per source in CI; set FUZZ_SEEDS for a longer hunt (the seeds are the same, just more of them).</summary>
    private static readonly int SeedsPerSource = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEEDS"), out var n) ? n : 300;
    private static readonly string[] Rules = ["time:5%:significant", "time.min:1us", "peak:10%", "allocated:1KiB", "allocations:5%", "retained:1%", "gen0:1", "rss:1MiB"];

    /// <summary>A Benchmem results file with timing, dims, allocation and memory series, from the real writer.</summary>
    public static byte[] BenchmemFile()
    {
        var records = new[] { 100L, 1000L, 10000L }.Select(n => new BenchmarkRecord
        {
            Namespace = "Perf",
            Type = "SortBenchmarks",
            Method = "Sort",
            Parameters = $"n={n}",
            FullName = $"Perf.SortBenchmarks.Sort(n: {n})",
            Group = n == 100 ? null : "sort",
            Dims = new Dictionary<string, object?> { ["n"] = n, ["ratio"] = 0.5, ["kind"] = "asc", ["warm"] = true },
            Timing = new TimingResult { RoundNanoseconds = [n * 1.5, n * 1.6, n * 1.4, n * 1.55, n * 1.45], IterationsPerRound = 16, OverheadNanoseconds = 0.25 },
            Allocation = new AllocationResult { TotalOperations = 16, BytesAllocatedPerOperation = n * 4 + 24, Gen0Collections = 1 },
            Memory = new MemoryResult
            {
                Passes = [.. Enumerable.Range(0, 3).Select(i => new MemoryPass
                {
                    PeakBytes = n * 4 + 24 + i, AllocatedBytes = n * 4 + 24, RetainedBytes = i, Allocations = 1, PeakMethod = PeakMethods.Exact,
                })],
                Options = new MemoryOptions { Repeats = 3 },
                AllocationsMethod = "profiler",
            },
        }).ToArray();
        using var stream = new MemoryStream();
        ResultsJson.WriteRun(stream, Samples.Run(), records);
        return stream.ToArray();
    }

    public static IEnumerable<(string Name, byte[] Bytes)> Sources() =>
    [
        ("benchmem.json", BenchmemFile()),
        ("bdn.json", Encoding.UTF8.GetBytes(ResultCorruptions.BenchmarkDotNetExport)),
    ];

    public static IEnumerable<Corruption> Inputs() =>
        Sources().SelectMany(s => ResultCorruptions.Fixed(s.Name, s.Bytes)
            .Concat(Enumerable.Range(0, SeedsPerSource).Select(seed => ResultCorruptions.Make(seed, s.Name, s.Bytes))));

    [Test]
    public void TheSourcesLoadUncorrupted()
    {
        foreach (var (name, bytes) in Sources())
        {
            File.WriteAllBytes(_dir.File(name), bytes);
            Assert.That(BenchmarkRun.Load(_dir.File(name)).Benchmarks, Has.Count.GreaterThanOrEqualTo(2), name);
        }
    }

    [Test]
    public void EveryCorruptedFile_LoadsOrIsRefusedCleanly()
    {
        var watch = Stopwatch.StartNew();
        int loaded = 0, rejected = 0;
        var bugs = new List<string>();
        var path = _dir.File("corrupt.json");
        var good = new Dictionary<string, BenchmarkRun>();
        foreach (var (name, bytes) in Sources())
        {
            File.WriteAllBytes(_dir.File(name), bytes);
            good[name] = BenchmarkRun.Load(_dir.File(name));
        }
        var inputs = Inputs().ToList();
        foreach (var input in inputs)
        {
            File.WriteAllBytes(path, input.Bytes);
            try
            {
                var run = BenchmarkRun.Load(path);
                // What a loaded run is used for must not throw either: the comparison table in every format, and the gate.
                var pair = new[] { ("good", good[input.Source]), ("fuzzed", run) };
                foreach (var format in Enum.GetValues<TableFormat>())
                {
                    _ = ComparisonTable.Render(pair, new TableOptions
                    {
                        Columns = MetricField.All, Stat = TableStat.All, Format = format,
                        Diff = input.Seed % 2 == 0, Sort = (TableSort)(Math.Abs(input.Seed) % 3), GroupBy = "group",
                    });
                }
                _ = Comparison.Of(good[input.Source], run).Check(Rules).ToString();
                loaded++;
            }
            catch (ResultsFileException e) when (IsOneLineNamingTheFile(e.Message, path))
            {
                rejected++;
            }
            catch (Exception e)
            {
                bugs.Add($"{input}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }
        TestContext.Progress.WriteLine($"reader fuzz: {inputs.Count} inputs fuzzed, {loaded} loaded, {rejected} rejected cleanly, {bugs.Count} bugs ({watch.Elapsed.TotalSeconds:F1} s)");
        Assert.That(inputs, Has.Count.GreaterThanOrEqualTo(500));
        Assert.That(bugs, Is.Empty, string.Join("\n", bugs.Take(30)));
        Assert.That(rejected, Is.GreaterThan(inputs.Count / 3), "most corruptions must be caught");
    }

    [Test]
    public void EveryCorruptedJournal_ReadsItsGoodLinesAndCountsTheRest()
    {
        var watch = Stopwatch.StartNew();
        int lines = 0, readBack = 0, broken = 0;
        var bugs = new List<string>();
        var good = ResultsJson.ToJournalLine(Samples.Record("A.B.C"));
        var path = _dir.File("corrupt.journal");
        for (int seed = 0; seed < SeedsPerSource; seed++)
        {
            var bad = ResultCorruptions.Make(seed, "journal line", good[..^1]); // without its newline
            var text = bad.Bytes.Where(b => b is not ((byte)'\n' or (byte)'\r')).ToArray();
            File.WriteAllBytes(path, [.. good, .. text, (byte)'\n', .. good]);
            try
            {
                var records = Journal.Read(path, out int b);
                lines += 3;
                readBack += records.Count;
                broken += b;
                if (records.Count + b != 3 && !(records.Count == 2 && b == 0 && text.All(c => c is (byte)' ' or (byte)'\t' or (byte)'\r')))
                    bugs.Add($"{bad}: {records.Count} read + {b} broken of 3 lines");
            }
            catch (Exception e)
            {
                bugs.Add($"{bad}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }
        TestContext.Progress.WriteLine($"journal fuzz: {lines} lines, {readBack} read back, {broken} counted broken, {bugs.Count} bugs ({watch.Elapsed.TotalSeconds:F1} s)");
        Assert.That(bugs, Is.Empty, string.Join("\n", bugs.Take(30)));
    }

    private static bool IsOneLineNamingTheFile(string message, string path) =>
        message.StartsWith(path + ": ", StringComparison.Ordinal) && !message.Contains('\n');
}
