using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Benchmem.Core.Errors;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;

namespace Benchmem.Sweeps;

/// <summary>
/// The same benchmarks across versions of a NuGet package (and target frameworks): for each version (× framework),
/// a fresh copy of the project with the package pinned to that version, <c>dotnet build</c>, then
/// <c>dotnet test -- Benchmem.Json=&lt;out&gt;/&lt;label&gt;.json</c>, and the results file labelled with the version.
/// A version that fails to restore, build or test is recorded with its reason and the others still run.
/// <code>
/// var result = new Sweep { Package = "Newtonsoft.Json", Versions = ["12.0.3", "13.0.4"], Project = "tests/Perf", Memory = true }.Run();
/// foreach (var run in result.Runs) Console.WriteLine($"{run.Label}: {run.Status} {run.Reason}");
/// </code>
/// This shells out to the dotnet CLI the machine has; it never touches the project's own bin/obj.
/// </summary>
public sealed class Sweep
{
    /// <summary>The NuGet package whose versions are swept (matched case-insensitively in the project).</summary>
    public string Package { get; init; } = "";
    /// <summary>The versions to run, in order (exact NuGet versions such as 13.0.1 or 2.0.0-beta.1).</summary>
    public IReadOnlyList<string> Versions { get; init; } = [];
    /// <summary>The test project: a project file, or a folder holding exactly one.</summary>
    public string Project { get; init; } = "";
    /// <summary>Target frameworks to run each version on (dotnet test -f); none = the project's default.</summary>
    public IReadOnlyList<string> Frameworks { get; init; } = [];
    /// <summary>Memory passes for every benchmark (Benchmem.Enabled=true).</summary>
    public bool Memory { get; init; }
    /// <summary>Where &lt;label&gt;.json and &lt;label&gt;.log go (created).</summary>
    public string OutDirectory { get; init; } = "benchmem-sweep";
    /// <summary>More run settings passed after `--` to every dotnet test, e.g. Benchmem.Repeats=3 or "NUnit.Where=cat == Perf".</summary>
    public IReadOnlyList<string> TestArguments { get; init; } = [];
    public string Configuration { get; init; } = "Release";
    /// <summary>Where the per-run copies go; default a new folder under the temp folder, deleted at the end.</summary>
    public string? WorkDirectory { get; init; }
    /// <summary>Keep the per-run copies after the sweep (to look at a failed build).</summary>
    public bool KeepCopies { get; init; }
    /// <summary>Time limit for each build and each test run.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>Environment variables set (or, with a null value, removed) for every dotnet command, e.g. NUGET_PACKAGES.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    /// <summary>Progress lines (one or two per run); null = quiet.</summary>
    public TextWriter? Progress { get; init; }

    private static readonly Regex PackageId = new(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$", RegexOptions.CultureInvariant);
    private static readonly Regex NuGetVersion = new(@"^\d+(\.\d+){1,3}(-[0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*)?(\+[0-9A-Za-z\-.]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex Tfm = new(@"^[A-Za-z][A-Za-z0-9.\-]*$", RegexOptions.CultureInvariant);

    /// <summary>Runs the sweep. Throws <see cref="SweepInputException"/> (before any run) for bad input.</summary>
    public SweepResult Run()
    {
        var (projectFile, versions, frameworks) = Validate();
        var outDir = Path.GetFullPath(OutDirectory);
        var work = WorkDirectory is null
            ? Path.Combine(Path.GetTempPath(), "benchmem-sweep", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}")
            : Path.GetFullPath(WorkDirectory);
        var copy = ProjectCopy.Discover(projectFile, outDir, work);
        if (frameworks.Count > 0)
            CheckFrameworks(projectFile, frameworks);
        Directory.CreateDirectory(outDir);
        var commit = CommitInfo.Read(Path.GetDirectoryName(projectFile)!);

        var points = versions.SelectMany(v => frameworks.Count == 0 ? [(v, (string?)null)] : frameworks.Select(f => (v, (string?)f))).ToList();
        var runs = new List<SweepRun>();
        try
        {
            int index = 0;
            foreach (var (version, framework) in points)
            {
                index++;
                var label = framework is null ? $"{Package}-{version}" : $"{Package}-{version}-{framework}";
                var run = RunOne(copy, work, label, version, framework, commit, $"[{index}/{points.Count}]");
                runs.Add(run);
            }
        }
        finally
        {
            if (!KeepCopies)
                TryDelete(work);
        }
        return new SweepResult { Runs = runs, OutDirectory = OutDirectory };
    }

    private (string ProjectFile, IReadOnlyList<string> Versions, IReadOnlyList<string> Frameworks) Validate()
    {
        if (string.IsNullOrWhiteSpace(Package))
            throw new SweepInputException("no package given; name the NuGet package whose versions to sweep, e.g. --package Newtonsoft.Json 12.0.3 13.0.1.");
        if (!PackageId.IsMatch(Package))
            throw new SweepInputException($"'{Package}' is not a NuGet package id (letters, digits, '.', '_', '-'); e.g. --package Newtonsoft.Json 12.0.3 13.0.1.");
        var versions = Versions.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (versions.Count == 0)
            throw new SweepInputException($"no versions given for {Package}; list them after the name, e.g. --package {Package} 12.0.3 13.0.1.");
        foreach (var v in versions)
        {
            if (!NuGetVersion.IsMatch(v))
                throw new SweepInputException($"'{v}' is not a NuGet version; give exact versions such as 13.0.1 or 2.0.0-beta.1 (no ranges or wildcards).");
        }
        var frameworks = Frameworks.Select(f => f.Trim()).Where(f => f.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var f in frameworks)
        {
            if (!Tfm.IsMatch(f))
                throw new SweepInputException($"'{f}' is not a target framework moniker; give one such as net10.0 or net8.0.");
        }
        foreach (var arg in TestArguments)
        {
            if (arg.TrimStart().StartsWith("Benchmem.Json=", StringComparison.OrdinalIgnoreCase))
                throw new SweepInputException($"test argument '{arg}': the sweep sets Benchmem.Json itself (<out>/<label>.json); choose the folder with --out instead.");
        }
        if (string.IsNullOrWhiteSpace(OutDirectory))
            throw new SweepInputException("the output folder is empty; give one, e.g. --out sweep.");
        if (File.Exists(OutDirectory))
            throw new SweepInputException($"--out '{OutDirectory}' is a file; give a folder for the results.");
        return (FindProjectFile(), versions, frameworks);
    }

    private string FindProjectFile()
    {
        if (string.IsNullOrWhiteSpace(Project))
            throw new SweepInputException("no project given; name the test project to run, e.g. --project tests/Perf/Perf.csproj.");
        if (File.Exists(Project))
        {
            if (!Project.EndsWith("proj", StringComparison.OrdinalIgnoreCase))
                throw new SweepInputException($"--project '{Project}' is not a project file (.csproj, .fsproj, .vbproj); give the test project.");
            return Path.GetFullPath(Project);
        }
        if (!Directory.Exists(Project))
            throw new SweepInputException($"--project '{Project}': no such file or folder; give the test project's .csproj or its folder.");
        var found = Directory.GetFiles(Project, "*.*proj").Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
            || f.EndsWith(".fsproj", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".vbproj", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        return found.Count switch
        {
            1 => Path.GetFullPath(found[0]),
            0 => throw new SweepInputException($"--project '{Project}': the folder has no project file; give the test project's .csproj or its folder."),
            _ => throw new SweepInputException($"--project '{Project}': the folder has {found.Count} project files ({string.Join(", ", found.Select(Path.GetFileName))}); name one."),
        };
    }

    /// <summary>A framework the project does not target is bad input for the whole sweep: say so before building anything.</summary>
    private void CheckFrameworks(string projectFile, IReadOnlyList<string> frameworks)
    {
        var query = DotnetProcess.Capture(["msbuild", projectFile, "-nologo", "-getProperty:TargetFramework", "-getProperty:TargetFrameworks"],
            Path.GetDirectoryName(projectFile)!, Environment, TimeSpan.FromMinutes(2));
        if (!query.Succeeded)
            return; // the builds will say what is wrong
        var text = query.StandardOutput;
        string[] targets;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var props = doc.RootElement.GetProperty("Properties");
            targets = $"{props.GetProperty("TargetFramework").GetString()};{props.GetProperty("TargetFrameworks").GetString()}"
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return;
        }
        if (targets.Length == 0)
            return;
        var missing = frameworks.Where(f => !targets.Contains(f, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
            throw new SweepInputException($"--framework {string.Join(", ", missing)}: {Path.GetFileName(projectFile)} targets {string.Join(", ", targets)} only; " +
                                          "sweep the frameworks it targets, or add the framework to its TargetFrameworks first.");
    }

    private SweepRun RunOne(ProjectCopy copy, string work, string label, string version, string? framework, CommitInfo? commit, string step)
    {
        var watch = Stopwatch.StartNew();
        var jsonPath = Path.Combine(OutDirectory, label + ".json");
        var logPath = Path.Combine(OutDirectory, label + ".log");
        var json = Path.GetFullPath(jsonPath);
        var run = new SweepRun { Label = label, Package = Package, Version = version, Framework = framework, JsonPath = jsonPath, LogPath = logPath };
        // A results file left by an earlier sweep must not pass for this run's.
        File.Delete(json);
        Progress?.WriteLine($"benchmem: {step} {label}: building a copy with {Package} {version}{(framework is null ? "" : $" for {framework}")} …");
        Progress?.Flush();

        using var log = new StreamWriter(Path.GetFullPath(logPath), append: false);
        var destination = Path.Combine(work, label);
        var projectCopy = copy.CopyTo(destination);
        var projectFiles = Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith("proj", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
                        || f.EndsWith(".targets", StringComparison.OrdinalIgnoreCase));
        var changes = PackageOverride.Apply(projectCopy, projectFiles, Package, version);
        log.WriteLine($"# {label}: {Package} {version}{(framework is null ? "" : $", {framework}")}; copy of {copy.ProjectFile} in {destination}");
        foreach (var change in changes)
            log.WriteLine($"# pinned: {change}");
        run = run with { Override = string.Join("; ", changes) };

        var tfm = framework is null ? Array.Empty<string>() : ["-f", framework];
        // RestoreLockedMode=false: a packages.lock.json in the copy pins the project's old version; in locked mode
        // (often on in CI) restore would refuse the new one instead of updating the copy's lock file.
        var build = DotnetProcess.Run(["build", projectCopy, "-c", Configuration, .. tfm, "--nologo", "-tl:off", "-p:RestoreLockedMode=false"],
            destination, Environment, log, StepTimeout);
        log.Flush();
        if (build != 0)
        {
            var found = Errors(ReadLog(logPath));
            var errors = found.Select(e => e.Text).ToList();
            var restore = found.Any(e => e.Code.StartsWith("NU", StringComparison.Ordinal));
            return Finish(run with
            {
                Status = build is null ? SweepRunStatus.TimedOut : restore ? SweepRunStatus.RestoreFailed : SweepRunStatus.BuildFailed,
                Reason = build is null ? $"build did not finish in {StepTimeout.TotalMinutes:0.#} min"
                    : (restore ? "restore failed: " : "build failed: ") + (errors.FirstOrDefault() ?? $"dotnet build exited with {build}"),
            }, watch, errors);
        }

        Progress?.WriteLine($"benchmem: {step} {label}: running the benchmarks …");
        Progress?.Flush();
        List<string> settings = [$"Benchmem.Json={json}"];
        if (Memory)
            settings.Add("Benchmem.Enabled=true");
        // One results file per version in the output folder; `benchmem report` makes a report of one on demand.
        settings.Add("Benchmem.Reports=none");
        settings.AddRange(TestArguments);
        var test = DotnetProcess.Run(["test", projectCopy, "--no-build", "-c", Configuration, .. tfm, "--nologo", "--", .. settings], destination, Environment, log, StepTimeout);
        log.Flush();
        var hasResults = File.Exists(json);
        if (hasResults)
        {
            try
            {
                RunLabel.Stamp(json, label, new SweepPoint(Package, version, framework), commit);
            }
            catch (ResultsFileException e)
            {
                // Not a results file the run could have meant to write (killed mid-write by something else?): this
                // version failed, the sweep goes on.
                return Finish(run with { Status = SweepRunStatus.TestsFailed, Reason = "unusable results file: " + e.Message }, watch, []);
            }
        }
        run = run with { HasResults = hasResults };
        if (test is null)
            return Finish(run with { Status = SweepRunStatus.TimedOut, Reason = $"dotnet test did not finish in {StepTimeout.TotalMinutes:0.#} min" }, watch, []);
        if (test != 0)
        {
            var lines = TestFailureLines(logPath);
            return Finish(run with
            {
                Status = SweepRunStatus.TestsFailed,
                Reason = "tests failed: " + (lines.FirstOrDefault() ?? $"dotnet test exited with {test}") + (hasResults ? " (results file kept)" : ""),
            }, watch, lines);
        }
        if (!hasResults)
            return Finish(run with { Status = SweepRunStatus.NoResults, Reason = "no results file written: no [Benchmark] test ran (check filters and Benchmem.Disable)" }, watch, []);
        return Finish(run with { Status = SweepRunStatus.Succeeded }, watch, []);
    }

    private SweepRun Finish(SweepRun run, Stopwatch watch, IReadOnlyList<string> details)
    {
        run = run with { Elapsed = watch.Elapsed };
        if (Progress is { } p)
        {
            if (run.Succeeded)
                p.WriteLine($"benchmem: {run.Label}: done in {run.Elapsed.TotalSeconds:0.0} s → {run.JsonPath}");
            else
            {
                p.WriteLine($"benchmem: {run.Label}: {run.Reason}");
                foreach (var line in details.Skip(1).Take(5))
                    p.WriteLine("    " + line);
                p.WriteLine($"    (full output: {run.LogPath})");
            }
            p.Flush();
        }
        return run;
    }

    // `/path/x.csproj : error NU1102: Unable to find … [/path/x.csproj]` → `NU1102: Unable to find …`;
    // `/path/Bench.cs(12,5): error CS0117: … [/path/x.csproj]` → `Bench.cs(12,5): CS0117: …`
    private static readonly Regex ErrorLine = new(@"^\s*(?<file>.*?)(?:\((?<pos>\d+,\d+(?:,\d+,\d+)?)\))?\s*:\s*error\s+(?<code>[A-Za-z]+\d+)\s*:\s*(?<message>.*?)(?:\s+\[[^\]]*\])?\s*$",
        RegexOptions.CultureInvariant);

    /// <summary>The distinct errors of a failed build, in order: the code, and one short line saying where and what.</summary>
    internal static List<(string Code, string Text)> Errors(IEnumerable<string> lines) =>
        lines.Select(l => ErrorLine.Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups["code"].Value, m.Groups["pos"].Success
                ? $"{Path.GetFileName(m.Groups["file"].Value)}({m.Groups["pos"].Value}): {m.Groups["code"].Value}: {m.Groups["message"].Value}"
                : $"{m.Groups["code"].Value}: {m.Groups["message"].Value}"))
            .Distinct().ToList();

    /// <summary>What a failed test run said: failed tests, Benchmem's own errors, the summary line.</summary>
    private static List<string> TestFailureLines(string logPath)
    {
        var lines = ReadLog(logPath).Select(l => l.Trim()).ToList();
        var picked = lines.Where(l => l.StartsWith("Failed ", StringComparison.Ordinal) || l.StartsWith("Benchmem settings are invalid", StringComparison.Ordinal)
                                      || l.StartsWith("Failed!", StringComparison.Ordinal) || l.StartsWith("- ", StringComparison.Ordinal) && l.Contains("Benchmem.", StringComparison.Ordinal))
            .Concat(Errors(lines).Select(e => e.Text)).Distinct(StringComparer.Ordinal).ToList();
        return picked.Count > 0 ? picked : lines.Where(l => l.Length > 0).TakeLast(5).ToList();
    }

    /// <summary>The log so far; it is still open for writing, hence the sharing.</summary>
    private static List<string> ReadLog(string logPath)
    {
        using var stream = new FileStream(Path.GetFullPath(logPath), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
            lines.Add(line);
        return lines;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
