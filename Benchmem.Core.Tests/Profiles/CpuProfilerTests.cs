using System.Runtime.CompilerServices;
using System.Text.Json;
using Benchmem.Core.Invocation;
using Benchmem.Core.Profiles;

namespace Benchmem.Core.Tests.Profiles;

/// <summary>
/// The CPU sample profile a failed time rule keeps: a benchmark slowed by one method, profiled in this process by
/// EventPipe's sample profiler, has that method on top, and the file is a speedscope profile of the same samples.
/// </summary>
public class CpuProfilerTests
{
    private static readonly long _sink = Environment.ProcessId & 1; // not a constant: the loops are not folded

    /// <summary>A benchmark whose time is nearly all in <see cref="Slow"/> (a spin ~20× the rest's work).</summary>
    public static long Slowed() => Fast() + Slow();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Fast()
    {
        long x = 0, seed = _sink; // a local: no statics helper inside the loop
        for (int i = 0; i < 1_000; i++)
            x += i ^ seed;
        return x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Slow()
    {
        long x = 0, seed = _sink;
        for (int i = 0; i < 20_000; i++)
            x += (i * 31) ^ seed;
        return x;
    }

    [Test]
    public void ASlowedBenchmarkHasTheSlowMethodOnTop()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"benchmem-cpu-test-{Guid.NewGuid():N}");
        try
        {
            var invoker = BenchmarkInvoker.ForMethod(null, typeof(CpuProfilerTests).GetMethod(nameof(Slowed))!, []);
            var path = CpuProfiler.PathFor(folder, "Suite.Slowed");
            var (profile, problem) = CpuProfiler.Record(invoker, TimeSpan.FromSeconds(0.5), path, "Suite.Slowed");
            Assert.That(problem, Is.Null);
            var (method, share) = profile!.Top();
            Assert.That(method, Is.EqualTo("Benchmem.Core.Tests.Profiles.CpuProfilerTests.Slow"), string.Join(", ", profile.Frames));
            Assert.That(share, Is.GreaterThan(0.8), "about 20 of every 21 loop steps are Slow's");
            Assert.That(profile.TotalSamples, Is.InRange(20, 2_000), "~1 sample per ms over 0.5 s of the thread running (fewer on a loaded machine: the thread is not always on a core)");
            Assert.That(profile.Stacks.Select(s => profile.Frames[s.Stack[0]]), Is.All.EqualTo("Benchmem.Core.Tests.Profiles.CpuProfilerTests.Slowed"), "stacks start at the benchmark");
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var sampled = doc.RootElement.GetProperty("profiles")[0];
            Assert.That(sampled.GetProperty("type").GetString(), Is.EqualTo("sampled"));
            Assert.That(sampled.GetProperty("weights").EnumerateArray().Sum(w => w.GetInt64()), Is.EqualTo(profile.TotalSamples));
            Assert.That(Path.GetFileName(path), Does.Not.EndWith(SpeedscopeFile.Extension), "not taken for an allocation profile by the folder's readers");
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
