using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;
using Benchmem.Core.Profiles;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;

namespace Benchmem.NUnit.Session;

/// <summary>
/// Where allocation profiles go. The memory host (or, in process, the sampled pass) writes every profile into a staging folder inside the
/// profile <paramref name="folder"/>; each benchmark test then publishes its own (a rename, so a profile is whole or absent) — always, or
/// with Benchmem.CompareFail only when the test regressed — and prints the command that renders it. The end of the
/// run lists them all and removes the staging folder.
/// </summary>
internal sealed class ProfileStore(string folder, Action<string> report)
{
    public const string StagingPrefix = ".staging-";
    private readonly object _lock = new();
    private readonly List<string> _published = [];
    private string? _staging;

    /// <summary>The profile folder (absolute).</summary>
    public string Folder { get; } = folder;

    /// <summary>Whether this benchmark gets a profile: Benchmem.Profile for all, [BenchMem(Profile = true)] for one.</summary>
    public static bool Wants(BenchmemSettings settings, BenchMemAttribute? attribute) => settings.Profile is not null || attribute?.Profile == true;

    /// <summary>The profile folder: Benchmem.Profile (relative to the project), else BenchmarkResults/profiles.</summary>
    public static string FolderFor(BenchmemSettings settings, string projectDirectory) =>
        Path.GetFullPath(settings.Profile ?? Path.Combine("BenchmarkResults", "profiles"), projectDirectory);

    /// <summary>Creates this run's staging folder (once; and clears those of runs that were killed); the memory host writes there.</summary>
    public string Stage()
    {
        lock (_lock)
        {
            if (_staging is not null)
                return _staging;
            Directory.CreateDirectory(Folder);
            foreach (var old in Directory.GetDirectories(Folder, StagingPrefix + "*"))
            {
                if (int.TryParse(Path.GetFileName(old)[StagingPrefix.Length..].Split('-')[0], out int pid) && !Journal.IsAlive(pid))
                    TryDelete(old);
            }
            _staging = Path.Combine(Folder, $"{StagingPrefix}{System.Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_staging);
            return _staging;
        }
    }

    /// <summary>In process (no memory host): a sampled profile into the staging folder; null, or why none was taken.</summary>
    public string? TakeSampled(BenchmarkInvoker invoker, MemoryOptions options, Action? setup, string fullName) =>
        AllocationProfiler.RecordSampled(invoker, options, setup, fullName, Stage()).Problem;

    /// <summary>
    /// Moves the benchmark's staged profile (and trace) into the profile folder, replacing an older one, and returns the
    /// command that renders it; null when none was staged.
    /// </summary>
    public string? Publish(string fullName)
    {
        lock (_lock)
        {
            if (_staging is null)
                return null;
            var staged = ProfileFolder.ProfilePath(_staging, fullName);
            if (!File.Exists(staged))
                return null;
            var trace = ProfileFolder.TracePath(_staging, fullName);
            if (File.Exists(trace))
                File.Move(trace, ProfileFolder.TracePath(Folder, fullName), overwrite: true);
            else
                File.Delete(ProfileFolder.TracePath(Folder, fullName)); // an old run's trace would not match the new profile
            File.Move(staged, ProfileFolder.ProfilePath(Folder, fullName), overwrite: true);
            var command = Command(Folder, fullName);
            _published.Add(command);
            return command;
        }
    }

    /// <summary>The folder a regressed benchmark's previous profile is kept in when its new one replaces it (for <c>benchmem profile --diff</c>).</summary>
    public string PreviousFolder => Path.Combine(Folder, "previous");

    /// <summary>
    /// Before <see cref="Publish"/> on a regression: the top diff rows of the profile kept from an earlier run (the
    /// baseline's, when it was profiled) against this run's staged one, per failed memory field, and the command for the
    /// whole diff; the earlier profile is kept in <see cref="PreviousFolder"/> so that command still works after the
    /// publish. Empty when either profile is missing or unreadable.
    /// </summary>
    public IReadOnlyList<string> Explain(string fullName, IEnumerable<string> memoryFields)
    {
        lock (_lock)
        {
            if (_staging is null)
                return [];
            var staged = ProfileFolder.ProfilePath(_staging, fullName);
            var kept = ProfileFolder.ProfilePath(Folder, fullName);
            if (!File.Exists(staged) || !File.Exists(kept))
                return [];
            Directory.CreateDirectory(PreviousFolder);
            var previous = ProfileFolder.ProfilePath(PreviousFolder, fullName);
            File.Copy(kept, previous, overwrite: true);
            var lines = memoryFields.Distinct().SelectMany(f => ProfileExplanation.TryLines(f, previous, staged)).ToList();
            if (lines.Count > 0)
                lines.Add($"Benchmem: the whole diff: benchmem profile --diff {ShellWord(PreviousFolder)} {ShellWord(Folder)} {ShellWord(fullName)}");
            return lines;
        }
    }

    /// <summary>
    /// A failed time rule: a CPU sample profile of the benchmark (about a second of its calls in this, the timing, process)
    /// kept in the profile folder as <c>&lt;id&gt;.cpu-speedscope.json</c>; the line that names it and its hottest method, or says why there is none.
    /// </summary>
    public string TakeCpu(Core.Invocation.BenchmarkInvoker invoker, Action? setup, string fullName)
    {
        setup?.Invoke();
        Directory.CreateDirectory(Folder);
        var path = CpuProfiler.PathFor(Folder, fullName);
        var (profile, problem) = CpuProfiler.Record(invoker, TimeSpan.FromSeconds(1), path, fullName);
        if (profile is null)
            return $"Benchmem: no CPU profile of the slower benchmark: {problem}.";
        var (method, share) = profile.Top();
        return $"Benchmem: where the time went: CPU sample profile {path} (open it at speedscope.app; hottest: {method}, "
            + $"{(share * 100).ToString("F0", System.Globalization.CultureInfo.InvariantCulture)}% of {profile.TotalSamples.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} samples)";
    }

    /// <summary>End of run: the command for every published profile, and the staging folder removed.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_staging is null)
                return;
            TryDelete(_staging);
            if (_published.Count > 0)
            {
                report($"Benchmem: {_published.Count} allocation profile(s) in {Folder}; render one with:");
                foreach (var command in _published)
                    report("  " + command);
            }
            _staging = null;
        }
    }

    public static string Command(string folder, string fullName) => $"benchmem profile {ShellWord(folder)} {ShellWord(fullName)}";

    /// <summary>A word a POSIX shell passes through unchanged: plain when safe, else single-quoted.</summary>
    private static string ShellWord(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "._-/+:=,@".Contains(c)) ? text : "'" + text.Replace("'", "'\\''") + "'";

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
