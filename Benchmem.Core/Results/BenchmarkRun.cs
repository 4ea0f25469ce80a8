using System.Runtime.CompilerServices;
using System.Text.Json;
using Benchmem.Core.Errors;

namespace Benchmem.Core.Results;

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
    /// <summary>The machine the run was measured on (its HostEnvironmentInfo); null when the file has none.</summary>
    public RunEnvironment? Environment { get; init; }
    /// <summary>The sweep point the run measured (Benchmem.Sweep: package, version, framework); null outside sweeps.</summary>
    public SweepPoint? Sweep { get; }

    /// <summary>A run that is not (or not yet) a file: the benchmarks a test run has measured so far, which will be
    /// written to <paramref name="path"/> when it ends.</summary>
    internal static BenchmarkRun InMemory(string path, string title, IReadOnlyList<BenchmarkRecord> benchmarks) =>
        new(path, title, RunInfo.SchemaVersion, fromBenchmarkDotNet: false, benchmarks);

    /// <summary>Reads a results file; throws <see cref="ResultsFileException"/> with a one-line reason when it cannot.</summary>
    public static BenchmarkRun Load(string path)
    {
        if (Directory.Exists(path))
            throw new ResultsFileException($"{path}: is a directory; give a results .json file (or use LoadDirectory).");
        if (!File.Exists(path))
            throw new ResultsFileException(System.IO.Path.EndsInDirectorySeparator(path) ? $"{path}: no such directory." : $"{path}: no such file.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFileException($"{path}: cannot be read ({OneLine(e.Message)}); check that it is a readable file.", e);
        }
        // A UTF-8 byte order mark (some editors and PowerShell write one) is allowed; the parser itself refuses it.
        var json = bytes.AsMemory();
        if (json.Span.StartsWith(Utf8Bom))
            json = json[Utf8Bom.Length..];
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty)
            throw new ResultsFileException($"{path}: is empty; expected a Benchmem results file or a BenchmarkDotNet full JSON export.");
        // The parser checks UTF-8 only where it decodes a string, so bad bytes in a title or name would surface
        // later as an InvalidOperationException: check the whole file once (vectorized, cheap).
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
            throw new ResultsFileException($"{path}: not UTF-8 text (invalid bytes at offset {InvalidUtf8At(json.Span) + (json.Length < bytes.Length ? 3 : 0)}); results files are UTF-8 JSON: the file is damaged, or was saved in another encoding.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e) when (e.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            throw new ResultsFileException($"{path}: not a results file (JSON nested deeper than 64 levels, line {e.LineNumber + 1}).", e);
        }
        catch (JsonException e)
        {
            throw new ResultsFileException($"{path}: not valid JSON ({Printable(e.Message.Split('.')[0])}, line {e.LineNumber + 1}); was the file cut short?", e);
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

    private static int InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out int read, out _, replaceInvalidSequences: false);
        return read;
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The parser quotes the offending bytes, which may be a line break or a control character: keep the message one line.</summary>
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    internal static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');

    /// <summary>A run made from records in memory (e.g. the benchmarks of the run in progress).</summary>
    public static BenchmarkRun FromRecords(string title, IReadOnlyList<BenchmarkRecord> benchmarks) =>
        new("(this run)", title, RunInfo.SchemaVersion, false, benchmarks);

    /// <summary>Every *.json file in a directory (saved runs), in file-name order.</summary>
    public static IReadOnlyList<BenchmarkRun> LoadDirectory(string directory)
    {
        if (File.Exists(directory))
            throw new ResultsFileException($"{directory}: is a file, not a directory; give the folder of saved runs (or use Load for one file).");
        if (!Directory.Exists(directory))
            throw new ResultsFileException($"{directory}: no such directory.");
        string[] files;
        try
        {
            files = Directory.GetFiles(directory, "*.json");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFileException($"{directory}: cannot be listed ({OneLine(e.Message)}); check that it is a readable folder.", e);
        }
        return files.Order(StringComparer.Ordinal).Select(Load).ToList();
    }

    private static BenchmarkRun FromDocument(string path, JsonElement root)
    {
        var contents = ResultsReader.ReadRun(path, root);
        return new BenchmarkRun(path, contents.Title, contents.SchemaVersion, contents.SchemaVersion == 0, contents.Benchmarks, contents.Label, contents.Sweep)
        {
            Environment = contents.Environment,
        };
    }
}
