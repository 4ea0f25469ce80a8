using System.Reflection;
using Benchmem.Core.Provenance;

namespace Benchmem.Core.Results;

/// <summary>Run-level facts written at the top of the results file.</summary>
public sealed record RunInfo
{
    public required string Title { get; init; }
    public required string AssemblyName { get; init; }
    public required DateTimeOffset Started { get; init; }
    public HostInfo Host { get; init; } = HostInfo.Current;
    public CommitInfo? Commit { get; init; }
    /// <summary>"RELEASE" or "DEBUG": how the benchmarked assembly was compiled.</summary>
    public string Configuration { get; init; } = "RELEASE";
    /// <summary>Identifies the `dotnet test` invocation; assemblies of the same one merge into a shared results file.</summary>
    public string? RunKey { get; init; } = Provenance.RunKey.Current;

    /// <summary>True when NUnit ran tests in parallel beside the benchmarks (timings may be distorted).</summary>
    public bool ParallelTests { get; init; }

    /// <summary>
    /// The run's name for tools, e.g. "Newtonsoft.Json-13.0.1" in a sweep; written as Benchmem.Label only when set
    /// (an extra field: BenchmarkDotNet readers ignore it).
    /// </summary>
    public string? Label { get; init; }

    /// <summary>Which point of a <c>benchmem sweep</c> this run is; written as Benchmem.Sweep only when set.</summary>
    public SweepPoint? Sweep { get; init; }

    /// <summary>Benchmem's own package version, e.g. "0.2.0-alpha.0.49" (from git at build time; see Directory.Build.props).</summary>
    public static string Version => Build.Version;

    /// <summary>The commit Benchmem itself was built from (null when it was built outside a git clone).</summary>
    public static string? BenchmemCommit => Build.Commit;

    private static readonly (string Version, string? Commit) Build = ReadBuild(
        typeof(RunInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Splits an informational version "0.2.0-alpha.0.49+&lt;sha&gt;" into the package version and the commit.</summary>
    internal static (string Version, string? Commit) ReadBuild(string? informationalVersion)
    {
        if (string.IsNullOrEmpty(informationalVersion))
            return ("0.0.0", null);
        var plus = informationalVersion.IndexOf('+');
        if (plus < 0)
            return (informationalVersion, null);
        // The SDK appends the commit as build metadata, after any metadata of its own ("+meta.<sha>").
        var metadata = informationalVersion[(plus + 1)..];
        var commit = metadata[(metadata.LastIndexOf('.') + 1)..];
        return (informationalVersion[..plus], commit.Length >= 7 && commit.All(Uri.IsHexDigit) ? commit : null);
    }

    /// <summary>
    /// Bumped when the Benchmem block changes shape; readers refuse newer ones. 2: Statistics are BDN's (upper outliers
    /// removed) and every round moved to Benchmem.Timing.RoundNanoseconds; 1 kept every round in Statistics.OriginalValues
    /// (still read).
    /// </summary>
    public const int SchemaVersion = 2;

    /// <summary>
    /// A title as BDN makes them, "Name-yyyyMMdd-HHmmss": tools (bdna) read the time after the first '-', so the name
    /// keeps none ("My-Examples" becomes "My_Examples").
    /// </summary>
    public static string MakeTitle(string name, DateTimeOffset started) =>
        $"{name.Replace('-', '_')}-{started.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}";
}
