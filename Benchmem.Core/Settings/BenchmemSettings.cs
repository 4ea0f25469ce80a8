namespace Benchmem.Core.Settings;

/// <summary>The run-level settings (DESIGN §3), resolved from runsettings, test parameters and environment.</summary>
public sealed record BenchmemSettings
{
    /// <summary>Memory passes for every [Benchmark] test.</summary>
    public bool Enabled { get; init; }

    /// <summary>Run benchmark tests once as plain tests: no timing, no memory.</summary>
    public bool Disable { get; init; }

    /// <summary>Path of the merged results file; relative paths are taken from the test project's directory.</summary>
    public string? Json { get; init; }

    /// <summary>Where each setting came from, for messages ("Json=x.json (environment BENCHMEM_JSON)").</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    public static BenchmemSettings Default { get; } = new();
}
