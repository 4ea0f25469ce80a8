using Benchmem.Core.Reporting;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;

namespace Benchmem.NUnit.Reporting;

/// <summary>The end-of-run table (pytest-benchmark's shape) and the one-line summary in each test's output.</summary>
internal static class ConsoleReport
{
    public static void Print(ResultsSession session)
    {
        var rows = session.Records.Where(r => r.Timing is not null).Select(Row).ToList();
        var text = ResultsTable.Render(rows);
        Report.Line("");
        Report.Line(text.TrimEnd());
        if (session.Run.ParallelTests)
            Report.Line("Benchmem: WARNING: other tests ran in parallel with benchmarks; timings may be distorted.");
        Report.Line($"Benchmem: {rows.Count} benchmark(s) written to {session.ResultsPath}");
    }

    public static TableRow Row(BenchmarkRecord r)
    {
        var s = new Statistics(r.Timing!.RoundNanoseconds);
        var memory = new List<MemoryCell>();
        if (r.Allocation is { } a)
            memory.Add(new MemoryCell(a.MultiThreaded ? "Alloc/op*" : "Alloc/op", new MemoryValue(a.BytesAllocatedPerOperation, MemoryUnit.Bytes)));
        var name = r.FullName.StartsWith(r.Namespace + ".", StringComparison.Ordinal) && r.Namespace.Length > 0
            ? r.FullName[(r.Namespace.Length + 1)..]
            : r.FullName;
        return new TableRow(name, r.Group, s.Min, s.Max, s.Mean, s.StandardDeviation, s.Median, s.OperationsPerSecond,
            s.N, r.Timing.IterationsPerRound, r.Optimized, memory);
    }

    /// <summary>One line in the test's own output, e.g. "Benchmem: median 1.204 ms, mean 1.310 ms ±0.05 ms, 40 B/op (812 rounds × 1)".</summary>
    public static string Summary(BenchmarkRecord r)
    {
        var s = new Statistics(r.Timing!.RoundNanoseconds);
        var alloc = r.Allocation is { } a ? $", {ByteSize.Format(a.BytesAllocatedPerOperation)}/op allocated" : "";
        var flag = r.Optimized ? "" : $" [debug: {Session.Optimization.Fix}]";
        return $"Benchmem: median {TimeFormat.Format(s.Median)}, mean {TimeFormat.Format(s.Mean)} ± {TimeFormat.Format(s.StandardDeviation)}"
            + $"{alloc} ({s.N} rounds × {r.Timing.IterationsPerRound} calls){flag}";
    }
}
