using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Benchmem.Core.Provenance;

/// <summary>What BenchmarkDotNet's HostEnvironmentInfo records, read once per process.</summary>
public sealed record HostInfo(
    string OsVersion, string ProcessorName, int LogicalCoreCount, string RuntimeVersion,
    string Architecture, bool HasAttachedDebugger, long TimerFrequency, string MachineName)
{
    public static HostInfo Current { get; } = Read();

    private static HostInfo Read() => new(
        RuntimeInformation.OSDescription,
        ReadProcessorName(),
        Environment.ProcessorCount,
        $".NET {Environment.Version} ({RuntimeInformation.FrameworkDescription})",
        RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "X64",
            System.Runtime.InteropServices.Architecture.Arm64 => "Arm64",
            var a => a.ToString(),
        },
        Debugger.IsAttached,
        Stopwatch.Frequency,
        Environment.MachineName);

    private static string ReadProcessorName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.IndexOf(':') is var i and >= 0)
                    return line[(i + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "Unknown processor";
    }
}
