using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.Core.Units;
using Benchmem.NUnit.Reporting;

namespace Benchmem.NUnit.Tests.Api;

/// <summary>Stats=min,mean,max triples a memory column only where the passes differ: one column when they agree in every row.</summary>
public class ConsoleReportTests
{
    private static BenchmarkRecord Record(string method, params long[] peaks) => new()
    {
        Namespace = "Sample", Type = "T", Method = method, FullName = $"Sample.T.{method}",
        Timing = new TimingResult { RoundNanoseconds = [100, 110, 120], IterationsPerRound = 1 },
        Memory = new MemoryResult
        {
            Options = new MemoryOptions(),
            Passes = [.. peaks.Select(p => new MemoryPass { PeakBytes = p, AllocatedBytes = 1_000, RetainedBytes = 0, PeakMethod = PeakMethods.Exact })],
        },
    };

    private static string[] Columns(params BenchmarkRecord[] records) =>
        [.. ConsoleReport.Rows(records, BenchmemSettings.Default with { Columns = ["peak", "allocated"] }).SelectMany(r => r.Memory).Select(c => c.Column).Distinct()];

    [Test]
    public void PassesThatAgreeInEveryRowShowOneColumn() =>
        Assert.That(Columns(Record("A", 4_120, 4_120, 4_120), Record("B", 800, 800)), Is.EqualTo(new[] { "peak", "allocated" }));

    [Test]
    public void OneRowWhosePassesDifferKeepsTheStats() =>
        Assert.That(Columns(Record("A", 4_120, 4_120), Record("B", 800, 900)),
            Is.EqualTo(new[] { "peak min", "peak mean", "peak max", "allocated" }));

    [Test]
    public void CollectionsOfEveryGenerationAreColumnsAndCounts()
    {
        var record = new BenchmarkRecord
        {
            Namespace = "Sample", Type = "T", Method = "Churn", FullName = "Sample.T.Churn",
            Timing = new TimingResult { RoundNanoseconds = [100, 110, 120], IterationsPerRound = 1 },
            Memory = new MemoryResult
            {
                Options = new MemoryOptions(),
                Passes = [new MemoryPass { PeakBytes = 10, AllocatedBytes = 1, RetainedBytes = 0, Gen0 = 5, Gen1 = 2, Gen2 = 1, PeakMethod = PeakMethods.Exact }],
            },
        };
        var rows = ConsoleReport.Rows([record], BenchmemSettings.Default with { Columns = ["gen0", "gen1", "gen2"] });
        Assert.That(rows.Single().Memory.Select(c => (c.Column, c.Value.Amount, c.Value.Unit)),
            Is.EqualTo(new[] { ("gen0", 5.0, MetricKind.Count), ("gen1", 2.0, MetricKind.Count), ("gen2", 1.0, MetricKind.Count) }));
        var header = Benchmem.Core.Reporting.ResultsTable.Render(rows).Split('\n')[1];
        Assert.That(header, Does.EndWith("│  gen0  gen1  gen2"));
    }
}
