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

    public static string Version { get; } =
        typeof(RunInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

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
