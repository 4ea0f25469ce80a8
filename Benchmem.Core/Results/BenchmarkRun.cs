using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Benchmem.Core.Results;

/// <summary>A results file or input is unusable; the message names the file and what is wrong with it.</summary>
public sealed class ResultsFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One run read back from disk: a Benchmem results file or a plain BenchmarkDotNet full JSON export (timing
/// and allocated bytes). The public way to pull timing and memory series into your own analysis.
/// </summary>
public sealed class BenchmarkRun
{
    private BenchmarkRun(string path, string title, int schemaVersion, bool fromBenchmarkDotNet, IReadOnlyList<BenchmarkRecord> benchmarks,
        string? label = null, SweepPoint? sweep = null)
    {
        Label = label;
        Sweep = sweep;
        Path = path;
        Title = title;
        SchemaVersion = schemaVersion;
        FromBenchmarkDotNet = fromBenchmarkDotNet;
        Benchmarks = benchmarks;
    }

    public string Path { get; }
    public string Title { get; }
    /// <summary>Benchmem's schema version; 0 for a plain BenchmarkDotNet export.</summary>
    public int SchemaVersion { get; }
    public bool FromBenchmarkDotNet { get; }
    public IReadOnlyList<BenchmarkRecord> Benchmarks { get; }
    /// <summary>The run's own label (Benchmem.Label), e.g. set by <c>benchmem sweep</c>; null when the file has none.</summary>
    public string? Label { get; }
    /// <summary>The sweep point the run measured (Benchmem.Sweep: package, version, framework); null outside sweeps.</summary>
    public SweepPoint? Sweep { get; }

    /// <summary>Reads a results file; throws <see cref="ResultsFileException"/> with a one-line reason when it cannot.</summary>
    public static BenchmarkRun Load(string path)
    {
        if (Directory.Exists(path))
            throw new ResultsFileException($"{path}: is a directory; give a results .json file (or use LoadDirectory).");
        if (!File.Exists(path))
            throw new ResultsFileException($"{path}: no such file.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new ResultsFileException($"{path}: not valid JSON ({e.Message.Split('.')[0]}, line {e.LineNumber + 1}); was the file cut short?", e);
        }
        catch (IOException e)
        {
            throw new ResultsFileException($"{path}: cannot be read: {e.Message}", e);
        }
        using (doc)
            return FromDocument(path, doc.RootElement);
    }

    /// <summary>
    /// Several results files at once, in parallel (the CLI's inputs are typically two large files); the runs come back
    /// in the order given, and when files are bad the first bad one in that order is the error, as a sequential load would say.
    /// </summary>
    public static IReadOnlyList<BenchmarkRun> LoadMany(IReadOnlyList<string> paths)
    {
        var runs = new BenchmarkRun?[paths.Count];
        var errors = new Exception?[paths.Count];
        Parallel.For(0, paths.Count, i =>
        {
            try
            {
                runs[i] = Load(paths[i]);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        return runs!;
    }

    /// <summary>A run made from records in memory (e.g. the benchmarks of the run in progress).</summary>
    public static BenchmarkRun FromRecords(string title, IReadOnlyList<BenchmarkRecord> benchmarks) =>
        new("(this run)", title, RunInfo.SchemaVersion, false, benchmarks);

    /// <summary>Every *.json file in a directory (saved runs), in file-name order.</summary>
    public static IReadOnlyList<BenchmarkRun> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new ResultsFileException($"{directory}: no such directory.");
        return Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(Load).ToList();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BenchmarkRun FromDocument(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
            throw new ResultsFileException($"{path}: neither a Benchmem results file nor a BenchmarkDotNet full JSON export (no \"Benchmarks\" array).");
        int schema = 0;
        string? label = null;
        SweepPoint? sweep = null;
        if (root.TryGetProperty("Benchmem", out var bm) && bm.ValueKind == JsonValueKind.Object)
            (label, sweep) = ResultsJson.ReadLabel(bm);
        if (bm.ValueKind == JsonValueKind.Object
            && bm.TryGetProperty("SchemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number)
        {
            schema = sv.TryGetInt32(out var v) ? v : int.MaxValue;
            if (schema > RunInfo.SchemaVersion)
                throw new ResultsFileException($"{path}: written by a newer Benchmem (schema {schema}; this one reads up to {RunInfo.SchemaVersion}); update Benchmem to read it.");
        }
        var elements = new JsonElement[benchmarks.GetArrayLength()];
        int count = 0;
        foreach (var e in benchmarks.EnumerateArray())
            elements[count++] = e;
        // Reading the records is most of a large file's load: in parallel chunks (a JsonDocument is safe to read
        // from several threads), then checked in file order so errors name the same benchmark a sequential read would.
        var read = new BenchmarkRecord?[count];
        var errors = new Exception?[count];
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, count, Math.Max(256, count / (4 * Environment.ProcessorCount) + 1)), range =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
            {
                try
                {
                    if (elements[i].ValueKind != JsonValueKind.Object)
                        throw new JsonException("not an object");
                    read[i] = ResultsJson.ReadBenchmark(elements[i]);
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
                {
                    errors[i] = ex;
                }
            }
        });
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
        var title = root.TryGetProperty("Title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : System.IO.Path.GetFileNameWithoutExtension(path);
        return new BenchmarkRun(path, title, schema, schema == 0, records, label, sweep);
    }
}
