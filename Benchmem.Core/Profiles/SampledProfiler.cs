using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Profiles;

/// <summary>
/// Where the profiler cannot run (in process, or no profiler for the platform): the same extra pass with only the
/// runtime trace, whose allocation events (one per ~100 KB, with stacks) are the profile. The speedscope file is
/// written without samples and marked sampled; <c>benchmem profile</c> reads the samples from the trace (it carries
/// the trace reader, which a test project should not) and fills the file in.
/// </summary>
public static class SampledProfiler
{
    /// <summary>The profile file written (samples pending), or null with the reason when the runtime trace could not be taken.</summary>
    public static (string? Path, string? Problem) Record(BenchmarkInvoker invoker, MemoryOptions options, Action? setup, string fullName, string folder)
    {
        Directory.CreateDirectory(folder);
        setup?.Invoke();
        var tracePath = ProfileFolder.TracePath(folder, fullName);
        string? problem;
        MemoryPass pass;
        using (var trace = RuntimeTrace.TryStart(tracePath, out problem))
        {
            if (trace is null)
                return (null, problem);
            pass = MemoryMeter.Pass(invoker, options, counter: false);
            problem = trace.Stop();
        }
        invoker.ClearResult();
        if (problem is not null || !File.Exists(tracePath))
            return (null, problem ?? "the runtime trace was not written");
        var profile = new AllocationProfile(new ProfileInfo
        {
            FullName = fullName,
            Method = ProfileMethods.Sampled,
            PeakBytes = pass.PeakBytes,
            AllocatedBytes = pass.AllocatedBytes,
            Trace = Path.GetFileName(tracePath),
            SamplesInTrace = true,
            Created = DateTimeOffset.Now,
        }, [], []);
        var path = ProfileFolder.ProfilePath(folder, fullName);
        SpeedscopeFile.Write(profile, path);
        return (path, null);
    }
}
