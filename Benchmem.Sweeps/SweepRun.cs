namespace Benchmem.Sweeps;

/// <summary>How one run of a sweep ended.</summary>
public enum SweepRunStatus
{
    /// <summary>Built, every test passed, results file written and labelled.</summary>
    Succeeded,
    /// <summary>NuGet could not restore the project with this version (e.g. NU1102: the version does not exist).</summary>
    RestoreFailed,
    /// <summary>The project did not compile against this version (or this framework).</summary>
    BuildFailed,
    /// <summary>dotnet test failed (a test failed, or the run stopped); the results file is kept when one was written.</summary>
    TestsFailed,
    /// <summary>dotnet test passed but wrote no results file: no [Benchmark] test ran (a filter, or Benchmem.Disable).</summary>
    NoResults,
    /// <summary>A step ran past its time limit and was stopped.</summary>
    TimedOut,
    /// <summary>--ref: the ref could not be checked out, or the project does not exist at it.</summary>
    CheckoutFailed,
}

/// <summary>One run of a sweep: a package version (and framework) in its own copy of the project.</summary>
public sealed record SweepRun
{
    /// <summary>&lt;package&gt;-&lt;version&gt;[-&lt;framework&gt;]: the name of the results and log files, and the label inside the results file.</summary>
    public required string Label { get; init; }
    public required string Package { get; init; }
    public required string Version { get; init; }
    public string? Framework { get; init; }
    /// <summary>--ref: the ref as given (then <see cref="Package"/> is "git" and <see cref="Version"/> the ref) and the commit it named.</summary>
    public string? Ref { get; init; }
    public string? Commit { get; init; }
    /// <summary>--interleave: every round's results file, in order (<see cref="JsonPath"/> is the first).</summary>
    public IReadOnlyList<string> Rounds { get; init; } = [];
    /// <summary>&lt;out&gt;/&lt;label&gt;.json; it exists when <see cref="HasResults"/>.</summary>
    public required string JsonPath { get; init; }
    /// <summary>&lt;out&gt;/&lt;label&gt;.log: the build and test output of this run.</summary>
    public required string LogPath { get; init; }
    public SweepRunStatus Status { get; init; }
    /// <summary>One line: why the run failed (e.g. "NU1102: Unable to find package Newtonsoft.Json with version (= 99.0.0)"); null on success.</summary>
    public string? Reason { get; init; }
    /// <summary>What was changed in the copy to pin the version (e.g. "Directory.Packages.props: PackageVersion Newtonsoft.Json").</summary>
    public string? Override { get; init; }
    public TimeSpan Elapsed { get; init; }

    public bool Succeeded => Status == SweepRunStatus.Succeeded;
    /// <summary>True when the run left a labelled results file (also when a test failed after benchmarks ran).</summary>
    public bool HasResults { get; init; }
}

/// <summary>All runs of a sweep, in order, and the next commands to look at them.</summary>
public sealed record SweepResult
{
    public required IReadOnlyList<SweepRun> Runs { get; init; }
    public required string OutDirectory { get; init; }
    /// <summary>--interleave: B / A per benchmark and metric with its interval, when every round ran; else null.</summary>
    public IReadOnlyList<InterleavedRatio>? Interleaved { get; init; }
    /// <summary>&lt;out&gt;/interleaved.json, where <see cref="Interleaved"/> is written.</summary>
    public string? InterleavedPath { get; init; }

    public IReadOnlyList<SweepRun> Succeeded => Runs.Where(r => r.Succeeded).ToList();
    public IReadOnlyList<SweepRun> Failed => Runs.Where(r => !r.Succeeded).ToList();

    /// <summary>`benchmem compare` over the successful runs' files, in sweep order; null with fewer than 2.</summary>
    public string? CompareCommand => Succeeded.Count >= 2 ? "benchmem compare " + Files() : null;

    /// <summary>`benchmem plot` over the successful runs' files into &lt;out&gt;/sweep.html; null when none succeeded.</summary>
    public string? PlotCommand => Succeeded.Count >= 1 ? $"benchmem plot {Files()} -o {Quote(Path.Combine(OutDirectory, "sweep.html"))}" : null;

    private string Files() => string.Join(' ', Succeeded.Select(r => Quote(r.JsonPath)));

    /// <summary>A path or argument as a POSIX shell reads it back (quoted only when needed).</summary>
    public static string Quote(string path) =>
        path.All(c => char.IsLetterOrDigit(c) || "/._-+:=@,".Contains(c)) ? path : "'" + path.Replace("'", "'\\''") + "'";
}
