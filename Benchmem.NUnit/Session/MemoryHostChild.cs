using Benchmem.Core.Results;
using Benchmem.Core.Settings;

namespace Benchmem.NUnit.Session;

/// <summary>
/// What a process learns from its environment about being the memory host child (<see cref="MemoryHost"/>): fixed at
/// start, read-only. The child only measures; the test host that started it owns the run.
/// </summary>
internal static class MemoryHostChild
{
    public const string RoleVariable = SettingsResolver.RoleVariable;
    public const string Role = "memory-host";
    public const string OutputVariable = SettingsResolver.MemoryHostOutputVariable;

    /// <summary>True inside the memory host child.</summary>
    public static bool IsChild { get; } = System.Environment.GetEnvironmentVariable(RoleVariable) == Role;

    /// <summary>In the child: it takes one cold pass of isolated benchmarks (no warm-up), for the test host to merge.</summary>
    public static bool IsolatedPass { get; } = IsChild && System.Environment.GetEnvironmentVariable(SettingsResolver.IsolatedPassVariable) == "1";

    /// <summary>In the child: the folder allocation profiles go to (null when none is asked for).</summary>
    public static string? ProfileOutput { get; } =
        IsChild && System.Environment.GetEnvironmentVariable(SettingsResolver.ProfileOutputVariable) is { Length: > 0 } folder ? folder : null;

    /// <summary>In the child: where each benchmark's memory record goes (one JSON line each).</summary>
    public static Journal? Output { get; } =
        IsChild && System.Environment.GetEnvironmentVariable(OutputVariable) is { Length: > 0 } path ? new Journal(path) : null;
}
