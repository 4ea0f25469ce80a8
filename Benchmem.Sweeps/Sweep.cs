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
    /// <summary>Instead of package versions: git refs (branches, tags, commits) of the project's repository, each
    /// checked out in its own worktree and run with the same project path. Labels are the ref names.</summary>
    public IReadOnlyList<string> Refs { get; init; } = [];
    /// <summary>Other packages pinned to one exact version in every run (name → version), as the swept package is.</summary>
    public IReadOnlyDictionary<string, string> Pins { get; init; } = new Dictionary<string, string>();
    /// <summary>With two sides (versions or refs): run them in alternation this many rounds each (A B, B A, A B, …),
    /// writing &lt;label&gt;.round-N.json, and report B / A per benchmark with an interval from the rounds; 0 = off.</summary>
    public int Interleave { get; init; }
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
        // Refs check out the whole repository at each ref; versions copy the project and what it needs.
        var git = Refs.Count > 0 ? GitRefs.Resolve(projectFile, Refs.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList()) : null;
        var copy = git is null ? ProjectCopy.Discover(projectFile, outDir, work) : null;
        if (frameworks.Count > 0)
            CheckFrameworks(projectFile, frameworks);
        var commit = CommitInfo.Read(Path.GetDirectoryName(projectFile)!);

        IEnumerable<(string Label, string? Version, GitRef? Ref)> sides = git is null
            ? versions.Select(v => ($"{Package}-{v}", (string?)v, (GitRef?)null))
            : git.Refs.Select(r => (r.Label, (string?)null, (GitRef?)r));
        var points = sides.SelectMany(s => frameworks.Count == 0 ? [new Point(s.Label, s.Version, s.Ref, null)]
                                                                 : frameworks.Select(f => new Point($"{s.Label}-{f}", s.Version, s.Ref, f))).ToList();
        if (Interleave > 0 && points.Count != 2)
            throw new SweepInputException($"--interleave alternates two sides (A B, B A, …), and this sweep has {points.Count} ({string.Join(", ", points.Select(p => p.Label))}); " +
                                          "give exactly two versions or two refs (and at most one --framework).");
        Directory.CreateDirectory(outDir);

        var runs = new List<SweepRun>();
        var prepared = new List<Prepared>();
        IReadOnlyList<InterleavedRatio>? ratios = null;
        string? ratiosPath = null;
        try
        {
            int index = 0;
            foreach (var point in points)
            {
                index++;
                var step = $"[{index}/{points.Count}]";
                var (ready, failed) = Prepare(point, copy, git, work, commit, step);
                if (ready is not null)
                    prepared.Add(ready);
                // Without interleaving, each side is tested as soon as it is built: a failure later costs nothing done.
                if (failed is not null)
                    runs.Add(failed);
                else if (Interleave == 0)
                    runs.Add(Test(ready!, Path.Combine(OutDirectory, point.Label + ".json"), step));
            }
            if (Interleave > 0)
            {
                if (prepared.Count == 2)
                    (ratios, ratiosPath) = RunInterleaved(prepared, runs);
                else
                    // One side did not build: the other still runs, once, as in any sweep.
                    runs.AddRange(prepared.Select(p => Test(p, Path.Combine(OutDirectory, p.Point.Label + ".json"), "[once]")));
                runs.Sort((x, y) => points.FindIndex(p => p.Label == x.Label).CompareTo(points.FindIndex(p => p.Label == y.Label)));
            }
        }
        finally
        {
            foreach (var p in prepared)
                p.Log.Dispose();
            if (!KeepCopies)
            {
                foreach (var p in prepared.Where(p => p.Point.Ref is not null))
                    git!.Remove(p.Destination);
                TryDelete(work);
            }
        }
        return new SweepResult { Runs = runs, OutDirectory = OutDirectory, Interleaved = ratios, InterleavedPath = ratiosPath };
    }

    /// <summary>One side of the sweep: a package version or a git ref (and a framework).</summary>
    private sealed record Point(string Label, string? Version, GitRef? Ref, string? Framework);

    /// <summary>A side built and ready to test: its source tree, project file, open log and the run so far.</summary>
    private sealed record Prepared(Point Point, string Destination, string ProjectFile, StreamWriter Log, SweepRun Run, CommitInfo? Commit, Stopwatch Watch);

    /// <summary>
    /// --interleave: A and B alternate run by run, in ABBA order (A B, B A, A B, …), so neither side always goes first
    /// into a warming machine, and each round's pair ran back to back. Every round's results file is kept.
    /// </summary>
    private (IReadOnlyList<InterleavedRatio>?, string?) RunInterleaved(List<Prepared> sides, List<SweepRun> runs)
    {
        var files = sides.Select(_ => new List<string>()).ToArray();
        var last = new SweepRun?[2];
        for (int round = 1; round <= Interleave; round++)
        {
            int[] order = round % 2 == 1 ? [0, 1] : [1, 0];
            foreach (int i in order)
            {
                var side = sides[i];
                var json = Path.Combine(OutDirectory, $"{side.Point.Label}.round-{round}.json");
                var run = Test(side, json, $"[round {round}/{Interleave}]");
                last[i] = run;
                if (run.HasResults)
                    files[i].Add(json);
                if (!run.Succeeded)
                {
                    // The alternation is broken: no ratios. The other side's rounds so far stand, as its files do.
                    int o = 1 - i;
                    runs.Add(run with { Rounds = files[i], Reason = $"round {round}: {run.Reason}" });
                    runs.Add(last[o] is { } other
                        ? other with { Rounds = files[o], JsonPath = files[o].FirstOrDefault() ?? other.JsonPath }
                        : sides[o].Run with { Status = SweepRunStatus.NoResults, Reason = $"not run: {side.Point.Label} failed in round {round} first" });
                    return (null, null);
                }
            }
        }
        for (int k = 0; k < 2; k++)
            runs.Add(last[k]! with { Rounds = files[k], JsonPath = files[k][0] });
        var pairs = files[0].Zip(files[1]).ToList();
        var ratios = Interleaving.Compute(pairs);
        var path = Path.Combine(OutDirectory, "interleaved.json");
        Interleaving.Write(Path.GetFullPath(path), sides[0].Point.Label, sides[1].Point.Label, pairs, ratios);
        return (ratios, path);
    }

    private SweepPoint PointOf(Point point) =>
        point.Ref is { } r ? new SweepPoint("git", r.Name, point.Framework) : new SweepPoint(Package, point.Version!, point.Framework);

    /// <summary>Checks out or copies one side, pins its packages and builds it; a failure is returned as a finished run.</summary>
    private (Prepared? Ready, SweepRun? Failed) Prepare(Point point, ProjectCopy? copy, GitRefs? git, string work, CommitInfo? commit, string step)
    {
        var watch = Stopwatch.StartNew();
        var (label, framework) = (point.Label, point.Framework);
        var jsonPath = Path.Combine(OutDirectory, label + ".json");
        var logPath = Path.Combine(OutDirectory, label + ".log");
        var run = new SweepRun
        {
            Label = label, Package = point.Ref is null ? Package : "git", Version = point.Ref?.Name ?? point.Version!, Framework = framework,
            Ref = point.Ref?.Name, Commit = point.Ref?.Commit, JsonPath = jsonPath, LogPath = logPath,
        };
        // Results files left by an earlier sweep must not pass for this run's.
        foreach (var stale in new[] { jsonPath }.Concat(Enumerable.Range(1, Interleave).Select(i => Path.Combine(OutDirectory, $"{label}.round-{i}.json"))))
            File.Delete(Path.GetFullPath(stale));
        var what = point.Ref is { } gr ? $"checking out {gr.Name} ({gr.Commit[..12]})" : $"building a copy with {Package} {point.Version}";
        Progress?.WriteLine($"benchmem: {step} {label}: {what}{(framework is null ? "" : $" for {framework}")} …");
        Progress?.Flush();

        var log = new StreamWriter(Path.GetFullPath(logPath), append: false);
        var destination = Path.Combine(work, label);
        string projectCopy;
        var changes = new List<string>();
        if (point.Ref is { } gitRef)
        {
            var (checkedOut, failure) = git!.CheckOut(gitRef, destination, log);
            if (checkedOut is null)
            {
                log.Dispose();
                if (!KeepCopies)
                    git.Remove(destination);
                return (null, Finish(run with { Status = SweepRunStatus.CheckoutFailed, Reason = failure }, watch, []));
            }
            projectCopy = checkedOut;
            log.WriteLine($"# {label}: {gitRef.Name} at {gitRef.Commit}{(framework is null ? "" : $", {framework}")}; worktree of {git.Root} in {destination}");
            commit = new CommitInfo(gitRef.Commit, false, gitRef.Name);
        }
        else
        {
            projectCopy = copy!.CopyTo(destination);
            changes.AddRange(PackageOverride.Apply(projectCopy, ProjectFiles(destination), Package, point.Version!));
            log.WriteLine($"# {label}: {Package} {point.Version}{(framework is null ? "" : $", {framework}")}; copy of {copy.ProjectFile} in {destination}");
        }
        foreach (var (name, version) in Pins)
            changes.AddRange(PackageOverride.Apply(projectCopy, ProjectFiles(destination), name, version));
        foreach (var change in changes)
            log.WriteLine($"# pinned: {change}");
        run = run with { Override = changes.Count == 0 ? null : string.Join("; ", changes) };

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
            log.Dispose();
            var failed = Finish(run with
            {
                Status = build is null ? SweepRunStatus.TimedOut : restore ? SweepRunStatus.RestoreFailed : SweepRunStatus.BuildFailed,
                Reason = build is null ? $"build did not finish in {StepTimeout.TotalMinutes:0.#} min"
                    : (restore ? "restore failed: " : "build failed: ") + (errors.FirstOrDefault() ?? $"dotnet build exited with {build}"),
            }, watch, errors);
            if (point.Ref is not null && !KeepCopies)
                git!.Remove(destination);
            return (null, failed);
        }
        return (new Prepared(point, destination, projectCopy, log, run, commit, watch), null);
    }

    private static IEnumerable<string> ProjectFiles(string destination) =>
        Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => f.EndsWith("proj", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
                        || f.EndsWith(".targets", StringComparison.OrdinalIgnoreCase));

    /// <summary>One dotnet test of a built side, writing <paramref name="jsonPath"/>, labelled with the side's point.</summary>
    private SweepRun Test(Prepared side, string jsonPath, string step)
    {
        var watch = Stopwatch.StartNew();
        var (label, framework, log, logPath) = (side.Point.Label, side.Point.Framework, side.Log, side.Run.LogPath);
        var run = side.Run with { JsonPath = jsonPath };
        var json = Path.GetFullPath(jsonPath);
        File.Delete(json);
        Progress?.WriteLine($"benchmem: {step} {label}: running the benchmarks …");
        Progress?.Flush();
        var tfm = framework is null ? Array.Empty<string>() : ["-f", framework];
        List<string> settings = [$"Benchmem.Json={json}"];
        if (Memory)
            settings.Add("Benchmem.Enabled=true");
        // One results file per version in the output folder; `benchmem report` makes a report of one on demand.
        settings.Add("Benchmem.Reports=none");
        settings.AddRange(TestArguments);
        var test = DotnetProcess.Run(["test", side.ProjectFile, "--no-build", "-c", Configuration, .. tfm, "--nologo", "--", .. settings], side.Destination, Environment, log, StepTimeout);
        log.Flush();
        // The build's time counts once, in the first test of the side.
        if (Interleave == 0)
            watch = side.Watch;
        var hasResults = File.Exists(json);
        if (hasResults)
        {
            try
            {
                RunLabel.Stamp(json, label, PointOf(side.Point), side.Commit);
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

    private (string ProjectFile, IReadOnlyList<string> Versions, IReadOnlyList<string> Frameworks) Validate()
    {
        bool refs = Refs.Any(r => !string.IsNullOrWhiteSpace(r));
        if (refs && !string.IsNullOrWhiteSpace(Package))
            throw new SweepInputException($"--ref and --package {Package} both given; a sweep runs either git refs or package versions — sweep the refs with --pin {Package}=VERSION, or the versions at one checkout.");
        var versions = Versions.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!refs)
        {
            if (string.IsNullOrWhiteSpace(Package))
                throw new SweepInputException("no package given; name the NuGet package whose versions to sweep, e.g. --package Newtonsoft.Json 12.0.3 13.0.1.");
            if (!PackageId.IsMatch(Package))
                throw new SweepInputException($"'{Package}' is not a NuGet package id (letters, digits, '.', '_', '-'); e.g. --package Newtonsoft.Json 12.0.3 13.0.1.");
            if (versions.Count == 0)
                throw new SweepInputException($"no versions given for {Package}; list them after the name, e.g. --package {Package} 12.0.3 13.0.1.");
            foreach (var v in versions)
            {
                if (!NuGetVersion.IsMatch(v))
                    throw new SweepInputException($"'{v}' is not a NuGet version; give exact versions such as 13.0.1 or 2.0.0-beta.1 (no ranges or wildcards).");
            }
        }
        foreach (var (name, version) in Pins)
        {
            if (!PackageId.IsMatch(name))
                throw new SweepInputException($"--pin {name}={version}: '{name}' is not a NuGet package id; give NAME=VERSION, e.g. --pin Newtonsoft.Json=13.0.3.");
            if (!NuGetVersion.IsMatch(version))
                throw new SweepInputException($"--pin {name}={version}: '{version}' is not a NuGet version; give an exact one, e.g. --pin {name}=13.0.3 (no ranges or wildcards).");
            if (name.Equals(Package, StringComparison.OrdinalIgnoreCase))
                throw new SweepInputException($"--pin {name}={version}: {name} is the swept package; its versions come from --package, so drop the --pin.");
        }
        if (Interleave is < 0 or 1 or > 1000)
            throw new SweepInputException($"--interleave {Interleave}: give the number of rounds, 2 to 1000 (each round runs both sides once; two rounds give the first interval).");
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
