using System.Globalization;
using System.Reflection;
using Benchmem.Core.Errors;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Reporting;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Session;

/// <summary>
/// The test host's one Benchmem run: settings resolved once and the results session of the test assembly.
/// </summary>
internal static class BenchmemRun
{
    private static readonly object Gate = new();
    private static BenchmemSettings? _settings;
    private static ResultsSession? _session;
    private static string? _projectDirectory;
    private static RunPeers? _peers;
    private static string? _startError;
    private static bool _startErrorTold;

    /// <summary>True once the assembly hook has started the run; without it results are written after every benchmark.</summary>
    public static bool HookActive { get; private set; }

    /// <summary>The resolved settings; throws <see cref="BenchmemSettingsException"/> (every time) when they are invalid.</summary>
    public static BenchmemSettings Settings
    {
        get
        {
            lock (Gate)
                return _settings ??= SettingsResolver.Resolve(RunSettingsStore.Section, TestParameters(), System.Environment.GetEnvironmentVariables());
        }
    }

    /// <summary>Called by the assembly hook before any test: validates settings, recovers killed runs' journals, and
    /// notes which benchmarks the tree holds (a filtered run measures fewer: see <see cref="ResultsSession.Write"/>).</summary>
    /// <remarks>
    /// Bad settings do not fail the assembly (NUnit would then fail every test with the message and a stack trace):
    /// the first test that runs fails with the message, once, and the others are skipped (<see cref="RefuseIfInvalid"/>).
    /// </remarks>
    public static void Start(Assembly assembly, ITest tree)
    {
        HookActive = true;
        try
        {
            StartSession(assembly, tree, ActiveTests(tree));
        }
        catch (BenchmemSettingsException e)
        {
            lock (Gate)
                _startError = e.Message;
        }
    }

    /// <summary>Before each test: after bad settings the first test fails with the message and the others are skipped.</summary>
    public static void RefuseIfInvalid()
    {
        string? error;
        lock (Gate)
        {
            error = _startError;
            if (error is null)
                return;
            if (!_startErrorTold)
            {
                _startErrorTold = true;
                throw new RunRefused(error);
            }
        }
        throw new IgnoreException("not run: Benchmem's settings are invalid (the first test of this run failed with the reason).");
    }

    /// <summary>The run's one failure for bad settings: the message alone, without a stack trace of Benchmem's frames.</summary>
    private sealed class RunRefused(string message) : ResultStateException(message)
    {
        public override ResultState ResultState => ResultState.Failure;
        public override string? StackTrace => null;
    }

    private static void StartSession(Assembly assembly, ITest tree, IReadOnlyList<ITest> active)
    {
        var session = SessionFor(assembly);
        session.Expect(BenchmarkNames(tree), Identity.BenchmarkMethods(assembly));
        if (!Settings.Disable)
            CheckWritable(Path.GetDirectoryName(session.ResultsPath)!, "the results file's folder", "set Benchmem.Json to a path in a writable folder");
        if (!Settings.Disable && (Settings.Save is not null || Settings.Autosave))
            CheckWritable(InlineGate.Storage(Settings, ProjectDirectoryOf(assembly)).Folder, "the saved-runs folder", "set Benchmem.Storage to a writable folder");
        if (!Settings.Disable && Settings.Profile is not null)
            CheckWritable(ProfileStore.Folder(Settings, ProjectDirectoryOf(assembly)), "the profile folder", "set Benchmem.Profile to a writable folder");
        lock (Gate)
            _peers ??= RunPeers.Join(session.Run.RunKey, session.Run.AssemblyName);
        foreach (var message in session.RecoverOrphans())
            Report.Line(message);
        _ = InlineGate.For(assembly); // resolve the baseline now: a bad CompareTo stops the run before any benchmark
        MemoryHost.Start(assembly, active, Settings);
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
            yield return Identity.Of(test, info, Commands.BenchmarkCommand.Arguments(info, test.Arguments, CancellationToken.None)).FullName;
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

    /// <summary>The project directory of the run (where relative paths and storage live).</summary>
    public static string ProjectDirectoryOf(Assembly assembly)
    {
        lock (Gate)
            return _projectDirectory ??= ProjectDirectory(assembly);
    }

    public static ResultsSession SessionFor(Assembly assembly)
    {
        lock (Gate)
        {
            if (_session is not null)
                return _session;
            var projectDir = _projectDirectory = ProjectDirectory(assembly);
            var name = assembly.GetName().Name ?? "Tests";
            var path = Settings.Json is { } json
                ? Path.GetFullPath(json, projectDir)
                : Path.Combine(projectDir, "BenchmarkResults", $"{name}-report-full.json");
            var started = DateTimeOffset.Now;
            var run = new RunInfo
            {
                Title = RunInfo.MakeTitle(name, started),
                AssemblyName = name,
                Started = started,
                Commit = CommitInfo.Read(projectDir),
                Configuration = Optimization.IsOptimized(assembly) ? "RELEASE" : "DEBUG",
            };
            return _session = new ResultsSession(run, path);
        }
    }

    /// <summary>This run's benchmarks so far when <paramref name="resultsPath"/> is its results file and the run has
    /// not written it yet (the suite hook writes it once all tests have run); null otherwise.</summary>
    public static BenchmarkRun? InProgress(string resultsPath)
    {
        ResultsSession? session;
        lock (Gate)
            session = _session;
        if (session is null || !HookActive || session.IsComplete || !string.Equals(session.ResultsPath, Path.GetFullPath(resultsPath), StringComparison.Ordinal))
            return null;
        return BenchmarkRun.InMemory(session.ResultsPath, session.Run.Title, session.Records);
    }

    /// <summary>Records a benchmark; throws <see cref="DuplicateBenchmarkException"/> naming both tests when its FullName is taken.</summary>
    public static void Add(Assembly assembly, BenchmarkRecord record, string test)
    {
        var session = SessionFor(assembly);
        session.Add(record, test);
        if (!HookActive)
            session.Write(); // no end-of-run hook: keep the file current after every benchmark
    }

    /// <summary>Other test assemblies of this `dotnet test` invocation running right now (empty without the hook or off Linux).</summary>
    public static IReadOnlyList<string> OtherAssembliesRunning()
    {
        lock (Gate)
            return _peers?.Others() ?? [];
    }

    public static void MarkParallel()
    {
        lock (Gate)
            _session?.Update(r => r.ParallelTests ? r : r with { ParallelTests = true });
    }

    /// <summary>Called by the assembly hook after all tests: writes the merged file and prints the table.</summary>
    public static void Complete()
    {
        ResultsSession? session;
        lock (Gate)
            session = _session;
        if (session is not null && session.Records.Count > 0)
        {
            session.Complete();
            ConsoleReport.Print(session, Settings);
            WriteReports(session);
            if (session.Kept.Count > 0)
                Report.Line($"Benchmem: this run measured {session.Records.Count} of the suite's {session.Records.Count + session.Kept.Count} benchmark(s) (a --filter, "
                    + $"or tests that failed); the results file keeps the other {session.Kept.Count} from {session.Kept.From}, each marked "
                    + "Benchmem.KeptFrom, so it stays a whole suite. A full run replaces them.");
            SaveRun(session);
        }
        if (InlineGate.Resolved?.NewSummary() is { } newBenchmarks)
            Report.Line(newBenchmarks);
        ProfileStore.Complete();
        lock (Gate)
        {
            _peers?.Dispose();
            _peers = null;
        }
    }

    /// <summary>Benchmem.Reports: the single-run reports beside the results file (from the file, so they show all it holds).</summary>
    private static void WriteReports(ResultsSession session)
    {
        try
        {
            var written = Core.Exporters.RunReport.WriteBeside(session.ResultsPath, Settings.Reports.Select(Core.Exporters.RunReport.Parse));
            if (written.Count > 0)
                Report.Line($"Benchmem: reports {string.Join(", ", written.Select(Path.GetFileName))} written beside it (Benchmem.Reports=none to skip them)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ResultsFileException)
        {
            Report.Line($"Benchmem: could not write the reports beside {session.ResultsPath}: {e.Message}; the results file itself is complete.");
        }
    }

    /// <summary>Benchmem.Save=NAME / Benchmem.Autosave=true: keep the run in storage as NNNN_NAME.json.</summary>
    private static void SaveRun(ResultsSession session)
    {
        var settings = Settings;
        if (settings.Save is null && !settings.Autosave)
            return;
        var storage = InlineGate.Storage(settings, _projectDirectory ?? AppContext.BaseDirectory);
        var name = settings.Save ?? (session.Run.Commit is { } c ? c.Id[..Math.Min(7, c.Id.Length)] + (c.Dirty ? "-dirty" : "") : "run");
        try
        {
            Report.Line($"Benchmem: saved this run as {storage.Save(session.ResultsPath, name)}");
        }
        catch (IOException e)
        {
            Report.Line($"Benchmem: could not save this run into {storage.Folder}: {e.Message}");
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> TestParameters()
    {
        var parameters = TestContext.Parameters;
        foreach (var name in parameters.Names)
            yield return new(name, parameters.Get(name) ?? "");
    }

    /// <summary>The project directory the package's build targets stamped into the assembly, else a guess from bin/.</summary>
    private static string ProjectDirectory(Assembly assembly)
    {
        var stamped = assembly.GetCustomAttribute<BenchmemProjectAttribute>()?.Directory;
        if (!string.IsNullOrEmpty(stamped) && Directory.Exists(stamped))
            return stamped;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.csproj").Any())
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
