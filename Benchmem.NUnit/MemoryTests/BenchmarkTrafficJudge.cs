using System.Reflection;
using Benchmem.Core.Memory;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// [AssertTraffic] and [ZeroAlloc] on a [Benchmark]: judged on every memory pass, from the allocations by type the memory
/// host counted in it (<see cref="PassTraffic"/>). A failure names the query, the pass, the value, the limit and the top
/// types behind it.
/// </summary>
internal static class BenchmarkTrafficJudge
{
    /// <summary>Whether these attributes turn memory passes on for a benchmark (as [BenchMem] does).</summary>
    public static bool WantsMemory(MethodInfo method) =>
        method.IsDefined(typeof(AssertTrafficAttribute), false) || method.IsDefined(typeof(Benchmem.NUnit.ZeroAllocAttribute), false);

    public static IEnumerable<string> Judge(MethodInfo method, MemoryResult? memory, PassTraffic? traffic)
    {
        var limits = method.GetCustomAttributes<AssertTrafficAttribute>(false).ToList();
        bool zero = method.IsDefined(typeof(Benchmem.NUnit.ZeroAllocAttribute), false);
        if (limits.Count == 0 && !zero)
            yield break;
        if (limits.Select(l => l.Problem()).FirstOrDefault(p => p is not null) is { } problem)
        {
            yield return problem;
            yield break;
        }
        if (memory is null)
            yield break; // memory passes were off (Benchmem.Disable): nothing to judge
        if (zero)
            foreach (var line in ZeroAlloc(memory, traffic))
                yield return line;
        if (limits.Count == 0)
            yield break;
        if (traffic is null || traffic.Passes.Count != memory.Passes.Count)
        {
            yield return "[AssertTraffic] on a [Benchmark] needs the allocations by type that only the memory host's profiler counts, and this "
                + "benchmark's memory passes ran in process: run with Benchmem.Host=auto (the default) on a platform the package ships the "
                + "profiler for (linux-x64; linux-arm64 and win-x64 when packed with the cross compilers), or use [BenchMem(MaxAllocated = ...)] "
                + "for a ceiling in bytes of every type.";
            yield break;
        }
        foreach (var limit in limits)
        {
            var failing = Enumerable.Range(0, traffic.Passes.Count)
                .Select(i => limit.Judge(traffic.Traffic(i), $"pass {i + 1} of {traffic.Passes.Count}", traffic.Calls).ToList())
                .Where(lines => lines.Count > 0).ToList();
            if (failing.Count > 0)
                foreach (var line in failing[0])
                    yield return failing.Count > 1 ? $"{line} ({failing.Count} of {traffic.Passes.Count} passes over)" : line;
        }
    }

    private static IEnumerable<string> ZeroAlloc(MemoryResult memory, PassTraffic? traffic)
    {
        for (int i = 0; i < memory.Passes.Count; i++)
        {
            var pass = memory.Passes[i];
            bool allocated = pass.Allocations is { } objects ? objects > 0 : pass.AllocatedBytes > 0;
            if (!allocated)
                continue;
            var what = pass.Allocations is { } n ? $"{n:N0} object(s), {pass.AllocatedBytes:N0} B" : $"{pass.AllocatedBytes:N0} B";
            var top = traffic is not null && i < traffic.Passes.Count
                ? "; top types: " + string.Join(", ", traffic.Passes[i].Take(3).Select(r => $"{r.Name} {r.Objects:N0} ({r.Bytes:N0} B)"))
                : "";
            yield return $"[ZeroAlloc]: pass {i + 1} of {memory.Passes.Count} allocated {what}{top}";
            yield break;
        }
    }
}
