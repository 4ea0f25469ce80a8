using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
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
}
