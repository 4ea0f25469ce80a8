using System.Globalization;
using System.Reflection;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Reporting;
using NUnit.Framework;

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

    /// <summary>Called by the assembly hook before any test: validates settings, recovers killed runs' journals.</summary>
    public static void Start(Assembly assembly)
    {
        HookActive = true;
        var session = SessionFor(assembly);
        if (!Settings.Disable)
            CheckWritable(Path.GetDirectoryName(session.ResultsPath)!, "the results file's folder", "set Benchmem.Json to a path in a writable folder");
        if (!Settings.Disable && (Settings.Save is not null || Settings.Autosave))
            CheckWritable(InlineGate.Storage(Settings, ProjectDirectoryOf(assembly)).Folder, "the saved-runs folder", "set Benchmem.Storage to a writable folder");
        if (!Settings.Disable && Settings.Profile is not null)
            CheckWritable(ProfileStore.Folder(Settings, ProjectDirectoryOf(assembly)), "the profile folder", "set Benchmem.Profile to a writable folder");
        foreach (var message in session.RecoverOrphans())
            Report.Line(message);
        _ = InlineGate.For(assembly); // resolve the baseline now: a bad CompareTo stops the run before any benchmark
        MemoryHost.Start(assembly, TestContext.CurrentContext.ActiveTests ?? [], Settings);
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

    /// <summary>Records a benchmark; throws <see cref="DuplicateBenchmarkException"/> naming both tests when its FullName is taken.</summary>
    public static void Add(Assembly assembly, BenchmarkRecord record, string test)
    {
        var session = SessionFor(assembly);
        session.Add(record, test);
        if (!HookActive)
            session.Write(); // no end-of-run hook: keep the file current after every benchmark
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
            SaveRun(session);
        }
        ProfileStore.Complete();
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
