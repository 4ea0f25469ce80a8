using System.Runtime.CompilerServices;
using Microsoft.Diagnostics.Tracing.Etlx;
using System.Text.Json;
using Benchmem.Core.Invocation;
using Benchmem.Core.Results;

namespace Benchmem.Core.Profiles;

/// <summary>
/// A CPU sample profile of a benchmark, for a failed <c>time</c> rule: the benchmark's calls repeated for a while in this
/// (the timing) process under EventPipe's sample profiler, the samples on the calling thread read back with TraceEvent
/// and kept as a speedscope file (one sampled profile, weights in samples, stacks root first starting at the benchmark).
/// </summary>
public static class CpuProfiler
{
    /// <summary>The CPU profile's file beside the allocation profile: not <c>*.speedscope.json</c>, which names allocation profiles.</summary>
    public const string Extension = ".cpu-speedscope.json";

    public static string PathFor(string folder, string fullName) => Path.Combine(folder, ProfileFolder.Stem(fullName) + Extension);

    /// <summary>The samples by stack (frame names root first), and how many in all.</summary>
    public sealed record CpuProfile(IReadOnlyList<string> Frames, IReadOnlyList<(int[] Stack, long Samples)> Stacks)
    {
        public long TotalSamples => Stacks.Sum(s => s.Samples);

        /// <summary>The method most samples were in (the innermost frame), and its share.</summary>
        public (string Method, double Share) Top() => Stacks.GroupBy(s => Frames[s.Stack[^1]])
            .Select(g => (g.Key, g.Sum(s => s.Samples) / (double)Math.Max(1, TotalSamples))).MaxBy(t => t.Item2);
    }

    /// <summary>Runs the calls for about <paramref name="duration"/> under the sample profiler and writes the profile; the profile, or null and why not.</summary>
    public static (CpuProfile? Profile, string? Problem) Record(BenchmarkInvoker invoker, TimeSpan duration, string path, string fullName)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var trace = Path.Combine(Path.GetTempPath(), $"benchmem-cpu-{Environment.ProcessId}-{Guid.NewGuid():N}.nettrace");
        try
        {
            string? problem;
            using (var session = RuntimeTrace.TryStartCpu(trace, out problem))
            {
                if (session is null)
                    return (null, problem);
                Loop(invoker, duration);
                problem = session.Stop();
            }
            invoker.ClearResult();
            if (problem is not null)
                return (null, problem);
            var profile = Read(trace);
            if (profile.TotalSamples == 0)
                return (null, "the sample profiler took no sample of the benchmark's thread");
            Write(profile, path, fullName);
            return (profile, null);
        }
        finally
        {
            File.Delete(trace);
        }
    }

    /// <summary>The calls, in batches until the time is up: the frame every kept sample passes through.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Loop(BenchmarkInvoker invoker, TimeSpan duration)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        long calls = 1;
        while (System.Diagnostics.Stopwatch.GetElapsedTime(start) < duration)
        {
            invoker.Loop(calls);
            calls = Math.Min(calls * 2, 1 << 20);
        }
    }

    private const string LoopFrame = "Benchmem.Core.Profiles.CpuProfiler.Loop";

    private static CpuProfile Read(string trace) => TraceStacks.Read(trace, log =>
    {
        var frames = new TraceStacks.FrameTable();
        var merged = new Dictionary<string, (int[] Stack, long Samples)>(StringComparer.Ordinal);
        foreach (var e in log.Events)
        {
            if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || e.CallStack() is not { } stack)
                continue;
            var leafFirst = TraceStacks.LeafFirst(stack);
            int cut = leafFirst.IndexOf(LoopFrame);
            if (cut < 0)
                continue; // another thread: the runtime's, the test framework's
            // Root first from the benchmark: the runner's compiled loop (a dynamic method) above Loop says nothing.
            var above = leafFirst.Take(cut).Reverse().ToList();
            int runner = above.TakeWhile(n => n.StartsWith("dynamicClass.", StringComparison.Ordinal) || n.StartsWith("Benchmem.Core.Invocation.", StringComparison.Ordinal)).Count();
            if (runner == 0 || runner == above.Count)
                continue; // in Loop's own clock reads, or in the runner between calls: not the benchmark
            var path = above.Skip(runner).Select(frames.IndexOf).ToArray();
            var key = string.Join(',', path);
            merged[key] = merged.TryGetValue(key, out var m) ? (m.Stack, m.Samples + 1) : (path, 1);
        }
        return new CpuProfile(frames.Frames, merged.Values.ToList());
    });

    private static void Write(CpuProfile profile, string path, string fullName) => AtomicFile.Write(path, stream =>
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteString("$schema", SpeedscopeFile.Schema);
        w.WriteString("name", fullName + " - CPU samples");
        w.WriteNumber("activeProfileIndex", 0);
        SpeedscopeFile.WriteFrames(w, profile.Frames);
        w.WriteStartArray("profiles");
        w.WriteStartObject();
        w.WriteString("type", "sampled");
        w.WriteString("name", fullName + " - CPU samples (EventPipe sample profiler, ~1 ms)");
        w.WriteString("unit", "none");
        w.WriteNumber("startValue", 0);
        w.WriteNumber("endValue", profile.TotalSamples);
        w.WriteStartArray("samples");
        foreach (var (stack, _) in profile.Stacks)
        {
            w.WriteStartArray();
            foreach (var frame in stack)
                w.WriteNumberValue(frame);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("weights");
        foreach (var (_, samples) in profile.Stacks)
            w.WriteNumberValue(samples);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
