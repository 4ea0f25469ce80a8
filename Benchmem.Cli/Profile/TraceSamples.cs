using Benchmem.Core.Profiles;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Benchmem.Cli.Profile;

/// <summary>
/// A sampled profile read from a pass's runtime trace (taken where the profiler could not run): every GC allocation
/// tick is a sample weighing the bytes allocated since the previous one, charged to the stack and type of the
/// allocation that crossed the ~100 KB step — PerfView's "GC Heap Alloc" view. Stacks start above Benchmem's meter.
/// </summary>
public static class TraceSamples
{
    private const string Meter = "Benchmem.Core.Memory.MemoryMeter.Pass";

    public static AllocationProfile Read(string tracePath, ProfileInfo info)
    {
        try
        {
            return TraceStacks.Read(tracePath, log =>
            {
                var frames = new TraceStacks.FrameTable();
                var merged = new Dictionary<string, (int[] Stack, long Objects, long Bytes)>(StringComparer.Ordinal);
                foreach (var e in log.Events)
                {
                    if (e is not GCAllocationTickTraceData tick)
                        continue;
                    var leafFirst = TraceStacks.LeafFirst(tick.CallStack());
                    int cut = leafFirst.IndexOf(Meter);
                    if (cut < 0)
                        continue; // not the benchmark's thread: the finalizer, the runtime's own work
                    var path = leafFirst.Take(cut).Reverse().SkipWhile(n => n.StartsWith("dynamicClass.", StringComparison.Ordinal))
                        .Append(AllocationProfile.TypePrefix + tick.TypeName)
                        .Select(frames.IndexOf).ToArray();
                    var key = string.Join(',', path);
                    merged[key] = merged.TryGetValue(key, out var m) ? (m.Stack, m.Objects + 1, m.Bytes + tick.AllocationAmount64) : (path, 1, tick.AllocationAmount64);
                }
                return new AllocationProfile(info with { SamplesInTrace = false }, frames.Frames,
                    merged.Values.Select(v => new ProfileSample(v.Stack, v.Objects, v.Bytes)).ToList());
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UsageException($"{tracePath} cannot be read as a runtime trace ({e.Message}); take the profile again.");
        }
    }
}
