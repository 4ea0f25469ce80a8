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
        var etlx = Path.Combine(Path.GetTempPath(), $"benchmem-{Environment.ProcessId}-{Guid.NewGuid():N}.etlx");
        try
        {
            TraceLog.CreateFromEventPipeDataFile(tracePath, etlx);
            using var log = new TraceLog(etlx);
            var frames = new List<string>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var merged = new Dictionary<string, (int[] Stack, long Objects, long Bytes)>(StringComparer.Ordinal);
            foreach (var e in log.Events)
            {
                if (e is not GCAllocationTickTraceData tick)
                    continue;
                var leafFirst = new List<string>();
                for (var s = tick.CallStack(); s is not null; s = s.Caller)
                    leafFirst.Add(Name(s.CodeAddress.FullMethodName, s.CodeAddress.ModuleName));
                int cut = leafFirst.IndexOf(Meter);
                if (cut < 0)
                    continue; // not the benchmark's thread: the finalizer, the runtime's own work
                var path = leafFirst.Take(cut).Reverse().SkipWhile(n => n.StartsWith("dynamicClass.", StringComparison.Ordinal))
                    .Append(AllocationProfile.TypePrefix + tick.TypeName)
                    .Select(n => index.TryGetValue(n, out int i) ? i : index[n] = Add(frames, n)).ToArray();
                var key = string.Join(',', path);
                merged[key] = merged.TryGetValue(key, out var m) ? (m.Stack, m.Objects + 1, m.Bytes + tick.AllocationAmount64) : (path, 1, tick.AllocationAmount64);
            }
            return new AllocationProfile(info with { SamplesInTrace = false }, frames,
                merged.Values.Select(v => new ProfileSample(v.Stack, v.Objects, v.Bytes)).ToList());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UsageException($"{tracePath} cannot be read as a runtime trace ({e.Message}); take the profile again.");
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    private static int Add(List<string> frames, string name)
    {
        frames.Add(name);
        return frames.Count - 1;
    }

    /// <summary>"Ns.Type.Method(sig)" without the signature; a frame without a method name (native code) by its module.</summary>
    private static string Name(string method, string module)
    {
        if (string.IsNullOrEmpty(method))
            return $"({(string.IsNullOrEmpty(module) ? "native" : module)})";
        int paren = method.IndexOf('(');
        return paren > 0 ? method[..paren] : method;
    }
}
