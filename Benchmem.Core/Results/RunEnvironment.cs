using Benchmem.Core.Provenance;

namespace Benchmem.Core.Results;

/// <summary>
/// The machine a run was measured on, as its HostEnvironmentInfo says (Benchmem's or BDN's): what a report's header
/// shows (<see cref="ResultsReader.ReadEnvironment"/> reads it).
/// </summary>
public sealed record RunEnvironment(string Caption, string Version, string? Os, string? Processor, int? PhysicalProcessors,
    int? PhysicalCores, int? LogicalCores, string? DotNetCli, string? Runtime, string? Architecture)
{
    public static RunEnvironment Of(HostInfo h) => new("Benchmem", RunInfo.Version, h.OsVersion, h.ProcessorName, h.PhysicalProcessorCount,
        h.PhysicalCoreCount, h.LogicalCoreCount, h.DotNetCliVersion, h.RuntimeVersion, h.Architecture);

    /// <summary>BDN's summary header lines: tool and OS, processor and cores, SDK, runtime.</summary>
    public IEnumerable<string> HeaderLines()
    {
        yield return $"{Caption} v{Version}" + (Os is null ? "" : $", {Os}");
        if (Processor is not null)
        {
            var cores = new List<string>();
            if (PhysicalProcessors is { } p) cores.Add($"{p} CPU");
            if (LogicalCores is { } l) cores.Add(PhysicalCores is { } c ? $"{l} logical and {c} physical cores" : $"{l} logical cores");
            yield return string.Join(", ", cores.Prepend(Processor));
        }
        if (DotNetCli is not null)
            yield return $".NET SDK {DotNetCli}";
        if (Runtime is not null)
            yield return $"  [Host] : {Runtime}" + (Architecture is null ? "" : $", {Architecture}");
    }
}
