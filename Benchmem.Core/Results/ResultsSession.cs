using System.Globalization;

namespace Benchmem.Core.Results;

/// <summary>Two benchmarks of one run would have the same FullName; the message names both.</summary>
public sealed class DuplicateBenchmarkException(string message) : Exception(message);

/// <summary>
/// One test run's results for one test assembly: keeps FullNames unique, journals each benchmark as it
/// finishes, recovers journals of killed runs, and writes the merged results file atomically.
/// </summary>
public sealed class ResultsSession
{
    private readonly object _gate = new();
    private readonly List<BenchmarkRecord> _records = [];
    private readonly Dictionary<string, string?> _names = new(StringComparer.Ordinal);
    private readonly Journal _journal;

    public ResultsSession(RunInfo run, string resultsPath)
    {
        Run = run;
        ResultsPath = Path.GetFullPath(resultsPath);
        _journal = new Journal(ResultsPath, Environment.ProcessId);
    }

    public RunInfo Run { get; private set; }
    public string ResultsPath { get; }
    public string JournalPath => _journal.Path;

    public IReadOnlyList<BenchmarkRecord> Records
    {
        get { lock (_gate) return _records.ToArray(); }
    }

    /// <summary>
    /// Adds a finished benchmark and journals it at once. A FullName already taken is an error naming both
    /// benchmarks: numbering the second one would depend on the order tests ran in, and tools pairing runs by FullName
    /// would then pair the wrong rows. <paramref name="source"/> names where the record came from (the test).
    /// </summary>
    public BenchmarkRecord Add(BenchmarkRecord record, string? source = null)
    {
        lock (_gate)
        {
            if (_names.TryGetValue(record.FullName, out var first))
                throw new DuplicateBenchmarkException(
                    $"Benchmem: two benchmarks have the FullName \"{record.FullName}\": {first ?? "an earlier benchmark"} and {source ?? "this one"}; "
                    + "give them different arguments, or rename one method, so each has its own name (the second was not recorded).");
            _names[record.FullName] = source;
            _records.Add(record);
            _journal.Append(record);
            return record;
        }
    }

    public void Update(Func<RunInfo, RunInfo> change)
    {
        lock (_gate) Run = change(Run);
    }

    /// <summary>
    /// Writes the results file from everything added so far; the journal stays until <see cref="Complete"/>.
    /// When the file already holds benchmarks of another test assembly of the same `dotnet test` invocation (a
    /// solution run with one shared Json path), they are kept: the file is merged under a lock, never clobbered.
    /// </summary>
    public void Write()
    {
        lock (_gate)
        {
            using var fileLock = FileLock.Acquire(ResultsPath, TimeSpan.FromSeconds(60));
            var others = SameRunRecordsOfOthers();
            var all = others.Concat(_records).ToList();
            AtomicFile.Write(ResultsPath, s => ResultsJson.WriteRun(s, Run, all));
        }
    }

    private List<BenchmarkRecord> SameRunRecordsOfOthers()
    {
        if (Run.RunKey is null || !File.Exists(ResultsPath))
            return [];
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(ResultsPath));
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object
                || !root.TryGetProperty("Benchmem", out var bm) || bm.ValueKind != System.Text.Json.JsonValueKind.Object
                || !bm.TryGetProperty("RunKey", out var key) || key.ValueKind != System.Text.Json.JsonValueKind.String || key.GetString() != Run.RunKey
                || !root.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != System.Text.Json.JsonValueKind.Array)
                return []; // an older run's file, or not a results file: replaced whole
            var mine = _records.Select(r => r.FullName).ToHashSet(StringComparer.Ordinal);
            return benchmarks.EnumerateArray().Select(ResultsJson.ReadBenchmark)
                .Where(r => !mine.Contains(r.FullName)).ToList();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return []; // not ours to keep; the atomic write replaces it whole
        }
    }

    /// <summary>Writes the results file, then drops the journal it no longer needs.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            Write();
            _journal.Delete();
        }
    }

    /// <summary>
    /// Turns each journal left by a killed run into its own results file beside this one
    /// (<c>name-recovered-yyyyMMdd-HHmmss-pid.json</c>) and says what was recovered.
    /// </summary>
    public List<string> RecoverOrphans()
    {
        var messages = new List<string>();
        foreach (var (path, pid) in Journal.FindOrphans(ResultsPath))
        {
            var records = Journal.Read(path, out int broken);
            var stamp = File.GetLastWriteTimeUtc(path);
            var target = Path.Combine(Path.GetDirectoryName(ResultsPath)!,
                $"{Path.GetFileNameWithoutExtension(ResultsPath)}-recovered-{stamp.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{pid}.json");
            if (records.Count > 0)
            {
                var run = Run with { Title = RunInfo.MakeTitle(Run.AssemblyName + "_recovered", new DateTimeOffset(stamp)), Started = new DateTimeOffset(stamp) };
                AtomicFile.Write(target, s => ResultsJson.WriteRun(s, run, records));
                messages.Add($"Benchmem: recovered {records.Count} benchmark(s) of an interrupted run (process {pid}) into {target}"
                    + (broken > 0 ? $"; {broken} unfinished line(s) dropped" : ""));
            }
            File.Delete(path);
        }
        return messages;
    }
}
