using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Benchmem.Core.Errors;
using Benchmem.Core.Memory;
using F = Benchmem.Core.Results.ResultsFields;

namespace Benchmem.Core.Results;

/// <summary>What a results file holds at the run level, with its benchmarks.</summary>
public sealed record RunContents(string Title, int SchemaVersion, IReadOnlyList<BenchmarkRecord> Benchmarks, string? Label, SweepPoint? Sweep,
    RunEnvironment? Environment);

/// <summary>
/// Reads the results format <see cref="ResultsWriter"/> writes, and BenchmarkDotNet's full JSON export: the whole run
/// (<see cref="ReadRun"/>), one benchmark entry (<see cref="ReadBenchmark"/>, also a journal line), and the run-level
/// fields a writer checks before merging (<see cref="ReadTitle"/>, <see cref="ReadRunIdentity"/>). Field names are
/// <see cref="ResultsFields"/>.
/// </summary>
internal static class ResultsReader
{
    // Paths of the blocks, for messages: "Benchmem.Timing.IterationsPerRound is ...".
    private const string BlockPath = F.Benchmem;
    private const string TimingPath = F.Benchmem + "." + F.EntryBlock.Timing;
    private const string SeriesPath = F.Benchmem + "." + F.EntryBlock.Series;
    private const string OptionsPath = F.Benchmem + "." + F.EntryBlock.Options;
    private const string AllocationPath = F.Benchmem + "." + F.EntryBlock.Allocation;
    private const string SweepPath = F.Benchmem + "." + F.RunBlock.Sweep;
    private const string CalibrationPath = F.Benchmem + "." + F.EntryBlock.Calibration;

    /// <summary>
    /// The whole run: schema check, every benchmark (in parallel, errors in file order), title, label and machine.
    /// Throws <see cref="ResultsFileException"/> naming <paramref name="path"/> and what is wrong.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RunContents ReadRun(string path, JsonElement root)
    {
        if (!TryGetBenchmarks(root, out var benchmarks))
            throw new ResultsFileException($"{path}: neither a Benchmem results file nor a BenchmarkDotNet full JSON export (no \"Benchmarks\" array).");
        int schema = 0;
        if (root.TryGetProperty(F.Benchmem, out var bm) && bm.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw new ResultsFileException($"{path}: the run's \"Benchmem\" block is {(bm.ValueKind is JsonValueKind.Array ? "an array" : Short(bm.GetRawText()))}; expected an object (the file is damaged).");
        if (bm.ValueKind == JsonValueKind.Object
            && bm.TryGetProperty(F.RunBlock.SchemaVersion, out var sv) && sv.ValueKind != JsonValueKind.Null)
        {
            var raw = sv.GetRawText();
            if (sv.ValueKind != JsonValueKind.Number || raw.IndexOfAny(['.', 'e', 'E', '-']) >= 0 || raw == "0")
                throw new ResultsFileException($"{path}: Benchmem.SchemaVersion is {Short(raw)}; expected a whole number from 1 to {RunInfo.SchemaVersion} (the file is damaged, or not written by Benchmem).");
            // A whole number past int's range is still a (much) newer schema.
            schema = sv.TryGetInt32(out var v) ? v : int.MaxValue;
            if (schema > RunInfo.SchemaVersion)
                throw new ResultsFileException($"{path}: written by a newer Benchmem (schema {Short(raw)}; this one reads up to {RunInfo.SchemaVersion}); update Benchmem to read it.");
        }
        var elements = new JsonElement[benchmarks.GetArrayLength()];
        int count = 0;
        foreach (var e in benchmarks.EnumerateArray())
            elements[count++] = e;
        // Reading the records is most of a large file's load: in parallel chunks (a JsonDocument is safe to read
        // from several threads), then checked in file order so errors name the same benchmark a sequential read would.
        var read = new BenchmarkRecord?[count];
        var errors = new Exception?[count];
        if (count > 0) // (Partitioner.Create refuses an empty range: a run with no benchmarks reads nothing)
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, count, Math.Max(256, count / (4 * System.Environment.ProcessorCount) + 1)), range =>
            {
                for (int i = range.Item1; i < range.Item2; i++)
                {
                    try
                    {
                        read[i] = ReadBenchmark(elements[i]);
                    }
                    catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
                    {
                        errors[i] = ex;
                    }
                }
            });
        }
        var records = new List<BenchmarkRecord>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int index = 0; index < count; index++)
        {
            if (errors[index] is { } ex)
                throw new ResultsFileException($"{path}: benchmark #{index + 1} is malformed ({ex.Message}).", ex);
            var record = read[index]!;
            if (!seen.Add(record.FullName))
                throw new ResultsFileException($"{path}: FullName \"{record.FullName}\" appears twice; FullNames must be unique in a run.");
            records.Add(record);
        }
        string? title;
        try
        {
            title = ReadTitle(root);
        }
        catch (InvalidOperationException e) // an escaped lone surrogate such as "\udfff"
        {
            throw new ResultsFileException($"{path}: Title is not valid text ({BenchmarkRun.OneLine(e.Message)}).", e);
        }
        title ??= System.IO.Path.GetFileNameWithoutExtension(path);
        string? label = null;
        SweepPoint? sweep = null;
        try
        {
            if (bm.ValueKind == JsonValueKind.Object)
                (label, sweep) = ReadLabel(bm);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ResultsFileException($"{path}: the run's label is malformed ({BenchmarkRun.OneLine(e.Message)}).", e);
        }
        return new RunContents(title, schema, records, label, sweep, ReadEnvironment(root));
    }

    /// <summary>The run's Benchmarks array, when the document is a results file (or a BDN export) at all.</summary>
    public static bool TryGetBenchmarks(JsonElement root, out JsonElement benchmarks)
    {
        benchmarks = default;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(F.Run.Benchmarks, out benchmarks) && benchmarks.ValueKind == JsonValueKind.Array;
    }

    /// <summary>The Title when it is text; null otherwise. Throws <see cref="InvalidOperationException"/> for text that
    /// cannot be decoded (an escaped lone surrogate).</summary>
    public static string? ReadTitle(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(F.Run.Title, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    /// <summary>Which run and assembly wrote the file (Benchmem.RunKey, Benchmem.Assembly); null where absent or not text.</summary>
    public static (string? RunKey, string? Assembly) ReadRunIdentity(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(F.Benchmem, out var bm) || bm.ValueKind != JsonValueKind.Object)
            return (null, null);
        string? Text(string name) => bm.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return (Text(F.RunBlock.RunKey), Text(F.RunBlock.Assembly));
    }

    /// <summary>The machine of the HostEnvironmentInfo (Benchmem's or BDN's). Display only, so a field of an unexpected
    /// kind is left out rather than refused.</summary>
    public static RunEnvironment? ReadEnvironment(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(F.Run.HostEnvironmentInfo, out var h) || h.ValueKind != JsonValueKind.Object)
            return null;
        string? Text(string name) => h.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.ToString() : null;
        int? Count(string name) => h.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;
        return new RunEnvironment(Text(F.Host.Caption) ?? "BenchmarkDotNet", Text(F.Host.Version) ?? "", Text(F.Host.OsVersion),
            Text(F.Host.ProcessorName), Count(F.Host.PhysicalProcessorCount), Count(F.Host.PhysicalCoreCount), Count(F.Host.LogicalCoreCount),
            Text(F.Host.DotNetCliVersion), Text(F.Host.RuntimeVersion), Text(F.Host.Architecture));
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..37] + "...";

    /// <summary>Each pass's peak method (files before it was written per pass have only the run's: null).</summary>
    private static string?[]? PassMethods(JsonElement benchmem, int passes)
    {
        if (benchmem.ValueKind != JsonValueKind.Object || !benchmem.TryGetProperty(F.EntryBlock.PassPeakMethods, out var array))
            return null;
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != passes)
            throw Malformed($"{BlockPath}.{F.EntryBlock.PassPeakMethods} is {Describe(array)}; expected an array of {passes} strings, one per pass");
        return [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()
            : throw Malformed($"{BlockPath}.{F.EntryBlock.PassPeakMethods} holds {Describe(e)}; expected strings"))];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MemoryResult? ReadMemory(JsonElement bm)
    {
        var series = Object(bm, BlockPath, F.EntryBlock.Series);
        if (series.ValueKind != JsonValueKind.Object)
            return null;
        long[] Get(string name) => Int64s(series, SeriesPath, name);
        var peak = Get(PassSeries.PeakBytes.Name);
        var allocated = Get(PassSeries.AllocatedBytes.Name);
        var allocations = Get(PassSeries.Allocations.Name);
        var retained = Get(PassSeries.RetainedBytes.Name);
        var gen0 = Get(PassSeries.Gen0.Name);
        var gen1 = Get(PassSeries.Gen1.Name);
        var gen2 = Get(PassSeries.Gen2.Name);
        var rss = Get(PassSeries.RssBytes.Name);
        var bounds = Get(PassSeries.PeakBoundBytes.Name);
        var unobserved = Get(PassSeries.UnobservedGcs.Name);
        var multiThreaded = Get(PassSeries.MultiThreaded.Name);
        var nativePeak = Get(PassSeries.NativePeakBytes.Name);
        var nativeAllocated = Get(PassSeries.NativeAllocatedBytes.Name);
        var nativeAllocations = Get(PassSeries.NativeAllocations.Name);
        var nativeRetained = Get(PassSeries.NativeRetainedBytes.Name);
        var method = Str(bm, BlockPath, F.EntryBlock.PeakMethod) ?? PeakMethods.HeapHighWater;
        var methods = PassMethods(bm, peak.Length);
        var o = Object(bm, BlockPath, F.EntryBlock.Options);
        long? At(long[] a, int i) => i < a.Length ? a[i] : null;
        int Count(long[] a, string name, int i) => At(a, i) is { } v
            ? v is >= 0 and <= int.MaxValue ? (int)v : throw Malformed($"{SeriesPath}.{name}[{i}] is {v}; expected a count of GCs")
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
                Gen0 = Count(gen0, PassSeries.Gen0.Name, i),
                Gen1 = Count(gen1, PassSeries.Gen1.Name, i),
                Gen2 = Count(gen2, PassSeries.Gen2.Name, i),
                RssBytes = At(rss, i),
                PeakBoundBytes = At(bounds, i),
                UnobservedGcs = Count(unobserved, PassSeries.UnobservedGcs.Name, i),
                MultiThreaded = At(multiThreaded, i) is { } flag && flag != 0,
                NativePeakBytes = At(nativePeak, i),
                NativeAllocatedBytes = At(nativeAllocated, i),
                NativeAllocations = At(nativeAllocations, i),
                NativeRetainedBytes = At(nativeRetained, i),
                PeakMethod = methods?[i] ?? method,
            });
        }
        if (passes.Count == 0)
            return null;
        return new MemoryResult
        {
            Passes = passes,
            AllocationsMethod = Str(bm, BlockPath, F.EntryBlock.AllocationsMethod),
            Options = new MemoryOptions
            {
                Repeats = Int32(o, OptionsPath, F.MemoryOptions.Repeats) ?? 0,
                Warmup = Int32(o, OptionsPath, F.MemoryOptions.Warmup) ?? 1,
                Calls = Int32(o, OptionsPath, F.MemoryOptions.Calls) ?? 1,
                Rss = Bool(o, OptionsPath, F.MemoryOptions.Rss) ?? false,
                Isolated = Bool(o, OptionsPath, F.MemoryOptions.Isolated) ?? false,
            },
        };
    }

    /// <summary>Reads Benchmem.Label and Benchmem.Sweep of the run-level block (null when absent).</summary>
    internal static (string? Label, SweepPoint? Sweep) ReadLabel(JsonElement benchmem)
    {
        var label = Str(benchmem, BlockPath, F.RunBlock.Label);
        SweepPoint? sweep = null;
        if (benchmem.ValueKind == JsonValueKind.Object && benchmem.TryGetProperty(F.RunBlock.Sweep, out var s) && s.ValueKind == JsonValueKind.Object
            && Str(s, SweepPath, F.RunBlock.SweepPackage) is { } package && Str(s, SweepPath, F.RunBlock.SweepVersion) is { } version)
            sweep = new SweepPoint(package, version, Str(s, SweepPath, F.RunBlock.SweepFramework));
        return (label, sweep);
    }

    /// <summary>
    /// Reads one Benchmarks[] entry written by <see cref="ResultsWriter.WriteBenchmark"/> (or by BenchmarkDotNet). Absent or null
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
        var bm = Object(e, "", F.Benchmem);
        TimingResult? timing = null;
        var stats = Object(e, "", F.Entry.Statistics);
        var t = Object(bm, BlockPath, F.EntryBlock.Timing);
        // Every round is in Benchmem.Timing.RoundNanoseconds (schema 2); schema 1 wrote them as Statistics.OriginalValues,
        // and a BenchmarkDotNet export has only its result rounds there.
        bool allRounds = Find(t, F.Timing.RoundNanoseconds, out var values);
        if (allRounds || stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty(F.Statistics.OriginalValues, out values) && values.ValueKind != JsonValueKind.Null)
        {
            var rounds = Doubles(values, allRounds ? $"{TimingPath}.{F.Timing.RoundNanoseconds}" : $"{F.Entry.Statistics}.{F.Statistics.OriginalValues}");
            // No rounds is no timing: statistics of an empty sample do not exist.
            if (rounds.Length > 0)
            {
                timing = new TimingResult
                {
                    RoundNanoseconds = rounds,
                    IterationsPerRound = Int64(t, TimingPath, F.Timing.IterationsPerRound) ?? 1,
                    OverheadNanoseconds = Double(t, TimingPath, F.Timing.OverheadNanoseconds) ?? 0,
                    WarmupMilliseconds = Double(t, TimingPath, F.Timing.WarmupMilliseconds) ?? 0,
                    TotalMilliseconds = Double(t, TimingPath, F.Timing.TotalMilliseconds) ?? 0,
                    // An entry without a Benchmem block is BDN's: its OriginalValues are its result, outliers already out.
                    OutliersRemoved = allRounds ? Bool(t, TimingPath, F.Timing.RoundsAreBdnResult) ?? false : bm.ValueKind != JsonValueKind.Object,
                    Calibration = ReadCalibration(bm, rounds.Length),
                    LaunchRounds = ReadLaunchRounds(t, rounds.Length),
                };
            }
        }
        AllocationResult? allocation = null;
        var m = Object(e, "", F.Entry.Memory);
        if (m.ValueKind == JsonValueKind.Object)
        {
            var al = Object(bm, BlockPath, F.EntryBlock.Allocation);
            allocation = new AllocationResult
            {
                TotalOperations = Int64(m, F.Entry.Memory, F.BdnMemory.TotalOperations) ?? 0,
                BytesAllocatedPerOperation = Int64(m, F.Entry.Memory, F.BdnMemory.BytesAllocatedPerOperation) ?? 0,
                Gen0Collections = Int32(m, F.Entry.Memory, F.BdnMemory.Gen0Collections) ?? 0,
                Gen1Collections = Int32(m, F.Entry.Memory, F.BdnMemory.Gen1Collections) ?? 0,
                Gen2Collections = Int32(m, F.Entry.Memory, F.BdnMemory.Gen2Collections) ?? 0,
                MultiThreaded = Bool(al, AllocationPath, F.Allocation.MultiThreaded) ?? false,
            };
        }
        var dims = new Dictionary<string, object?>();
        var d = Object(bm, BlockPath, F.EntryBlock.Dims);
        if (d.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in d.EnumerateObject())
                dims[p.Name] = ReadScalar(p.Value, p.Name);
        }
        return new BenchmarkRecord
        {
            Namespace = Str(e, "", F.Entry.Namespace) ?? "",
            Type = Str(e, "", F.Entry.Type) ?? "",
            Method = Str(e, "", F.Entry.Method) ?? "",
            Parameters = Str(e, "", F.Entry.Parameters) ?? "",
            FullName = Str(e, "", F.Entry.FullName) is { Length: > 0 } name ? name : throw Malformed($"a benchmark has no {F.Entry.FullName}"),
            Group = Str(bm, BlockPath, F.EntryBlock.Group),
            Optimized = Bool(bm, BlockPath, F.EntryBlock.Optimized) ?? true,
            KeptFrom = Str(bm, BlockPath, F.EntryBlock.KeptFrom),
            Baseline = Bool(bm, BlockPath, F.EntryBlock.Baseline) ?? false,
            Metrics = ReadMetrics(bm),
            Dims = dims,
            Timing = timing,
            Allocation = allocation,
            Memory = ReadMemory(bm),
        };
    }

    /// <summary>Benchmem.Timing.LaunchRounds, or null when one process timed every round; refused unless whole numbers
    /// that add up to the rounds.</summary>
    private static int[]? ReadLaunchRounds(JsonElement t, int rounds)
    {
        if (!Find(t, F.Timing.LaunchRounds, out _))
            return null;
        var values = Int64s(t, TimingPath, F.Timing.LaunchRounds);
        if (values.Length == 0 || values.Any(v => v <= 0 || v > rounds) || values.Sum() != rounds)
            throw Malformed($"{TimingPath}.{F.Timing.LaunchRounds} is [{string.Join(", ", values)}]; expected each launch's rounds, positive and adding up to the {rounds} rounds");
        return [.. values.Select(v => (int)v)];
    }

    /// <summary>Benchmem.Calibration, or null when the run did not calibrate.</summary>
    private static Timing.CalibrationResult? ReadCalibration(JsonElement bm, int rounds)
    {
        var c = Object(bm, BlockPath, F.EntryBlock.Calibration);
        if (c.ValueKind != JsonValueKind.Object)
            return null;
        int[] Ints(string name)
        {
            var values = Int64s(c, CalibrationPath, name);
            return [.. values.Select((v, i) => v is >= int.MinValue and <= int.MaxValue ? (int)v
                : throw Malformed($"{CalibrationPath}.{name}[{i}] is {v}; expected a whole number (32-bit)"))];
        }
        string[] names = Find(c, F.Calibration.Workloads, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()!
                : throw Malformed($"{CalibrationPath}.{F.Calibration.Workloads} holds {Describe(e)}; expected strings"))]
            : throw Malformed($"{CalibrationPath}.{F.Calibration.Workloads} is {(Find(c, F.Calibration.Workloads, out var bad) ? Describe(bad) : "missing")}; expected an array of workload names");
        var calibration = new Timing.CalibrationResult
        {
            Version = Int32(c, CalibrationPath, F.Calibration.Version) ?? throw Malformed($"{CalibrationPath}.{F.Calibration.Version} is missing; expected the workloads' version"),
            Workloads = names,
            Workload = Ints(F.Calibration.Workload),
            BeforeRound = Ints(F.Calibration.BeforeRound),
            Nanoseconds = Find(c, F.Calibration.Nanoseconds, out var ns) ? Doubles(ns, $"{CalibrationPath}.{F.Calibration.Nanoseconds}") : [],
            Milliseconds = Double(c, CalibrationPath, F.Calibration.Milliseconds) ?? 0,
        };
        return calibration.Problem(rounds) is { } problem ? throw Malformed($"{CalibrationPath}: {problem}") : calibration;
    }

    private static object? ReadScalar(JsonElement v, string name) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => v.TryGetInt64(out var l) && !JsonMarshal.GetRawUtf8Value(v).Contains((byte)'.') ? (object)l
            : v.TryGetDouble(out var x) && double.IsFinite(x) ? x : throw Malformed($"{BlockPath}.{F.EntryBlock.Dims}.{name} is {Describe(v)}; expected a finite number"),
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

    /// <summary>Benchmem.Metrics: finite numbers by a metric's name; anything else there is a malformed file.</summary>
    private static Dictionary<string, double> ReadMetrics(JsonElement bm)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (bm.ValueKind != JsonValueKind.Object || !bm.TryGetProperty(F.EntryBlock.Metrics, out var block) || block.ValueKind == JsonValueKind.Null)
            return metrics;
        if (block.ValueKind != JsonValueKind.Object)
            throw Malformed($"{BlockPath}.{F.EntryBlock.Metrics} is {block.ValueKind}; expected an object of numbers");
        foreach (var p in block.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out var v) || !double.IsFinite(v))
                throw Malformed($"{BlockPath}.{F.EntryBlock.Metrics}.{p.Name} is {Short(p.Value.GetRawText())}; expected a finite number");
            if (Compare.MetricField.CustomNameProblem(p.Name) is { } problem)
                throw Malformed($"{BlockPath}.{F.EntryBlock.Metrics}: {problem}");
            metrics[p.Name] = v;
        }
        return metrics;
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
}
