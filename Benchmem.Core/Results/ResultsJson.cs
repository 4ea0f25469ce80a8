using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Benchmem.Core.Memory;
using Benchmem.Core.Timing;
using System.Runtime.CompilerServices;

namespace Benchmem.Core.Results;

/// <summary>
/// Writes and reads the results format: BenchmarkDotNet's full JSON export (so github-action-benchmark and
/// dotnet/performance's ResultsComparer read it unchanged) plus a "Benchmem" block per benchmark and per run.
/// One benchmark entry is also exactly one journal line, so the journal and the file share one writer.
/// </summary>
public static class ResultsJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Writes one Benchmarks[] entry.</summary>
    public static void WriteBenchmark(Utf8JsonWriter w, BenchmarkRecord r)
    {
        w.WriteStartObject();
        w.WriteString("DisplayInfo", $"{r.Type}.{r.Method}: Benchmem" + (r.Parameters.Length > 0 ? $" [{r.Parameters}]" : ""));
        w.WriteString("Namespace", r.Namespace);
        w.WriteString("Type", r.Type);
        w.WriteString("Method", r.Method);
        w.WriteString("MethodTitle", r.Method);
        w.WriteString("Parameters", r.Parameters);
        w.WriteString("FullName", r.FullName);
        var timing = r.Timing;
        if (timing is not null)
        {
            w.WriteStartObject("Statistics");
            Statistics.WriteJson(w, new Statistics(timing.RoundNanoseconds));
            w.WriteEndObject();
        }
        w.WriteStartObject("Memory");
        var a = r.Allocation;
        w.WriteNumber("Gen0Collections", a?.Gen0Collections ?? 0);
        w.WriteNumber("Gen1Collections", a?.Gen1Collections ?? 0);
        w.WriteNumber("Gen2Collections", a?.Gen2Collections ?? 0);
        w.WriteNumber("TotalOperations", a?.TotalOperations ?? 0);
        w.WriteNumber("BytesAllocatedPerOperation", a?.BytesAllocatedPerOperation ?? 0);
        w.WriteEndObject();
        w.WriteStartArray("Measurements");
        w.WriteEndArray();
        w.WriteStartArray("Metrics");
        w.WriteEndArray();

        w.WriteStartObject("Benchmem");
        w.WriteStartObject("Dims");
        foreach (var (name, value) in r.Dims)
            WriteScalar(w, name, value);
        w.WriteEndObject();
        if (r.Group is null) w.WriteNull("Group"); else w.WriteString("Group", r.Group);
        w.WriteBoolean("Optimized", r.Optimized);
        if (timing is not null)
        {
            var stats = new Statistics(timing.RoundNanoseconds);
            w.WriteStartObject("Timing");
            w.WriteNumber("Rounds", timing.RoundNanoseconds.Length);
            w.WriteNumber("IterationsPerRound", timing.IterationsPerRound);
            w.WriteNumber("OverheadNanoseconds", Round(timing.OverheadNanoseconds));
            w.WriteNumber("WarmupMilliseconds", Round(timing.WarmupMilliseconds));
            w.WriteNumber("TotalMilliseconds", Round(timing.TotalMilliseconds));
            w.WriteNumber("OperationsPerSecond", stats.OperationsPerSecond);
            w.WriteString("Outliers", stats.OutliersText);
            w.WriteEndObject();
        }
        if (r.Memory is { } memory)
            WriteMemory(w, memory);
        if (a is not null)
        {
            w.WriteStartObject("Allocation");
            w.WriteString("Method", a.MultiThreaded ? "all-threads" : "current-thread");
            w.WriteBoolean("MultiThreaded", a.MultiThreaded);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The memory passes: every pass kept as a series, with how peak and allocations were obtained.</summary>
    private static void WriteMemory(Utf8JsonWriter w, MemoryResult m)
    {
        w.WriteStartObject("Series");
        Series(w, "PeakBytes", m.Passes.Select(p => (long?)p.PeakBytes));
        Series(w, "AllocatedBytes", m.Passes.Select(p => (long?)p.AllocatedBytes));
        Series(w, "Allocations", m.Passes.Select(p => p.Allocations));
        Series(w, "RetainedBytes", m.Passes.Select(p => (long?)p.RetainedBytes));
        Series(w, "Gen0", m.Passes.Select(p => (long?)p.Gen0));
        Series(w, "Gen1", m.Passes.Select(p => (long?)p.Gen1));
        Series(w, "Gen2", m.Passes.Select(p => (long?)p.Gen2));
        Series(w, "RssBytes", m.Passes.Select(p => p.RssBytes));
        w.WriteEndObject();
        w.WriteString("PeakMethod", m.PeakMethod);
        if (m.AllocationsMethod is null) w.WriteNull("AllocationsMethod"); else w.WriteString("AllocationsMethod", m.AllocationsMethod);
        w.WriteNumber("UnobservedGcs", m.Passes.Sum(p => p.UnobservedGcs));
        w.WriteBoolean("MemoryMultiThreaded", m.Passes.Any(p => p.MultiThreaded));
        w.WriteStartObject("Options");
        w.WriteNumber("Repeats", m.Options.Repeats);
        w.WriteNumber("Warmup", m.Options.Warmup);
        w.WriteNumber("Calls", m.Options.Calls);
        w.WriteBoolean("Rss", m.Options.Rss);
        w.WriteEndObject();
    }

    /// <summary>A series is empty when the metric was not measured (e.g. allocations without the profiler).</summary>
    private static void Series(Utf8JsonWriter w, string name, IEnumerable<long?> values)
    {
        var list = values.ToList();
        w.WriteStartArray(name);
        if (list.All(v => v.HasValue))
            foreach (var v in list)
                w.WriteNumberValue(v!.Value);
        w.WriteEndArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MemoryResult? ReadMemory(JsonElement bm)
    {
        if (bm.ValueKind != JsonValueKind.Object || !bm.TryGetProperty("Series", out var series) || series.ValueKind != JsonValueKind.Object)
            return null;
        long[] Get(string name) => series.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? ReadInt64s(a) : [];
        var peak = Get("PeakBytes");
        var allocated = Get("AllocatedBytes");
        var allocations = Get("Allocations");
        var retained = Get("RetainedBytes");
        var gen0 = Get("Gen0");
        var gen1 = Get("Gen1");
        var gen2 = Get("Gen2");
        var rss = Get("RssBytes");
        var method = Str(bm, "PeakMethod") ?? PeakMethods.HeapHighWater;
        var o = bm.TryGetProperty("Options", out var oo) ? oo : default;
        long? At(long[] a, int i) => i < a.Length ? a[i] : null;
        var passes = new List<MemoryPass>(peak.Length);
        for (int i = 0; i < peak.Length; i++)
        {
            passes.Add(new MemoryPass
            {
                PeakBytes = peak[i],
                AllocatedBytes = At(allocated, i) ?? 0,
                RetainedBytes = At(retained, i) ?? 0,
                Allocations = At(allocations, i),
                Gen0 = (int)(At(gen0, i) ?? 0),
                Gen1 = (int)(At(gen1, i) ?? 0),
                Gen2 = (int)(At(gen2, i) ?? 0),
                RssBytes = At(rss, i),
                PeakMethod = method,
            });
        }
        if (passes.Count == 0)
            return null;
        return new MemoryResult
        {
            Passes = passes,
            AllocationsMethod = Str(bm, "AllocationsMethod"),
            Options = new MemoryOptions
            {
                Repeats = (int)(Long(o, "Repeats") ?? 0),
                Warmup = (int)(Long(o, "Warmup") ?? 1),
                Calls = (int)(Long(o, "Calls") ?? 1),
                Rss = o.ValueKind == JsonValueKind.Object && o.TryGetProperty("Rss", out var rr) && rr.ValueKind == JsonValueKind.True,
            },
        };
    }

    /// <summary>One compact JSON line for the journal.</summary>
    public static byte[] ToJournalLine(BenchmarkRecord r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            WriteBenchmark(w, r);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the whole results file.</summary>
    public static void WriteRun(Stream stream, RunInfo run, IReadOnlyList<BenchmarkRecord> records)
    {
        using var w = new Utf8JsonWriter(stream, Indented);
        w.WriteStartObject();
        w.WriteString("Title", run.Title);
        WriteHostEnvironment(w, run);
        w.WriteStartArray("Benchmarks");
        foreach (var r in records)
            WriteBenchmark(w, r);
        w.WriteEndArray();
        w.WriteStartObject("Benchmem");
        w.WriteNumber("SchemaVersion", RunInfo.SchemaVersion);
        w.WriteString("Version", RunInfo.Version);
        w.WriteString("Assembly", run.AssemblyName);
        w.WriteString("Datetime", run.Started.ToString("O", CultureInfo.InvariantCulture));
        w.WriteStartObject("MachineInfo");
        w.WriteString("Node", run.Host.MachineName);
        w.WriteString("Processor", run.Host.ProcessorName);
        w.WriteNumber("Cores", run.Host.LogicalCoreCount);
        w.WriteString("Os", run.Host.OsVersion);
        w.WriteString("Runtime", run.Host.RuntimeVersion);
        w.WriteEndObject();
        if (run.Commit is { } c)
        {
            w.WriteStartObject("CommitInfo");
            w.WriteString("id", c.Id);
            w.WriteBoolean("dirty", c.Dirty);
            if (c.Branch is null) w.WriteNull("branch"); else w.WriteString("branch", c.Branch);
            w.WriteEndObject();
        }
        else
            w.WriteNull("CommitInfo");
        w.WriteBoolean("ParallelTests", run.ParallelTests);
        if (run.RunKey is null) w.WriteNull("RunKey"); else w.WriteString("RunKey", run.RunKey);
        if (run.Label is not null)
            w.WriteString("Label", run.Label);
        if (run.Sweep is { } sweep)
        {
            w.WritePropertyName("Sweep");
            WriteSweep(w, sweep);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The Benchmem.Sweep block: which package version (and target framework) the run measured.</summary>
    internal static void WriteSweep(Utf8JsonWriter w, SweepPoint sweep)
    {
        w.WriteStartObject();
        w.WriteString("Package", sweep.Package);
        w.WriteString("Version", sweep.Version);
        if (sweep.Framework is null) w.WriteNull("Framework"); else w.WriteString("Framework", sweep.Framework);
        w.WriteEndObject();
    }

    /// <summary>Reads Benchmem.Label and Benchmem.Sweep of the run-level block (null when absent).</summary>
    internal static (string? Label, SweepPoint? Sweep) ReadLabel(JsonElement benchmem)
    {
        var label = Str(benchmem, "Label");
        SweepPoint? sweep = null;
        if (benchmem.ValueKind == JsonValueKind.Object && benchmem.TryGetProperty("Sweep", out var s) && s.ValueKind == JsonValueKind.Object
            && Str(s, "Package") is { } package && Str(s, "Version") is { } version)
            sweep = new SweepPoint(package, version, Str(s, "Framework"));
        return (label, sweep);
    }

    private static void WriteHostEnvironment(Utf8JsonWriter w, RunInfo run)
    {
        var h = run.Host;
        w.WriteStartObject("HostEnvironmentInfo");
        w.WriteString("BenchmarkDotNetCaption", "Benchmem");
        w.WriteString("BenchmarkDotNetVersion", RunInfo.Version);
        w.WriteString("OsVersion", h.OsVersion);
        w.WriteString("ProcessorName", h.ProcessorName);
        w.WriteNumber("LogicalCoreCount", h.LogicalCoreCount);
        w.WriteString("RuntimeVersion", h.RuntimeVersion);
        w.WriteString("Architecture", h.Architecture);
        w.WriteBoolean("HasAttachedDebugger", h.HasAttachedDebugger);
        w.WriteBoolean("HasRyuJit", true);
        w.WriteString("Configuration", run.Configuration);
        w.WriteStartObject("ChronometerFrequency");
        w.WriteNumber("Hertz", h.TimerFrequency);
        w.WriteEndObject();
        w.WriteString("HardwareTimerKind", "Unknown");
        w.WriteEndObject();
    }

    /// <summary>Reads one Benchmarks[] entry written by <see cref="WriteBenchmark"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BenchmarkRecord ReadBenchmark(JsonElement e)
    {
        var bm = e.TryGetProperty("Benchmem", out var b) ? b : default;
        TimingResult? timing = null;
        if (e.TryGetProperty("Statistics", out var stats) && stats.ValueKind == JsonValueKind.Object
            && stats.TryGetProperty("OriginalValues", out var values))
        {
            var t = bm.ValueKind == JsonValueKind.Object && bm.TryGetProperty("Timing", out var tt) ? tt : default;
            timing = new TimingResult
            {
                RoundNanoseconds = ReadDoubles(values),
                IterationsPerRound = Long(t, "IterationsPerRound") ?? 1,
                OverheadNanoseconds = Double(t, "OverheadNanoseconds") ?? 0,
                WarmupMilliseconds = Double(t, "WarmupMilliseconds") ?? 0,
                TotalMilliseconds = Double(t, "TotalMilliseconds") ?? 0,
            };
        }
        AllocationResult? allocation = null;
        if (e.TryGetProperty("Memory", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            allocation = new AllocationResult
            {
                TotalOperations = Long(m, "TotalOperations") ?? 0,
                BytesAllocatedPerOperation = Long(m, "BytesAllocatedPerOperation") ?? 0,
                Gen0Collections = (int)(Long(m, "Gen0Collections") ?? 0),
                Gen1Collections = (int)(Long(m, "Gen1Collections") ?? 0),
                Gen2Collections = (int)(Long(m, "Gen2Collections") ?? 0),
                MultiThreaded = bm.ValueKind == JsonValueKind.Object && bm.TryGetProperty("Allocation", out var al)
                    && al.TryGetProperty("MultiThreaded", out var mt) && mt.ValueKind == JsonValueKind.True,
            };
        }
        var dims = new Dictionary<string, object?>();
        if (bm.ValueKind == JsonValueKind.Object && bm.TryGetProperty("Dims", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in d.EnumerateObject())
                dims[p.Name] = ReadScalar(p.Value);
        }
        return new BenchmarkRecord
        {
            Namespace = Str(e, "Namespace") ?? "",
            Type = Str(e, "Type") ?? "",
            Method = Str(e, "Method") ?? "",
            Parameters = Str(e, "Parameters") ?? "",
            FullName = Str(e, "FullName") ?? throw new JsonException("a benchmark has no FullName"),
            Group = bm.ValueKind == JsonValueKind.Object ? Str(bm, "Group") : null,
            Optimized = bm.ValueKind != JsonValueKind.Object || !bm.TryGetProperty("Optimized", out var o) || o.ValueKind != JsonValueKind.False,
            Dims = dims,
            Timing = timing,
            Allocation = allocation,
            Memory = ReadMemory(bm),
        };
    }

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

    private static object? ReadScalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => v.TryGetInt64(out var l) && !JsonMarshal.GetRawUtf8Value(v).Contains((byte)'.') ? (object)l : v.GetDouble(),
        JsonValueKind.String => v.GetString(),
        _ => null,
    };

    // Pre-sized arrays rather than LINQ's growing buffers: a results file holds ~100 rounds per benchmark. Same
    // exceptions as EnumerateArray/GetDouble/GetInt64 (InvalidOperationException, FormatException) for a bad element.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] ReadDoubles(JsonElement array)
    {
        var result = new double[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray())
            result[i++] = v.GetDouble();
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long[] ReadInt64s(JsonElement array)
    {
        var result = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray())
            result[i++] = v.GetInt64();
        return result;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;

    private static double? Double(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static double Round(double value) => Math.Round(value, 3);

}
