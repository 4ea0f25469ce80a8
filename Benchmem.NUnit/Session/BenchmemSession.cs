using System.Reflection;
using Benchmem.Core.Errors;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Commands;
using Benchmem.NUnit.Reporting;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Session;

/// <summary>
/// The test host's one Benchmem run: its settings, results, memory host, profiles, gate and saved runs, each a part of
/// its own given what it needs. The suite hook starts it before the first test and completes it after the last; the
/// commands get it from <see cref="For"/>, the one static, because NUnit constructs attributes and cannot inject.
/// </summary>
internal sealed class BenchmemSession
{
    private static readonly object RootLock = new();
    private static BenchmemSession? _current;

    private readonly object _lock = new();
    private readonly SettingsSource _settings;
    private readonly Action<string> _report;
    private RunResults? _results;
    private ProfileStore? _profiles;
    private SavedRuns? _savedRuns;
    private InlineGate? _gate;
    private bool _gateResolved;
    private RunPeers? _peers;

    public BenchmemSession(Assembly assembly, SettingsSource settings, bool hookActive, Action<string> report)
    {
        Assembly = assembly;
        _settings = settings;
        _report = report;
        HookActive = hookActive;
        ProjectDirectory = Session.ProjectDirectory.Of(assembly);
        MemoryHost = new MemoryHost(report);
        Launches = new TimingLaunches(report);
        Parallel = new ParallelRun(report);
        Watchdog = new Watchdog(BenchmarkGate);
    }

    /// <summary>The run the suite hook started; else, on first use, one without the hook (results written after every benchmark).</summary>
    public static BenchmemSession For(Assembly assembly)
    {
        lock (RootLock)
            return _current ??= new BenchmemSession(assembly, SettingsSource.FromTestHost(), hookActive: false, Report.Line);
    }

    /// <summary>The run the suite hook started, or the one first used without it; null before either.</summary>
    public static BenchmemSession? Current
    {
        get { lock (RootLock) return _current; }
    }

    /// <summary>Called by the suite hook before any test: the run of this test host.</summary>
    public static BenchmemSession StartRun(Assembly assembly, ITest tree)
    {
        var session = new BenchmemSession(assembly, SettingsSource.FromTestHost(), hookActive: true, Report.Line);
        lock (RootLock)
            _current = session;
        session.Start(tree, ActiveTests(tree));
        return session;
    }

    public Assembly Assembly { get; }

    /// <summary>The project directory of the run (where relative paths and storage live).</summary>
    public string ProjectDirectory { get; }

    /// <summary>True when the suite hook runs this session; without it results are written after every benchmark.</summary>
    public bool HookActive { get; }

    /// <summary>The resolved settings; throws <see cref="BenchmemSettingsException"/> (every time) when they are invalid.</summary>
    public BenchmemSettings Settings => _settings.Settings;

    public MemoryHost MemoryHost { get; }
    /// <summary>Benchmem.Launches: the extra processes' timings, pooled into each benchmark's.</summary>
    public TimingLaunches Launches { get; }

    private MemoryTests.SnapshotCheck? _snapshot;

    /// <summary>Benchmem.Snapshot's check, relative to the project directory; null without the setting.</summary>
    public MemoryTests.SnapshotCheck? Snapshot
    {
        get
        {
            lock (_lock)
                return _snapshot ??= Settings.Snapshot is { } file
                    ? new MemoryTests.SnapshotCheck(Path.GetFullPath(Path.Combine(ProjectDirectory, file)), _report)
                    : null;
        }
    }
    public ParallelRun Parallel { get; }
    public BenchmarkGate BenchmarkGate { get; } = new();
    public Watchdog Watchdog { get; }
    public BenchmarkDims Dims { get; } = new();
    public BenchmarkMetrics Metrics { get; } = new();
    /// <summary>The calibration workloads every benchmark's timing interleaves with its rounds (machine speed at that moment).</summary>
    public Core.Timing.CalibrationProbe Calibration { get; } = new();
    public SettingsRefusal Refusal { get; } = new();

    public RunResults Results
    {
        get
        {
            lock (_lock)
                return _results ??= new RunResults(RunResults.Open(Assembly, Settings, ProjectDirectory), writeEachBenchmark: !HookActive);
        }
    }

    /// <summary>The results when a benchmark or the run's start has opened them; null before (nothing to read yet).</summary>
    public RunResults? OpenResults
    {
        get { lock (_lock) return _results; }
    }

    public ProfileStore Profiles
    {
        get
        {
            lock (_lock)
                return _profiles ??= new ProfileStore(ProfileStore.FolderFor(Settings, ProjectDirectory), _report);
        }
    }

    public SavedRuns SavedRuns
    {
        get
        {
            lock (_lock)
                return _savedRuns ??= new SavedRuns(SavedRuns.StorageFor(Settings, ProjectDirectory), _report);
        }
    }

    /// <summary>The CompareFail gate, resolved once (a bad CompareTo throws that once), or null without one.</summary>
    public InlineGate? Gate
    {
        get
        {
            var settings = Settings;
            lock (_lock)
            {
                if (_gateResolved)
                    return _gate;
                _gateResolved = true;
                var storage = settings.CompareFail is null && settings.CompareTo is null ? null : SavedRuns.StorageFor(settings, ProjectDirectory);
                return _gate = storage is null ? null : InlineGate.Resolve(settings, storage, _report);
            }
        }
    }

    /// <summary>Other test assemblies of this `dotnet test` invocation running right now (empty without the hook or off Linux).</summary>
    public IReadOnlyList<string> OtherAssembliesRunning()
    {
        lock (_lock)
            return _peers?.Others() ?? [];
    }

    /// <summary>
    /// Validates settings, recovers killed runs' journals, notes which benchmarks the tree holds (a filtered run measures
    /// fewer: see <see cref="ResultsSession.Write"/>) and runs the memory host. Bad settings refuse the run
    /// (<see cref="SettingsRefusal"/>) instead of failing the assembly.
    /// </summary>
    private void Start(ITest tree, IReadOnlyList<ITest> active)
    {
        try
        {
            var results = Results.File;
            results.Expect(BenchmarkNames(tree), Identity.BenchmarkMethods(Assembly));
            var settings = Settings;
            if (!settings.Disable)
                CheckWritable(Path.GetDirectoryName(results.ResultsPath)!, "the results file's folder", "set Benchmem.Json to a path in a writable folder");
            if (!settings.Disable && (settings.Save is not null || settings.Autosave))
                CheckWritable(SavedRuns.Storage.Folder, "the saved-runs folder", "set Benchmem.Storage to a writable folder");
            if (!settings.Disable && settings.Profile is not null)
                CheckWritable(Profiles.Folder, "the profile folder", "set Benchmem.Profile to a writable folder");
            lock (_lock)
                _peers ??= RunPeers.Join(results.Run.RunKey, results.Run.AssemblyName);
            foreach (var message in results.RecoverOrphans())
                _report(message);
            _ = Gate; // resolve the baseline now: a bad CompareTo stops the run before any benchmark
            MemoryHost.Start(Assembly, active, settings, Profiles);
            Launches.Start(Assembly, active, settings);
        }
        catch (BenchmemSettingsException e)
        {
            Refusal.Refuse(e.Message);
        }
    }

    /// <summary>Called by the suite hook after all tests: writes the merged file and prints the table.</summary>
    public void Complete()
    {
        RunResults? results;
        InlineGate? gate;
        ProfileStore? profiles;
        lock (_lock)
            (results, gate, profiles) = (_results, _gate, _profiles);
        if (results is { File: var session } && session.Records.Count > 0)
        {
            session.Complete();
            var settings = Settings;
            ConsoleReport.Print(session, settings, Watchdog.Abandoned, gate);
            WriteReports(session, settings);
            if (session.Kept.Count > 0)
                _report($"Benchmem: this run measured {session.Records.Count} of the suite's {session.Records.Count + session.Kept.Count} benchmark(s) (a --filter, "
                    + $"or tests that failed); the results file keeps the other {session.Kept.Count} from {session.Kept.From}, each marked "
                    + "Benchmem.KeptFrom, so it stays a whole suite. A full run replaces them.");
            SavedRuns.SaveIfAsked(settings, session);
            if (Core.Compare.GateRules.Parse(settings.CompareFail).Ratios.Count > 0)
            {
                // Never a silent pass: a benchmark whose group has no baseline had no ratio to gate.
                var ratios = Core.Compare.RunRatios.Of(session.Records, []);
                var ungated = session.Records.Where(r => ratios.BaselineOf(r) is null).Select(BenchmarkKey.ShortName).ToList();
                if (ungated.Count > 0)
                    _report($"Benchmem: CompareFail ratio rules: {ungated.Count} benchmark(s) have no [Benchmark(Baseline = true)] in their group (or class), "
                        + $"so no ratio of theirs was gated: {string.Join(", ", ungated)}.");
            }
        }
        if (gate?.NewSummary() is { } newBenchmarks)
            _report(newBenchmarks);
        profiles?.Complete();
        MemoryTests.SnapshotCheck? snapshot;
        lock (_lock)
            snapshot = _snapshot;
        snapshot?.Complete();
        lock (_lock)
        {
            _peers?.Dispose();
            _peers = null;
        }
    }

    /// <summary>Benchmem.Reports: the single-run reports beside the results file (from the file, so they show all it holds).</summary>
    private void WriteReports(ResultsSession session, BenchmemSettings settings)
    {
        try
        {
            var written = Core.Exporters.RunReport.WriteBeside(session.ResultsPath, settings.Reports.Select(Core.Exporters.RunReport.Parse));
            if (written.Count > 0)
                _report($"Benchmem: reports {string.Join(", ", written.Select(Path.GetFileName))} written beside it (Benchmem.Reports=none to skip them)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ResultsFileException)
        {
            _report($"Benchmem: could not write the reports beside {session.ResultsPath}: {e.Message}; the results file itself is complete.");
        }
    }

    /// <summary>
    /// The test cases this run will execute: NUnit 5 tells (TestContext.ActiveTests, the filtered list); NUnit 4 does not,
    /// so there every runnable test case of the assembly counts (the memory host then also measures filtered-out ones).
    /// Read by reflection because the package is built against the lowest NUnit 4 it supports.
    /// </summary>
    private static IReadOnlyList<ITest> ActiveTests(ITest suite)
    {
        var filtered = typeof(TestContext).GetProperty("ActiveTests")?.GetValue(TestContext.CurrentContext) as IEnumerable<ITest>;
        return [.. filtered ?? Leaves(suite)];

        static IEnumerable<ITest> Leaves(ITest test) => test.IsSuite ? test.Tests.SelectMany(Leaves) : [test];
    }

    /// <summary>The FullNames of the runnable [Benchmark] tests in the tree (which the adapter may already have
    /// narrowed to the filter's methods; their other cases are still there).</summary>
    private static IEnumerable<string> BenchmarkNames(ITest test)
    {
        if (test is TestMethod { RunState: RunState.Runnable } method
            && method.Method.MethodInfo.IsDefined(typeof(BenchmarkAttribute), false))
        {
            var info = method.Method.MethodInfo;
            yield return Identity.Of(test, info, BenchmarkCommand.Arguments(info, test.Arguments, CancellationToken.None)).FullName;
        }
        foreach (var child in test.Tests)
        {
            foreach (var name in BenchmarkNames(child))
                yield return name;
        }
    }

    /// <summary>Stops the run before any benchmark, like a bad setting, when results could not be written.</summary>
    private static void CheckWritable(string folder, string what, string fix)
    {
        if (WritableFolder.Problem(folder) is { } problem)
            throw new BenchmemSettingsException($"Benchmem cannot write {what} {folder} ({problem.TrimEnd('.')}), so no benchmark ran: {fix}.");
    }
}
