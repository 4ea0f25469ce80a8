using System.Diagnostics;
using System.Text.Json;
using Benchmem.Core.Errors;

namespace Benchmem.Core.Results;

/// <summary>
/// Append-only log of finished benchmarks, one JSON line each, flushed to disk as each benchmark ends, so a
/// killed test host loses nothing that finished. It sits beside the results file as
/// <c>&lt;results&gt;.json.&lt;pid&gt;.journal</c>: one per process, so parallel runs never share one.
/// </summary>
public sealed class Journal
{
    private readonly object _gate = new();

    public Journal(string resultsPath, int processId)
    {
        Path = $"{resultsPath}.{processId}.journal";
    }

    /// <summary>A journal at an exact path (the memory host's output).</summary>
    public Journal(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public void Append(BenchmarkRecord record)
    {
        var line = ResultsJson.ToJournalLine(record);
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }
    }

    public void Delete()
    {
        lock (_gate)
        {
            if (File.Exists(Path))
                File.Delete(Path);
        }
    }

    /// <summary>
    /// Reads every complete line; a line cut short by a crash (or otherwise not a benchmark) is counted in
    /// <paramref name="broken"/>, not thrown. A journal that cannot be read at all is a <see cref="ResultsFileException"/>.
    /// </summary>
    public static List<BenchmarkRecord> Read(string path, out int broken)
    {
        broken = 0;
        var records = new List<BenchmarkRecord>();
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFileException($"{path}: cannot be read ({e.Message.TrimEnd('.')}).", e);
        }
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                records.Add(ResultsJson.ReadBenchmark(doc.RootElement));
            }
            catch (JsonException)
            {
                broken++;
            }
        }
        return records;
    }

    /// <summary>Journals next to <paramref name="resultsPath"/> whose process is gone: left by a killed run.</summary>
    public static IEnumerable<(string Path, int ProcessId)> FindOrphans(string resultsPath)
    {
        var full = System.IO.Path.GetFullPath(resultsPath);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            yield break;
        var prefix = System.IO.Path.GetFileName(full) + ".";
        foreach (var file in Directory.EnumerateFiles(dir, prefix + "*.journal"))
        {
            var middle = System.IO.Path.GetFileName(file)[prefix.Length..^".journal".Length];
            if (int.TryParse(middle, out var pid) && pid != Environment.ProcessId && !IsAlive(pid))
                yield return (file, pid);
        }
    }

    internal static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
