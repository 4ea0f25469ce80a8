using System.Reflection;
using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Profiles;

/// <summary>
/// Takes one extra memory pass of a benchmark and keeps it as an allocation profile (a speedscope file) with the
/// runtime's own trace of the same pass beside it: exact where the memory host's profiler runs in stack mode (every
/// allocation's type and stack), sampled elsewhere (the trace's allocation events are the samples).
/// </summary>
public static class AllocationProfiler
{
    /// <summary>The profile file written, and the trace file when the runtime's trace could be kept (else why not).</summary>
    public sealed record Saved(string ProfilePath, string? TracePath, string? TraceProblem, AllocationProfile Profile);

    public static Saved Record(BenchmarkInvoker invoker, MemoryOptions options, Action? setup, MethodBase? root, string fullName, string folder)
    {
        if (!StackProfiler.IsActive)
            throw new InvalidOperationException($"Allocation profiles need the profiler's stack mode: {StackProfiler.InactiveReason}.");
        var (pass, tracePath, traceProblem) = TracedPass(invoker, options, setup, fullName, folder, counter: true, (StackProfiler.Begin, StackProfiler.Stop),
            afterPass: StackProfiler.EndTracking);
        var (frames, samples, unattributed, native, tracking) = StackProfiler.Collect(root, otherThreads: pass.MultiThreaded);
        var info = Info(fullName, ProfileMethods.Exact, pass, tracePath) with { Unattributed = unattributed };
        if (tracking is not null)
        {
            info = info with
            {
                Tracked = tracking.PeakSeen && tracking.EndSeen,
                Untracked = tracking.Untracked,
                WalksMissed = tracking.WalksMissed,
                Timeline = tracking.Timeline,
            };
        }
        var profile = new AllocationProfile(info, frames, samples) { NativeSamples = native };
        var path = ProfileFolder.ProfilePath(folder, fullName);
        SpeedscopeFile.Write(profile, path);
        return new Saved(path, tracePath, traceProblem, profile);
    }

    /// <summary>
    /// Where the profiler cannot run (in process, or no profiler for the platform): the pass with only the runtime trace,
    /// whose allocation events (one per ~100 KB, with stacks) are the profile. The speedscope file is written without
    /// samples and marked so; <c>benchmem profile</c> reads them from the trace (it carries the trace reader, which a
    /// test project should not) and fills the file in. Returns the file, or null and why no profile could be taken.
    /// </summary>
    public static (string? Path, string? Problem) RecordSampled(BenchmarkInvoker invoker, MemoryOptions options, Action? setup, string fullName, string folder)
    {
        var (pass, tracePath, problem) = TracedPass(invoker, options, setup, fullName, folder, counter: false, window: null);
        if (tracePath is null)
            return (null, problem);
        var path = ProfileFolder.ProfilePath(folder, fullName);
        SpeedscopeFile.Write(new AllocationProfile(Info(fullName, ProfileMethods.Sampled, pass, tracePath) with { SamplesInTrace = true }, [], []), path);
        return (path, null);
    }

    /// <summary>One memory pass inside a runtime trace session: the pass, the trace file (null when it could not be kept) and why not.</summary>
    private static (MemoryPass Pass, string? TracePath, string? Problem) TracedPass(BenchmarkInvoker invoker, MemoryOptions options, Action? setup,
        string fullName, string folder, bool counter, (Action Open, Action Close)? window, Action? afterPass = null)
    {
        Directory.CreateDirectory(folder);
        setup?.Invoke();
        var tracePath = ProfileFolder.TracePath(folder, fullName);
        string? problem;
        MemoryPass pass;
        using (var trace = RuntimeTrace.TryStart(tracePath, out problem))
        {
            if (trace is not null)
                WaitForOtherThreadsQuiet();
            pass = MemoryMeter.Pass(invoker, options, counter, window);
            afterPass?.Invoke(); // the pass dropped the result and collected: right now, what it leaked
            problem ??= trace?.Stop();
        }
        invoker.ClearResult();
        if (problem is null && !File.Exists(tracePath))
            problem = "the runtime trace was not written";
        return (pass, problem is null ? tracePath : null, problem);
    }

    /// <summary>
    /// Starting a trace session enables the runtime's event sources on the diagnostics server's thread, which goes on
    /// allocating (strings, buffers) for a while after the start returns; on a loaded machine that landed inside the
    /// profiled pass (56 strings and 75 native blocks counted as the benchmark's). Waits until other threads have
    /// allocated nothing for 20 ms, at most a second.
    /// </summary>
    private static void WaitForOtherThreadsQuiet()
    {
        static long Others() => GC.GetTotalAllocatedBytes(precise: true) - GC.GetAllocatedBytesForCurrentThread();
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency;
        long last = Others();
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            Thread.Sleep(20);
            long now = Others();
            if (now == last)
                return;
            last = now;
        }
    }

    private static ProfileInfo Info(string fullName, string method, MemoryPass pass, string? tracePath) => new()
    {
        FullName = fullName,
        Method = method,
        PeakBytes = pass.PeakBytes,
        AllocatedBytes = pass.AllocatedBytes,
        Allocations = pass.Allocations,
        NativeAllocatedBytes = pass.NativeAllocatedBytes,
        NativeAllocations = pass.NativeAllocations,
        RetainedBytes = pass.RetainedBytes,
        PeakBoundBytes = pass.PeakBoundBytes ?? 0,
        Trace = tracePath is null ? null : Path.GetFileName(tracePath),
        Created = DateTimeOffset.Now,
    };
}
