using System.Globalization;
using System.Text.Json;
using Benchmem.Core.Memory;
using Benchmem.Core.Timing;
using F = Benchmem.Core.Results.ResultsFields;

namespace Benchmem.Core.Results;

/// <summary>
/// Writes the results format: BenchmarkDotNet's full JSON export (so github-action-benchmark and dotnet/performance's
/// ResultsComparer read it unchanged) plus a "Benchmem" block per benchmark and per run. One benchmark entry is also
/// exactly one journal line, so the journal and the file share this writer. Field names are <see cref="ResultsFields"/>;
/// <see cref="ResultsReader"/> reads what this writes.
/// </summary>
internal static class ResultsWriter
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Writes the whole results file.</summary>
    public static void WriteRun(Stream stream, RunInfo run, IReadOnlyList<BenchmarkRecord> records)
    {
        using var w = new Utf8JsonWriter(stream, Indented);
        w.WriteStartObject();
        w.WriteString(F.Run.Title, run.Title);
        WriteHostEnvironment(w, run);
        w.WriteStartArray(F.Run.Benchmarks);
        foreach (var r in records)
            WriteBenchmark(w, r, run.Host.HardwareIntrinsics);
        w.WriteEndArray();
        w.WriteStartObject(F.Benchmem);
        w.WriteNumber(F.RunBlock.SchemaVersion, RunInfo.SchemaVersion);
        w.WriteString(F.RunBlock.Version, RunInfo.Version);
        WriteStringOrNull(w, F.RunBlock.BenchmemCommit, RunInfo.BenchmemCommit);
        w.WriteString(F.RunBlock.Assembly, run.AssemblyName);
        w.WriteString(F.RunBlock.Datetime, run.Started.ToString("O", CultureInfo.InvariantCulture));
        w.WriteStartObject(F.RunBlock.MachineInfo);
        w.WriteString(F.RunBlock.Node, run.Host.MachineName);
        w.WriteString(F.RunBlock.Processor, run.Host.ProcessorName);
        w.WriteNumber(F.RunBlock.Cores, run.Host.LogicalCoreCount);
        w.WriteString(F.RunBlock.Os, run.Host.OsVersion);
        w.WriteString(F.RunBlock.Runtime, run.Host.RuntimeVersion);
        w.WriteEndObject();
        if (run.Commit is { } c)
        {
            w.WriteStartObject(F.RunBlock.CommitInfo);
            w.WriteString(F.RunBlock.CommitId, c.Id);
            w.WriteBoolean(F.RunBlock.CommitDirty, c.Dirty);
            WriteStringOrNull(w, F.RunBlock.CommitBranch, c.Branch);
            w.WriteEndObject();
        }
        else
            w.WriteNull(F.RunBlock.CommitInfo);
        w.WriteBoolean(F.RunBlock.ParallelTests, run.ParallelTests);
        WriteStringOrNull(w, F.RunBlock.RunKey, run.RunKey);
        if (run.Label is not null)
            w.WriteString(F.RunBlock.Label, run.Label);
        if (run.Sweep is { } sweep)
        {
            w.WritePropertyName(F.RunBlock.Sweep);
            WriteSweep(w, sweep);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>One compact JSON line for the journal.</summary>
    public static byte[] ToJournalLine(BenchmarkRecord r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            WriteBenchmark(w, r, Provenance.HostInfo.Current.HardwareIntrinsics);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes one Benchmarks[] entry.</summary>
    public static void WriteBenchmark(Utf8JsonWriter w, BenchmarkRecord r, string? hardwareIntrinsics = null)
    {
        w.WriteStartObject();
        // BDN's "Type.Method: Job [a=1, b=2]", Benchmem standing in for the job.
        w.WriteString(F.Entry.DisplayInfo, $"{r.Type}.{r.Method}: Benchmem" + (r.Parameters.Length > 0 ? $" [{r.Parameters.Replace("&", ", ")}]" : ""));
        w.WriteString(F.Entry.Namespace, r.Namespace);
        w.WriteString(F.Entry.Type, r.Type);
        w.WriteString(F.Entry.Method, r.Method);
        w.WriteString(F.Entry.MethodTitle, r.Method);
        w.WriteString(F.Entry.Parameters, r.Parameters);
        w.WriteString(F.Entry.FullName, r.FullName);
        w.WriteString(F.Entry.HardwareIntrinsics, hardwareIntrinsics ?? "");
        var timing = r.Timing;
        // BDN's Statistics are of its "Workload Result": the rounds without upper outliers (every round is kept in
        // Benchmem.Timing.RoundNanoseconds and in Measurements). Both are computed once per timing and kept.
        var result = timing?.Workload;
        if (result is not null)
        {
            w.WriteStartObject(F.Entry.Statistics);
            WriteStatistics(w, result.Statistics);
            w.WriteEndObject();
        }
        w.WriteStartObject(F.Entry.Memory);
        var a = r.Allocation;
        w.WriteNumber(F.BdnMemory.Gen0Collections, a?.Gen0Collections ?? 0);
        w.WriteNumber(F.BdnMemory.Gen1Collections, a?.Gen1Collections ?? 0);
        w.WriteNumber(F.BdnMemory.Gen2Collections, a?.Gen2Collections ?? 0);
        w.WriteNumber(F.BdnMemory.TotalOperations, a?.TotalOperations ?? 0);
        w.WriteNumber(F.BdnMemory.BytesAllocatedPerOperation, a?.BytesAllocatedPerOperation ?? 0);
        w.WriteEndObject();
        w.WriteStartArray(F.Entry.Measurements);
        if (result is not null)
            WriteMeasurements(w, result);
        w.WriteEndArray();
        w.WriteStartArray(F.Entry.Metrics);
        WriteMetrics(w, r);
        w.WriteEndArray();

        w.WriteStartObject(F.Benchmem);
        w.WriteStartObject(F.EntryBlock.Dims);
        foreach (var (name, value) in r.Dims)
            WriteScalar(w, name, value);
        w.WriteEndObject();
        if (r.Group is null) w.WriteNull(F.EntryBlock.Group); else w.WriteString(F.EntryBlock.Group, r.Group);
        w.WriteBoolean(F.EntryBlock.Optimized, r.Optimized);
        if (r.KeptFrom is not null) w.WriteString(F.EntryBlock.KeptFrom, r.KeptFrom);
        if (r.Baseline) w.WriteBoolean(F.EntryBlock.Baseline, true);
        if (r.Metrics.Count > 0)
        {
            w.WriteStartObject(F.EntryBlock.Metrics);
            foreach (var (name, value) in r.Metrics)
                w.WriteNumber(name, value);
            w.WriteEndObject();
        }
        if (timing is not null)
            WriteTiming(w, timing, result!);
        if (timing?.Calibration is { } calibration)
            WriteCalibration(w, calibration);
        if (r.Memory is { } memory)
            WriteMemory(w, memory);
        if (a is not null)
        {
            w.WriteStartObject(F.EntryBlock.Allocation);
            w.WriteString(F.Allocation.Method, a.MultiThreaded ? "all-threads" : "current-thread");
            w.WriteBoolean(F.Allocation.MultiThreaded, a.MultiThreaded);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Benchmem.Timing: every round, and pytest-benchmark's OPS and outliers over them.</summary>
    private static void WriteTiming(Utf8JsonWriter w, TimingResult timing, WorkloadResult result)
    {
        w.WriteStartObject(F.EntryBlock.Timing);
        w.WriteNumber(F.Timing.Rounds, timing.RoundNanoseconds.Length);
        // Every round, ns per operation; the BDN Statistics above leave out result.UpperOutliersRemoved of them.
        WriteNumbers(w, F.Timing.RoundNanoseconds, timing.RoundNanoseconds);
        w.WriteNumber(F.Timing.UpperOutliersRemoved, result.UpperOutliersRemoved);
        if (timing.OutliersRemoved)
            w.WriteBoolean(F.Timing.RoundsAreBdnResult, true); // rounds taken from a BDN export: not filtered again on reading
        w.WriteNumber(F.Timing.IterationsPerRound, timing.IterationsPerRound);
        w.WriteNumber(F.Timing.OverheadNanoseconds, Round(timing.OverheadNanoseconds));
        w.WriteNumber(F.Timing.WarmupMilliseconds, Round(timing.WarmupMilliseconds));
        w.WriteNumber(F.Timing.TotalMilliseconds, Round(timing.TotalMilliseconds));
        if (timing.LaunchRounds is { } launches)
            WriteNumbers(w, F.Timing.LaunchRounds, launches);
        // Statistics of an empty or non-finite sample do not exist; the old writer threw there, so does this.
        var summary = timing.Summary ?? throw new ArgumentException(
            "Cannot compute statistics of a timing sample that is empty or contains NaN or infinity.", nameof(timing));
        w.WriteNumber(F.Timing.OperationsPerSecond, summary.OperationsPerSecond);
        w.WriteString(F.Timing.Outliers, summary.OutliersText);
        w.WriteEndObject();
    }

    /// <summary>Benchmem.Calibration: each sample's workload, position among the rounds and ns per operation.</summary>
    private static void WriteCalibration(Utf8JsonWriter w, CalibrationResult calibration)
    {
        w.WriteStartObject(F.EntryBlock.Calibration);
        w.WriteNumber(F.Calibration.Version, calibration.Version);
        w.WriteStartArray(F.Calibration.Workloads);
        foreach (var name in calibration.Workloads)
            w.WriteStringValue(name);
        w.WriteEndArray();
        WriteNumbers(w, F.Calibration.Workload, calibration.Workload);
        WriteNumbers(w, F.Calibration.BeforeRound, calibration.BeforeRound);
        WriteNumbers(w, F.Calibration.Nanoseconds, calibration.Nanoseconds);
        w.WriteNumber(F.Calibration.Milliseconds, Round(calibration.Milliseconds));
        w.WriteEndObject();
    }

    /// <summary>
    /// BDN's Measurements: every round as "Workload Actual" (its total ns, Benchmem's overhead already subtracted), then
    /// the kept rounds as "Workload Result", numbered from 1 as BDN numbers them.
    /// </summary>
    private static void WriteMeasurements(Utf8JsonWriter w, WorkloadResult result)
    {
        void One(string stage, int index, double nanoseconds)
        {
            w.WriteStartObject();
            w.WriteString(F.Measurement.IterationMode, "Workload");
            w.WriteString(F.Measurement.IterationStage, stage);
            w.WriteNumber(F.Measurement.LaunchIndex, 1);
            w.WriteNumber(F.Measurement.IterationIndex, index);
            w.WriteNumber(F.Measurement.Operations, result.Operations);
            w.WriteNumber(F.Measurement.Nanoseconds, nanoseconds);
            w.WriteEndObject();
        }
        for (int i = 0; i < result.RoundTotals.Length; i++)
            One("Actual", i + 1, result.RoundTotals[i]);
        for (int i = 0; i < result.PerOperation.Length; i++)
            One("Result", i + 1, result.PerOperation[i] * result.Operations);
    }

    /// <summary>BDN's Metrics array's elements: each value with its descriptor (<see cref="BdnMetrics"/>).</summary>
    private static void WriteMetrics(Utf8JsonWriter w, BenchmarkRecord r)
    {
        foreach (var (d, value) in BdnMetrics.Of(r))
        {
            w.WriteStartObject();
            w.WritePropertyName(F.MetricEntry.Value);
            WriteBdnValue(w, value);
            w.WriteStartObject(F.MetricEntry.Descriptor);
            w.WriteString(F.MetricEntry.Id, d.Id);
            w.WriteString(F.MetricEntry.DisplayName, d.DisplayName);
            w.WriteString(F.MetricEntry.Legend, d.Legend);
            w.WriteString(F.MetricEntry.NumberFormat, d.NumberFormat);
            w.WriteNumber(F.MetricEntry.UnitType, d.UnitType);
            w.WriteString(F.MetricEntry.Unit, d.Unit);
            w.WriteBoolean(F.MetricEntry.TheGreaterTheBetter, d.TheGreaterTheBetter);
            w.WriteNumber(F.MetricEntry.PriorityInCategory, d.PriorityInCategory);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    /// <summary>The memory passes: every pass kept as a series, with how peak and allocations were obtained.</summary>
    private static void WriteMemory(Utf8JsonWriter w, MemoryResult m)
    {
        w.WriteStartObject(F.EntryBlock.Series);
        foreach (var series in PassSeries.All)
            if (series.WrittenUnmeasured || m.Passes.Any(p => series.Read(p) is not null))
                WriteSeries(w, series.Name, m.Passes.Select(series.Read));
        w.WriteEndObject();
        w.WriteString(F.EntryBlock.PeakMethod, m.PeakMethod);
        w.WriteStartArray(F.EntryBlock.PassPeakMethods);
        foreach (var p in m.Passes)
            w.WriteStringValue(p.PeakMethod);
        w.WriteEndArray();
        WriteStringOrNull(w, F.EntryBlock.AllocationsMethod, m.AllocationsMethod);
        w.WriteNumber(F.EntryBlock.UnobservedGcs, m.Passes.Sum(p => p.UnobservedGcs));
        w.WriteBoolean(F.EntryBlock.MemoryMultiThreaded, m.Passes.Any(p => p.MultiThreaded));
        w.WriteStartObject(F.EntryBlock.Options);
        w.WriteNumber(F.MemoryOptions.Repeats, m.Options.Repeats);
        w.WriteNumber(F.MemoryOptions.Warmup, m.Options.Warmup);
        w.WriteNumber(F.MemoryOptions.Calls, m.Options.Calls);
        w.WriteBoolean(F.MemoryOptions.Rss, m.Options.Rss);
        if (m.Options.Isolated)
            w.WriteBoolean(F.MemoryOptions.Isolated, true);
        w.WriteEndObject();
    }

    /// <summary>A series is empty when the metric was not measured (e.g. allocations without the profiler).</summary>
    private static void WriteSeries(Utf8JsonWriter w, string name, IEnumerable<long?> values)
    {
        var list = values.ToList();
        w.WriteStartArray(name);
        if (list.All(v => v.HasValue))
            foreach (var v in list)
                w.WriteNumberValue(v!.Value);
        w.WriteEndArray();
    }

    /// <summary>
    /// Writes the properties of BDN's full-JSON <c>"Statistics"</c> object, in BDN's order, into the object the
    /// caller has already started (no braces are written, so the caller may add its own fields after them).
    /// NaN and ±infinity (N = 1 or constant-sample Skewness/Kurtosis, Margin/Lower/Upper for N &lt;= 2) are written
    /// as the empty string <c>""</c>, exactly as BDN's SimpleJson exporter writes them: JSON has no NaN, and
    /// readers of BDN's files already expect <c>""</c> there.
    /// </summary>
    public static void WriteStatistics(Utf8JsonWriter w, Statistics s)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(s);
        WriteBdnArray(w, F.Statistics.OriginalValues, s.OriginalValues);
        w.WriteNumber(F.Statistics.N, s.N);
        WriteBdnNumber(w, F.Statistics.Min, s.Min);
        WriteBdnNumber(w, F.Statistics.LowerFence, s.LowerFence);
        WriteBdnNumber(w, F.Statistics.Q1, s.Q1);
        WriteBdnNumber(w, F.Statistics.Median, s.Median);
        WriteBdnNumber(w, F.Statistics.Mean, s.Mean);
        WriteBdnNumber(w, F.Statistics.Q3, s.Q3);
        WriteBdnNumber(w, F.Statistics.UpperFence, s.UpperFence);
        WriteBdnNumber(w, F.Statistics.Max, s.Max);
        WriteBdnNumber(w, F.Statistics.InterquartileRange, s.InterquartileRange);
        WriteBdnArray(w, F.Statistics.LowerOutliers, s.LowerOutliers);
        WriteBdnArray(w, F.Statistics.UpperOutliers, s.UpperOutliers);
        WriteBdnArray(w, F.Statistics.AllOutliers, s.AllOutliers);
        WriteBdnNumber(w, F.Statistics.StandardError, s.StandardError);
        WriteBdnNumber(w, F.Statistics.Variance, s.Variance);
        WriteBdnNumber(w, F.Statistics.StandardDeviation, s.StandardDeviation);
        WriteBdnNumber(w, F.Statistics.Skewness, s.Skewness);
        WriteBdnNumber(w, F.Statistics.Kurtosis, s.Kurtosis);

        var ci = s.ConfidenceInterval;
        w.WriteStartObject(F.Statistics.ConfidenceInterval);
        w.WriteNumber(F.Statistics.N, ci.N);
        WriteBdnNumber(w, F.Statistics.Mean, ci.Mean);
        WriteBdnNumber(w, F.Statistics.StandardError, ci.StandardError);
        w.WriteNumber(F.Statistics.Level, ci.Level);
        WriteBdnNumber(w, F.Statistics.Margin, ci.Margin);
        WriteBdnNumber(w, F.Statistics.Lower, ci.Lower);
        WriteBdnNumber(w, F.Statistics.Upper, ci.Upper);
        w.WriteEndObject();

        var p = s.Percentiles;
        w.WriteStartObject(F.Statistics.Percentiles);
        // BDN's names: P and the rank.
        foreach (var (rank, value) in new[] { (0, p.P0), (25, p.P25), (50, p.P50), (67, p.P67), (80, p.P80), (85, p.P85), (90, p.P90), (95, p.P95), (100, p.P100) })
            WriteBdnNumber(w, "P" + rank.ToString(CultureInfo.InvariantCulture), value);
        w.WriteEndObject();
    }

    /// <summary>The Benchmem.Sweep block: which package version (and target framework) the run measured.</summary>
    internal static void WriteSweep(Utf8JsonWriter w, SweepPoint sweep)
    {
        w.WriteStartObject();
        w.WriteString(F.RunBlock.SweepPackage, sweep.Package);
        w.WriteString(F.RunBlock.SweepVersion, sweep.Version);
        WriteStringOrNull(w, F.RunBlock.SweepFramework, sweep.Framework);
        w.WriteEndObject();
    }

    private static void WriteHostEnvironment(Utf8JsonWriter w, RunInfo run)
    {
        var h = run.Host;
        w.WriteStartObject(F.Run.HostEnvironmentInfo);
        w.WriteString(F.Host.Caption, "Benchmem");
        w.WriteString(F.Host.Version, RunInfo.Version);
        w.WriteString(F.Host.OsVersion, h.OsVersion);
        w.WriteString(F.Host.ProcessorName, h.ProcessorName);
        WriteCount(w, F.Host.PhysicalProcessorCount, h.PhysicalProcessorCount);
        WriteCount(w, F.Host.PhysicalCoreCount, h.PhysicalCoreCount);
        w.WriteNumber(F.Host.LogicalCoreCount, h.LogicalCoreCount);
        w.WriteString(F.Host.RuntimeVersion, h.RuntimeVersion);
        w.WriteString(F.Host.Architecture, h.Architecture);
        w.WriteBoolean(F.Host.HasAttachedDebugger, h.HasAttachedDebugger);
        w.WriteBoolean(F.Host.HasRyuJit, true);
        w.WriteString(F.Host.Configuration, run.Configuration);
        WriteStringOrNull(w, F.Host.DotNetCliVersion, h.DotNetCliVersion);
        w.WriteStartObject(F.Host.ChronometerFrequency);
        w.WriteNumber(F.Host.Hertz, h.TimerFrequency);
        w.WriteEndObject();
        w.WriteString(F.Host.HardwareTimerKind, "Unknown");
        w.WriteEndObject();
    }

    /// <summary>A dim: long, double, bool, null or text, each so it reads back as the same kind.</summary>
    internal static void WriteScalar(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(name); break;
            case bool v: w.WriteBoolean(name, v); break;
            case long v: w.WriteNumber(name, v); break;
            case double v when double.IsFinite(v):
                // Written so it reads back as a double: 2.0, not 2 (which would come back as a long).
                var text = v.ToString("R", CultureInfo.InvariantCulture);
                w.WritePropertyName(name);
                w.WriteRawValue(text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0");
                break;
            case double v: w.WriteString(name, v.ToString(CultureInfo.InvariantCulture)); break;
            default: w.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }

    private static void WriteCount(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void WriteBdnNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        WriteBdnValue(w, value);
    }

    private static void WriteNumbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteBdnArray(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
            WriteBdnValue(w, v);
        w.WriteEndArray();
    }

    /// <summary>BDN's SimpleJson: NaN and ±infinity are written "".</summary>
    private static void WriteBdnValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
            w.WriteNumberValue(value);
        else
            w.WriteStringValue("");
    }

    private static double Round(double value) => Math.Round(value, 3);
}
