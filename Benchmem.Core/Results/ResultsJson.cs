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
    public static void WriteBenchmark(Utf8JsonWriter w, BenchmarkRecord r, string? hardwareIntrinsics = null)
    {
        w.WriteStartObject();
        // BDN's "Type.Method: Job [a=1, b=2]", Benchmem standing in for the job.
        w.WriteString("DisplayInfo", $"{r.Type}.{r.Method}: Benchmem" + (r.Parameters.Length > 0 ? $" [{r.Parameters.Replace("&", ", ")}]" : ""));
        w.WriteString("Namespace", r.Namespace);
        w.WriteString("Type", r.Type);
        w.WriteString("Method", r.Method);
        w.WriteString("MethodTitle", r.Method);
        w.WriteString("Parameters", r.Parameters);
        w.WriteString("FullName", r.FullName);
        w.WriteString("HardwareIntrinsics", hardwareIntrinsics ?? "");
        var timing = r.Timing;
        // BDN's Statistics are of its "Workload Result": the rounds without upper outliers (every round is kept in
        // Benchmem.Timing.RoundNanoseconds and in Measurements).
        var result = timing is null ? null : WorkloadResult.Of(timing);
        if (result is not null)
        {
            w.WriteStartObject("Statistics");
            Statistics.WriteJson(w, result.Statistics);
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
        if (result is not null)
            WriteMeasurements(w, result);
        w.WriteEndArray();
        w.WriteStartArray("Metrics");
        BdnMetrics.Write(w, r);
        w.WriteEndArray();

        w.WriteStartObject("Benchmem");
        w.WriteStartObject("Dims");
        foreach (var (name, value) in r.Dims)
            WriteScalar(w, name, value);
        w.WriteEndObject();
        if (r.Group is null) w.WriteNull("Group"); else w.WriteString("Group", r.Group);
        w.WriteBoolean("Optimized", r.Optimized);
        if (r.KeptFrom is not null) w.WriteString("KeptFrom", r.KeptFrom);
        if (timing is not null)
        {
            var stats = new Statistics(timing.RoundNanoseconds);
            w.WriteStartObject("Timing");
            w.WriteNumber("Rounds", timing.RoundNanoseconds.Length);
            // Every round, ns per operation; the BDN Statistics above leave out result!.UpperOutliersRemoved of them.
            w.WriteStartArray("RoundNanoseconds");
            foreach (var v in timing.RoundNanoseconds)
                w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteNumber("UpperOutliersRemoved", result!.UpperOutliersRemoved);
            if (timing.OutliersRemoved)
                w.WriteBoolean("RoundsAreBdnResult", true); // rounds taken from a BDN export: not filtered again on reading
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

    /// <summary>
    /// BDN's Measurements: every round as "Workload Actual" (its total ns, Benchmem's overhead already subtracted), then
    /// the kept rounds as "Workload Result", numbered from 1 as BDN numbers them.
    /// </summary>
    private static void WriteMeasurements(Utf8JsonWriter w, WorkloadResult result)
    {
        void One(string stage, int index, double nanoseconds)
        {
            w.WriteStartObject();
            w.WriteString("IterationMode", "Workload");
            w.WriteString("IterationStage", stage);
            w.WriteNumber("LaunchIndex", 1);
            w.WriteNumber("IterationIndex", index);
            w.WriteNumber("Operations", result.Operations);
            w.WriteNumber("Nanoseconds", nanoseconds);
            w.WriteEndObject();
        }
        for (int i = 0; i < result.RoundTotals.Length; i++)
            One("Actual", i + 1, result.RoundTotals[i]);
        for (int i = 0; i < result.PerOperation.Length; i++)
            One("Result", i + 1, result.PerOperation[i] * result.Operations);
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
        // Per pass, so nothing of a pass is lost on the way from the memory host into the results file.
        Series(w, "PeakBoundBytes", m.Passes.Select(p => p.PeakBoundBytes));
        Series(w, "UnobservedGcs", m.Passes.Select(p => (long?)p.UnobservedGcs));
        Series(w, "MultiThreaded", m.Passes.Select(p => (long?)(p.MultiThreaded ? 1 : 0)));
        w.WriteEndObject();
        w.WriteString("PeakMethod", m.PeakMethod);
        w.WriteStartArray("PassPeakMethods");
        foreach (var p in m.Passes)
            w.WriteStringValue(p.PeakMethod);
        w.WriteEndArray();
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

    /// <summary>Each pass's peak method (files before it was written per pass have only the run's: null).</summary>
    private static string?[]? PassMethods(JsonElement benchmem, int passes)
    {
        if (benchmem.ValueKind != JsonValueKind.Object || !benchmem.TryGetProperty("PassPeakMethods", out var array))
            return null;
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != passes)
            throw Malformed($"Benchmem.PassPeakMethods is {Describe(array)}; expected an array of {passes} strings, one per pass");
        return [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()
            : throw Malformed($"Benchmem.PassPeakMethods holds {Describe(e)}; expected strings"))];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MemoryResult? ReadMemory(JsonElement bm)
    {
        var series = Object(bm, "Benchmem", "Series");
        if (series.ValueKind != JsonValueKind.Object)
            return null;
        long[] Get(string name) => Int64s(series, "Benchmem.Series", name);
        var peak = Get("PeakBytes");
        var allocated = Get("AllocatedBytes");
        var allocations = Get("Allocations");
        var retained = Get("RetainedBytes");
        var gen0 = Get("Gen0");
        var gen1 = Get("Gen1");
        var gen2 = Get("Gen2");
        var rss = Get("RssBytes");
        var bounds = Get("PeakBoundBytes");
        var unobserved = Get("UnobservedGcs");
        var multiThreaded = Get("MultiThreaded");
        var method = Str(bm, "Benchmem", "PeakMethod") ?? PeakMethods.HeapHighWater;
        var methods = PassMethods(bm, peak.Length);
        var o = Object(bm, "Benchmem", "Options");
        long? At(long[] a, int i) => i < a.Length ? a[i] : null;
        int Count(long[] a, string name, int i) => At(a, i) is { } v
            ? v is >= 0 and <= int.MaxValue ? (int)v : throw Malformed($"Benchmem.Series.{name}[{i}] is {v}; expected a count of GCs")
            : 0;
        var passes = new List<MemoryPass>(peak.Length);
        for (int i = 0; i < peak.Length; i++)
        {
            passes.Add(new MemoryPass
            {
                PeakBytes = peak[i],
                AllocatedBytes = At(allocated, i) ?? 0,
                RetainedBytes = At(retained, i) ?? 0,
                Allocations = At(allocations, i),
                Gen0 = Count(gen0, "Gen0", i),
                Gen1 = Count(gen1, "Gen1", i),
                Gen2 = Count(gen2, "Gen2", i),
                RssBytes = At(rss, i),
                PeakBoundBytes = At(bounds, i),
                UnobservedGcs = Count(unobserved, "UnobservedGcs", i),
                MultiThreaded = At(multiThreaded, i) is { } flag && flag != 0,
                PeakMethod = methods?[i] ?? method,
            });
        }
        if (passes.Count == 0)
            return null;
        return new MemoryResult
        {
            Passes = passes,
            AllocationsMethod = Str(bm, "Benchmem", "AllocationsMethod"),
            Options = new MemoryOptions
            {
                Repeats = Int32(o, "Benchmem.Options", "Repeats") ?? 0,
                Warmup = Int32(o, "Benchmem.Options", "Warmup") ?? 1,
                Calls = Int32(o, "Benchmem.Options", "Calls") ?? 1,
                Rss = Bool(o, "Benchmem.Options", "Rss") ?? false,
            },
        };
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

    /// <summary>Writes the whole results file.</summary>
    public static void WriteRun(Stream stream, RunInfo run, IReadOnlyList<BenchmarkRecord> records)
    {
        using var w = new Utf8JsonWriter(stream, Indented);
        w.WriteStartObject();
        w.WriteString("Title", run.Title);
        WriteHostEnvironment(w, run);
        w.WriteStartArray("Benchmarks");
        foreach (var r in records)
            WriteBenchmark(w, r, run.Host.HardwareIntrinsics);
        w.WriteEndArray();
        w.WriteStartObject("Benchmem");
        w.WriteNumber("SchemaVersion", RunInfo.SchemaVersion);
        w.WriteString("Version", RunInfo.Version);
        if (RunInfo.BenchmemCommit is null) w.WriteNull("BenchmemCommit"); else w.WriteString("BenchmemCommit", RunInfo.BenchmemCommit);
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
        var label = Str(benchmem, "Benchmem", "Label");
        SweepPoint? sweep = null;
        if (benchmem.ValueKind == JsonValueKind.Object && benchmem.TryGetProperty("Sweep", out var s) && s.ValueKind == JsonValueKind.Object
            && Str(s, "Benchmem.Sweep", "Package") is { } package && Str(s, "Benchmem.Sweep", "Version") is { } version)
            sweep = new SweepPoint(package, version, Str(s, "Benchmem.Sweep", "Framework"));
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
        WriteCount(w, "PhysicalProcessorCount", h.PhysicalProcessorCount);
        WriteCount(w, "PhysicalCoreCount", h.PhysicalCoreCount);
        w.WriteNumber("LogicalCoreCount", h.LogicalCoreCount);
        w.WriteString("RuntimeVersion", h.RuntimeVersion);
        w.WriteString("Architecture", h.Architecture);
        w.WriteBoolean("HasAttachedDebugger", h.HasAttachedDebugger);
        w.WriteBoolean("HasRyuJit", true);
        w.WriteString("Configuration", run.Configuration);
        if (h.DotNetCliVersion is { } cli) w.WriteString("DotNetCliVersion", cli); else w.WriteNull("DotNetCliVersion");
        w.WriteStartObject("ChronometerFrequency");
        w.WriteNumber("Hertz", h.TimerFrequency);
        w.WriteEndObject();
        w.WriteString("HardwareTimerKind", "Unknown");
        w.WriteEndObject();
    }

    private static void WriteCount(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    /// <summary>
    /// Reads one Benchmarks[] entry written by <see cref="WriteBenchmark"/> (or by BenchmarkDotNet). Absent or null
    /// fields take their defaults; a field that is there with the wrong type or out of range throws a
    /// <see cref="JsonException"/> naming the field and what was expected (and nothing else does).
    /// </summary>
    public static BenchmarkRecord ReadBenchmark(JsonElement e)
    {
        try
        {
            return ReadBenchmarkFields(e);
        }
        catch (InvalidOperationException x) // text the parser let through but cannot decode: an escaped lone surrogate, invalid UTF-8
        {
            throw new JsonException($"a text value is not valid ({x.Message.TrimEnd('.')})", x);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BenchmarkRecord ReadBenchmarkFields(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw Malformed($"a benchmark is {Describe(e)}; expected an object");
        var bm = Object(e, "", "Benchmem");
        TimingResult? timing = null;
        var stats = Object(e, "", "Statistics");
        var t = Object(bm, "Benchmem", "Timing");
        // Every round is in Benchmem.Timing.RoundNanoseconds (schema 2); schema 1 wrote them as Statistics.OriginalValues,
        // and a BenchmarkDotNet export has only its result rounds there.
        bool allRounds = Find(t, "RoundNanoseconds", out var values);
        if (allRounds || stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("OriginalValues", out values) && values.ValueKind != JsonValueKind.Null)
        {
            var rounds = Doubles(values, allRounds ? "Benchmem.Timing.RoundNanoseconds" : "Statistics.OriginalValues");
            // No rounds is no timing: statistics of an empty sample do not exist.
            if (rounds.Length > 0)
            {
                timing = new TimingResult
                {
                    RoundNanoseconds = rounds,
                    IterationsPerRound = Int64(t, "Benchmem.Timing", "IterationsPerRound") ?? 1,
                    OverheadNanoseconds = Double(t, "Benchmem.Timing", "OverheadNanoseconds") ?? 0,
                    WarmupMilliseconds = Double(t, "Benchmem.Timing", "WarmupMilliseconds") ?? 0,
                    TotalMilliseconds = Double(t, "Benchmem.Timing", "TotalMilliseconds") ?? 0,
                    // An entry without a Benchmem block is BDN's: its OriginalValues are its result, outliers already out.
                    OutliersRemoved = allRounds ? Bool(t, "Benchmem.Timing", "RoundsAreBdnResult") ?? false : bm.ValueKind != JsonValueKind.Object,
                };
            }
        }
        AllocationResult? allocation = null;
        var m = Object(e, "", "Memory");
        if (m.ValueKind == JsonValueKind.Object)
        {
            var al = Object(bm, "Benchmem", "Allocation");
            allocation = new AllocationResult
            {
                TotalOperations = Int64(m, "Memory", "TotalOperations") ?? 0,
                BytesAllocatedPerOperation = Int64(m, "Memory", "BytesAllocatedPerOperation") ?? 0,
                Gen0Collections = Int32(m, "Memory", "Gen0Collections") ?? 0,
                Gen1Collections = Int32(m, "Memory", "Gen1Collections") ?? 0,
                Gen2Collections = Int32(m, "Memory", "Gen2Collections") ?? 0,
                MultiThreaded = Bool(al, "Benchmem.Allocation", "MultiThreaded") ?? false,
            };
        }
        var dims = new Dictionary<string, object?>();
        var d = Object(bm, "Benchmem", "Dims");
        if (d.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in d.EnumerateObject())
                dims[p.Name] = ReadScalar(p.Value, p.Name);
        }
        return new BenchmarkRecord
        {
            Namespace = Str(e, "", "Namespace") ?? "",
            Type = Str(e, "", "Type") ?? "",
            Method = Str(e, "", "Method") ?? "",
            Parameters = Str(e, "", "Parameters") ?? "",
            FullName = Str(e, "", "FullName") is { Length: > 0 } name ? name : throw Malformed("a benchmark has no FullName"),
            Group = Str(bm, "Benchmem", "Group"),
            Optimized = Bool(bm, "Benchmem", "Optimized") ?? true,
            KeptFrom = Str(bm, "Benchmem", "KeptFrom"),
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

    private static object? ReadScalar(JsonElement v, string name) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => v.TryGetInt64(out var l) && !JsonMarshal.GetRawUtf8Value(v).Contains((byte)'.') ? (object)l
            : v.TryGetDouble(out var x) && double.IsFinite(x) ? x : throw Malformed($"Benchmem.Dims.{name} is {Describe(v)}; expected a finite number"),
        JsonValueKind.String => v.GetString(),
        _ => null,
    };

    // The readers below take the parent object, its path (for the message) and the field's name. Absent and null read
    // as null; anything else of the wrong kind is a JsonException saying what the field is and what was expected.

    private static JsonException Malformed(string message) => new(message);

    private static string Field(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    /// <summary>A value for a message: short raw text for scalars, the kind for containers.</summary>
    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => v.GetRawText() is { Length: <= 40 } text ? $"the string {text}" : "a string",
        JsonValueKind.Number => v.GetRawText() is { Length: <= 40 } text ? text : "a number of more than 40 digits",
        _ => v.GetRawText(),
    };

    private static bool Find(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        value = default;
        return false;
    }

    /// <summary>The field when it is an object; default when absent or null.</summary>
    private static JsonElement Object(JsonElement parent, string path, string name)
    {
        if (!Find(parent, name, out var v))
            return default;
        return v.ValueKind == JsonValueKind.Object ? v : throw Malformed($"{Field(path, name)} is {Describe(v)}; expected an object");
    }

    private static string? Str(JsonElement parent, string path, string name)
    {
        if (!Find(parent, name, out var v))
            return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Malformed($"{Field(path, name)} is {Describe(v)}; expected a string");
    }

    private static bool? Bool(JsonElement parent, string path, string name)
    {
        if (!Find(parent, name, out var v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Malformed($"{Field(path, name)} is {Describe(v)}; expected true or false"),
        };
    }

    private static long? Int64(JsonElement parent, string path, string name)
    {
        if (!Find(parent, name, out var v))
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l
            : throw Malformed($"{Field(path, name)} is {Describe(v)}; expected a whole number (64-bit)");
    }

    private static int? Int32(JsonElement parent, string path, string name)
    {
        if (!Find(parent, name, out var v))
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i
            : throw Malformed($"{Field(path, name)} is {Describe(v)}; expected a whole number (32-bit)");
    }

    private static double? Double(JsonElement parent, string path, string name)
    {
        if (!Find(parent, name, out var v))
            return null;
        // Numbers beyond double's range (1e400) parse as infinity: not a measurement.
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d
            : throw Malformed($"{Field(path, name)} is {Describe(v)}; expected a finite number");
    }

    // Pre-sized arrays rather than LINQ's growing buffers: a results file holds ~100 rounds per benchmark.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Doubles(JsonElement array, string path)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw Malformed($"{path} is {Describe(array)}; expected an array of numbers");
        var result = new double[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out result[i]) || !double.IsFinite(result[i]))
                throw Malformed($"{path}[{i}] is {Describe(v)}; expected a finite number");
            i++;
        }
        return result;
    }

    /// <summary>A series of whole numbers; absent or null is empty (the metric was not measured).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long[] Int64s(JsonElement parent, string path, string name)
    {
        if (!Find(parent, name, out var array))
            return [];
        if (array.ValueKind != JsonValueKind.Array)
            throw Malformed($"{Field(path, name)} is {Describe(array)}; expected an array of whole numbers");
        var result = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out result[i]))
                throw Malformed($"{Field(path, name)}[{i}] is {Describe(v)}; expected a whole number (64-bit)");
            i++;
        }
        return result;
    }

    private static double Round(double value) => Math.Round(value, 3);

}
