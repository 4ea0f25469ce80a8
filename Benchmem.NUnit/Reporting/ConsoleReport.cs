using Benchmem.Core.Compare;
using Benchmem.Core.Memory;
using Benchmem.Core.Reporting;
using Benchmem.Core.Settings;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;

using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Reporting;

/// <summary>The end-of-run table (pytest-benchmark's shape) and the one-line summary in each test's output.</summary>
internal static class ConsoleReport
{
    /// <param name="baseline">Benchmem.CompareTo's (or CompareFail's) baseline: its numbers and the change go into the table.</param>
    public static void Print(ResultsSession session, BenchmemSettings settings, int abandoned, InlineGate? baseline = null)
    {
        // Every measured record: a memory-only one (no rounds) too, with "-" for its timing cells.
        var records = session.Records.Where(r => r.Timing is not null || r.Memory is not null).ToList();
        var rows = Rows(records, settings, baseline);
        var text = ResultsTable.Render(rows, new RunTableOptions(TerminalWidth(), settings.TimingColumns, settings.Sort, settings.Layout));
        Report.Line("");
        Report.Line(text.TrimEnd());
        var timed = records.Where(r => r.Timing is not null).ToList();
        if (timed.Count > 0)
            Report.Line($"Benchmem: {WorkloadResult.OwnStatisticsNote} ({timed.Sum(r => r.Timing!.Workload.UpperOutliersRemoved)} of {timed.Sum(r => r.Timing!.RoundNanoseconds.Length)} rounds here).");
        var upper = records.Where(r => r.Memory?.PeakMethod == PeakMethods.HeapHighWater).Select(r => ShortName(r)).ToList();
        if (upper.Count > 0)
            Report.Line($"Benchmem: peak is the heap high-water (an upper bound when the call makes garbage) for: {string.Join(", ", upper)}; "
                + "the others are the live high-water (garbage excluded), exact or within the bound the JSON gives (PeakBoundBytes).");
        if (records.Any(r => r.Memory is { AllocationsMethod: null }) && settings.Columns.Contains("allocations"))
            Report.Line("Benchmem: allocations (object counts) need the memory host's profiler; this run measured in process, so they show '-'.");
        if (abandoned > 0)
            Report.Line($"Benchmem: WARNING: {abandoned} benchmark(s) passed Benchmem.Timeout and were abandoned, possibly still running; timings after them may be disturbed.");
        if (session.Run.ParallelTests)
            Report.Line("Benchmem: WARNING: other tests ran in parallel with benchmarks; timings may be distorted.");
        Report.Line($"Benchmem: {rows.Count} benchmark(s) written to {session.ResultsPath}");
    }

    /// <summary>
    /// 120 columns, or the terminal's width when it is known to be wider: COLUMNS (exported by the shell), else the
    /// console's window when the output is a terminal (under dotnet test it is a pipe).
    /// </summary>
    internal static int TerminalWidth()
    {
        const int Default = 120;
        if (int.TryParse(System.Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
            return Math.Max(Default, columns);
        try
        {
            return !Console.IsOutputRedirected && Console.WindowWidth > Default ? Console.WindowWidth : Default;
        }
        catch (IOException)
        {
            return Default;
        }
    }

    /// <summary>The memory columns whose passes agree in every row: one value stands for min, mean and max there.</summary>
    private static HashSet<string> AgreeingColumns(IEnumerable<BenchmarkRecord> records, BenchmemSettings settings) =>
        [.. settings.Columns.Where(column => records.All(r => r.Memory is not { } m || Metric(m, column).Values.Distinct().Count() <= 1))];

    /// <summary>The table's rows: a memory column whose passes agree in every row gets one cell per row, not one per stat.</summary>
    internal static List<TableRow> Rows(IReadOnlyList<BenchmarkRecord> records, BenchmemSettings settings, InlineGate? baseline = null)
    {
        var agreeing = AgreeingColumns(records, settings);
        var ratios = RunRatios.Of(records, settings.Columns);
        return [.. records.Select(r => Row(r, settings, agreeing, baseline, ratios))];
    }

    private static TableRow Row(BenchmarkRecord r, BenchmemSettings settings, HashSet<string> agreeing, InlineGate? baseline, RunRatios ratios)
    {
        var memory = new List<MemoryCell>();
        if (r.Allocation is { } a)
            memory.Add(new MemoryCell(a.MultiThreaded ? "Alloc/op*" : "Alloc/op", new MemoryValue(a.BytesAllocatedPerOperation, MetricKind.Bytes)));
        if (r.Memory is { } m)
            memory.AddRange(MemoryCells(m, settings, agreeing));
        // The benchmark's own numbers (Bench.Metric): a column each, under the name the test gave.
        memory.AddRange(r.Metrics.Select(kv => new MemoryCell(kv.Key, new MemoryValue(kv.Value, MetricKind.Count))));
        var labels = settings.ExtraColumns.Select(name => new LabelCell(name, r.Dims.TryGetValue(name, out var v) ? DimText(v) : "-")).ToList();
        var extra = new List<TextCell>();
        if (baseline is not null)
            extra.AddRange(BaselineCells(r, baseline.BaselineOf(r.FullName), settings));
        extra.AddRange(ratios.Cells(r));
        var name = ShortName(r) + (r.Baseline && ratios.Any ? " (B)" : "");
        var s = r.Timing?.Summary; // every round, summarised once per record
        var row = s is null ? TableRow.Untimed(name, r.Group, r.Optimized, memory)
            : new TableRow(name, r.Group, s.Min, s.Max, s.Mean, s.StandardDeviation, s.Median, s.OperationsPerSecond,
                s.N, r.Timing!.IterationsPerRound, r.Optimized, memory);
        return row with { Labels = labels, Extra = extra };
    }

    /// <summary>A dim's value as the FullName writes it: numbers invariant, strings bare.</summary>
    private static string DimText(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("G", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Benchmem.CompareTo's columns: per metric shown (time: the median; each Benchmem.Columns metric: the headline pass)
    /// the baseline's value and the change; "new" where the baseline lacks the benchmark, "-" where either side lacks the metric.
    /// </summary>
    private static IEnumerable<TextCell> BaselineCells(BenchmarkRecord r, BenchmarkRecord? before, BenchmemSettings settings)
    {
        var fields = new List<(MetricField Field, TableSide Side)>();
        if (r.Timing is not null)
            fields.Add((MetricField.Time, TableSide.Timing));
        fields.AddRange(settings.Columns.Select(c => (Core.Compare.Metric.ParseField(c), TableSide.Memory)));
        foreach (var (field, side) in fields)
        {
            if (before is null)
            {
                yield return new TextCell($"{field.Name} base", "new", side);
                yield return new TextCell($"{field.Name} Δ", "", side);
                continue;
            }
            var (was, now) = (field.Value(before), field.Value(r));
            yield return new TextCell($"{field.Name} base", was is { } w ? field.Format(w) : "-", side);
            yield return new TextCell($"{field.Name} Δ",
                was is { } b && now is { } n ? Core.Compare.Metric.FormatChange(Core.Compare.Metric.ChangePercent(b, n)) : "-", side);
        }
    }

    /// <summary>One cell per chosen metric; with several passes that differ somewhere in the table, one per chosen stat ("peak min", "peak max").</summary>
    private static IEnumerable<MemoryCell> MemoryCells(MemoryResult m, BenchmemSettings settings, HashSet<string> agreeing)
    {
        foreach (var column in settings.Columns)
        {
            var (values, unit) = Metric(m, column);
            if (values.Any(v => v is null))
                continue; // not measured in this mode: the table shows '-'
            var numbers = values.Select(v => (double)v!.Value).ToList();
            if (numbers.Count == 1 || agreeing.Contains(column))
            {
                yield return new MemoryCell(column, new MemoryValue(numbers[0], unit));
                continue;
            }
            foreach (var stat in settings.Stats)
            {
                double value = stat switch { "min" => numbers.Min(), "max" => numbers.Max(), _ => numbers.Average() };
                yield return new MemoryCell($"{column} {stat}", new MemoryValue(value, unit));
            }
        }
    }

    /// <summary>Every pass's value of a <c>Benchmem.Columns</c> metric (validated against the per-pass metrics), and what it counts.</summary>
    private static (List<long?> Values, MetricKind Unit) Metric(MemoryResult m, string column)
    {
        var field = Core.Compare.Metric.ParseField(column);
        return ([.. m.Passes.Select(field.PassValue)], field.Kind);
    }

    private static string ShortName(BenchmarkRecord r) => BenchmarkKey.ShortName(r);

    /// <summary>One line in the test's own output, e.g. "Benchmem: median 1.204 ms, mean 1.310 ms ±0.05 ms, 40 B/op (812 rounds × 1)".</summary>
    public static string Summary(BenchmarkRecord r)
    {
        var s = r.Timing?.Summary; // every round, summarised once per record; null in a memory-only run
        var alloc = r.Allocation is { } a ? $", {ByteSize.Format(a.BytesAllocatedPerOperation)}/op allocated" : "";
        var flag = r.Optimized ? "" : $" [debug: {Optimization.Fix}]";
        if (r.Memory is { } m)
        {
            var h = m.Headline;
            alloc += $"; memory: peak {ByteSize.Format(h.PeakBytes)} ({m.PeakMethod}, min of {m.Passes.Count} pass{(m.Passes.Count > 1 ? "es" : "")}), "
                + $"allocated {ByteSize.Format(h.AllocatedBytes)}, retained {ByteSize.Format(h.RetainedBytes)}"
                + (h.Allocations is { } n ? $", {CountFormat.Format(n)} objects" : "");
        }
        if (s is null)
            return $"Benchmem: no timing rounds (memory only){alloc}{flag}";
        return $"Benchmem: median {TimeFormat.Format(s.Median)}, mean {TimeFormat.Format(s.Mean)} ± {TimeFormat.Format(s.StandardDeviation)}"
            + $"{alloc} ({s.N} rounds × {r.Timing!.IterationsPerRound} calls){flag}";
    }
}
