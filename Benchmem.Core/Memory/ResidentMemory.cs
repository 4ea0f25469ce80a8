namespace Benchmem.Core.Memory;

/// <summary>
/// The process's resident high-water on Linux: writing 5 to /proc/self/clear_refs resets VmHWM to the current
/// resident size, and VmHWM in /proc/self/status then tracks the high-water. Honest for native memory; managed
/// memory the GC reuses may not raise it (a 100 MB array can read ~0 when its pages were resident already).
/// </summary>
internal static class ResidentMemory
{
    public static bool Supported { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/clear_refs");

    /// <summary>Resets the high-water mark and returns the resident bytes now, or null where unsupported.</summary>
    public static long? Reset()
    {
        if (!Supported)
            return null;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return Read("VmHWM:");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static long? HighWater() => Supported ? Read("VmHWM:") : null;

    private static long? Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal)
                && long.TryParse(line[field.Length..].Trim().Split(' ')[0], out var kb))
                return kb * 1024;
        }
        return null;
    }
}
