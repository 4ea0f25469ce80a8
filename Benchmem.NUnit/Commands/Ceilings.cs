using Benchmem.Core.Memory;
using Benchmem.Core.Units;

namespace Benchmem.NUnit.Commands;

/// <summary>[BenchMem] ceilings, judged on the worst pass: "peak 117 MiB exceeds MaxPeak 100MiB".</summary>
internal static class Ceilings
{
    public static List<string> Check(MemoryResult memory, IEnumerable<(string Metric, long Limit, string Text, Func<MemoryPass, long?> Value)> ceilings)
    {
        var failures = new List<string>();
        foreach (var (metric, limit, text, value) in ceilings)
        {
            var property = "Max" + char.ToUpperInvariant(metric[0]) + metric[1..];
            if (memory.Passes.Any(p => value(p) is null))
            {
                failures.Add($"{property} needs exact allocation counts, which this run does not have (they come from the memory host's profiler); "
                    + "use MaxAllocated for a ceiling in bytes instead.");
                continue;
            }
            long worst = memory.Passes.Max(p => value(p)!.Value);
            if (worst > limit)
            {
                var shown = metric == "allocations" ? CountFormat.Format(worst) : ByteSize.Format(worst);
                failures.Add($"{metric} {shown} exceeds {property} {text}" + (memory.Passes.Count > 1 ? $" (worst of {memory.Passes.Count} passes)" : ""));
            }
        }
        return failures;
    }
}
