using System.Globalization;
using Benchmem.Core.Errors;

namespace Benchmem.Core.Results;

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
    /// The FullNames of every benchmark the run's test tree holds, known before any runs (null: not known, e.g.
    /// without the suite hook). A run that measures fewer — a <c>--filter</c>, a failing benchmark — is partial.
    /// </summary>
    public IReadOnlySet<string>? Expected { get; private set; }

    /// <summary>Every benchmark method of the assembly (namespace, type, method), whether the run's filter let it
    /// into the test tree or not: a run that measures none of a method's cases is partial too.</summary>
    public IReadOnlySet<(string Namespace, string Type, string Method)> ExpectedMethods { get; private set; } =
        new HashSet<(string, string, string)>();

    public void Expect(IEnumerable<string> fullNames, IEnumerable<(string Namespace, string Type, string Method)> methods)
    {
        lock (_gate)
        {
            Expected = fullNames.ToHashSet(StringComparer.Ordinal);
            ExpectedMethods = methods.ToHashSet();
        }
    }

    /// <summary>The method a record measured, without generic arguments (<c>Sort&lt;Int32&gt;</c> is <c>Sort</c>).</summary>
    private static (string, string, string) MethodOf(BenchmarkRecord r) =>
        (r.Namespace, r.Type, r.Method.IndexOf('<') is > 0 and var i ? r.Method[..i] : r.Method);

    /// <summary>How many benchmarks of an earlier run the last <see cref="Write"/> kept, and from which run.</summary>
    public (int Count, string From) Kept { get; private set; }

    /// <summary>
    /// Writes the results file from everything added so far; the journal stays until <see cref="Complete"/>.
    /// When the file already holds benchmarks of another test assembly of the same `dotnet test` invocation (a
    /// solution run with one shared Json path), they are kept: the file is merged under a lock, never clobbered.
    /// A partial run (fewer benchmarks than <see cref="Expected"/>, or nothing expected known) also keeps the
    /// earlier run's benchmarks it did not measure, each marked with <see cref="BenchmarkRecord.KeptFrom"/>, so a
    /// filtered run never leaves a file holding only its subset.
    /// </summary>
    public void Write()
    {
        lock (_gate)
        {
            using var fileLock = FileLock.Acquire(ResultsPath, TimeSpan.FromSeconds(60));
            var (others, earlier, earlierRun) = ExistingRecords();
            var mine = _records.Select(r => r.FullName).Concat(others.Select(r => r.FullName)).ToHashSet(StringComparer.Ordinal);
            var methods = _records.Concat(others).Select(MethodOf).ToHashSet();
            bool partial = Expected is null || Expected.Any(n => !mine.Contains(n)) || ExpectedMethods.Any(m => !methods.Contains(m));
            var kept = partial ? earlier.Where(r => !mine.Contains(r.FullName)).ToList() : [];
            foreach (var r in kept)
                r.KeptFrom ??= earlierRun;
            Kept = (kept.Count, earlierRun);
            var all = others.Concat(_records).Concat(kept).ToList();
            AtomicFile.Write(ResultsPath, s => ResultsJson.WriteRun(s, Run, all));
        }
    }

    /// <summary>The file's benchmarks: those of this same run written by other assemblies, and those of an earlier
    /// run (with its title and start), none of them measured by this session.</summary>
    private (List<BenchmarkRecord> SameRun, List<BenchmarkRecord> Earlier, string EarlierRun) ExistingRecords()
    {
        if (!File.Exists(ResultsPath))
            return ([], [], "");
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(ResultsPath));
            var root = doc.RootElement;
            if (!ResultsReader.TryGetBenchmarks(root, out var benchmarks))
                return ([], [], ""); // not a results file: replaced whole
            var mine = _records.Select(r => r.FullName).ToHashSet(StringComparer.Ordinal);
            var records = benchmarks.EnumerateArray().Select(ResultsReader.ReadBenchmark).Where(r => !mine.Contains(r.FullName)).ToList();
            string title = ResultsReader.ReadTitle(root) ?? "";
            // This session, or another assembly of this same `dotnet test` invocation, wrote it. One assembly runs once
            // per invocation, so a file another run of this assembly wrote is an earlier run even under the same key
            // (a `dotnet test` started by a test).
            var (runKey, assembly) = ResultsReader.ReadRunIdentity(root);
            bool sameRun = Run.RunKey is not null && runKey == Run.RunKey && (title == Run.Title || assembly != Run.AssemblyName);
            if (sameRun)
                return (records, [], "");
            string when = File.GetLastWriteTimeUtc(ResultsPath).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            return ([], records, title.Length > 0 ? $"{title} (written {when})" : $"the run written {when}");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return ([], [], ""); // not ours to keep; the atomic write replaces it whole
        }
    }

    /// <summary>Writes the results file, then drops the journal it no longer needs.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            Write();
            _journal.Delete();
            IsComplete = true;
        }
    }

    /// <summary>True once <see cref="Complete"/> has written the file: from then on the file is the run.</summary>
    public bool IsComplete { get; private set; }

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
