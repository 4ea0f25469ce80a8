using System.Diagnostics;
using Benchmem.Core.Compare;
using Benchmem.Core.Results;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Compare;

/// <summary>
/// How long comparing two runs of 10,000 benchmarks takes (the goal: under 1 s). Printed, not asserted: a
/// timed assertion fails on a busy CI machine for reasons that have nothing to do with the code.
/// </summary>
public class CompareSpeedTests
{
    private const int Benchmarks = 10_000;
    private const int RoundsPerBenchmark = 100;

    private static BenchmarkRecord Make(int i, double scale)
    {
        var random = new Random(i);
        double center = 1_000 + i % 997 * 10;
        var rounds = Enumerable.Range(0, RoundsPerBenchmark).Select(_ => center * scale * (1 + 0.05 * random.NextDouble())).ToArray();
        long peak = (long)((10_000 + i * 8L) * (i % 10 == 0 ? scale : 1));
        return Record($"Type{i / 100}", "Run", dims: [("n", (long)i)], group: $"g{i % 7}", time: rounds, allocatedPerOp: peak,
            passes: [Pass(peak + 64, allocations: 3 + i % 5), Pass(peak, allocations: 3 + i % 5), Pass(peak + 32, allocations: 3 + i % 5)]);
    }

    [Test]
    public void TwoRunsOfTenThousandBenchmarks()
    {
        var clock = Stopwatch.StartNew();
        // Benchmarks 0..9 only in the baseline, 10,000..10,009 only in the candidate; every 10th grows by 20%.
        var baseline = Enumerable.Range(0, Benchmarks).Select(i => Make(i, 1.0)).ToArray();
        var candidate = Enumerable.Range(10, Benchmarks).Select(i => Make(i, i % 10 == 0 ? 1.2 : 1.0)).ToArray();
        // In memory: the reader is not what is timed here (and writing 20,000 records takes longer than comparing them).
        IReadOnlyList<BenchmarkRecord> baseRun = baseline, candidateRun = candidate;
        TimeSpan setup = clock.Elapsed;

        clock.Restart();
        var comparison = Comparison.Of(baseRun, candidateRun);
        TimeSpan of = clock.Elapsed;
        clock.Restart();
        var result = comparison.Check("time:5%", "peak:10%", "allocations:5%");
        TimeSpan check = clock.Elapsed;
        clock.Restart();
        string text = ComparisonTable.Render([("base", baseRun), ("candidate", candidateRun)], new TableOptions());
        TimeSpan render = clock.Elapsed;
        clock.Restart();
        string csv = ComparisonTable.Render([("base", baseRun), ("candidate", candidateRun)], new TableOptions { Format = TableFormat.Csv, Diff = true, Sort = TableSort.Change, GroupBy = "group" });
        TimeSpan renderCsv = clock.Elapsed;

        TestContext.Progress.WriteLine(
            $"Compare speed, {Benchmarks:N0} benchmarks × {RoundsPerBenchmark} rounds per run: Comparison.Of {of.TotalMilliseconds:F0} ms, " +
            $"Check (3 rules, {result.Changes.Count:N0} checks, {result.Regressions.Count:N0} regressions) {check.TotalMilliseconds:F0} ms, " +
            $"Render text {render.TotalMilliseconds:F0} ms, Render csv (diff, sorted by change, grouped) {renderCsv.TotalMilliseconds:F0} ms; " +
            $"Of + Check + Render text {(of + check + render).TotalMilliseconds:F0} ms (building the records: {setup.TotalMilliseconds:F0} ms)");

        // What was compared, so the timing is of real work.
        Assert.That(comparison.Matched, Has.Count.EqualTo(Benchmarks - 10));
        Assert.That(result.OnlyInBaseline, Has.Count.EqualTo(10));
        Assert.That(result.Regressions.Count(r => r.Rule.Field == MetricField.Peak), Is.EqualTo(999));
        Assert.That(text.Split('\n'), Has.Length.GreaterThan(2 * Benchmarks));
        Assert.That(csv.Split("\r\n"), Has.Length.EqualTo(2 * (Benchmarks + 10) + 2));
    }
}
