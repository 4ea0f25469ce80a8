using System.Reflection;
using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Profiles;

/// <summary>
/// Takes one extra memory pass of a benchmark with every allocation's type and stack recorded (the memory host's
/// profiler in stack mode), keeps it as a speedscope file, and keeps the runtime's own trace of the same pass beside it.
/// </summary>
public static class AllocationProfiler
{
    /// <summary>The profile file written, and the trace file when the runtime's trace could be kept (else why not).</summary>
    public sealed record Saved(string ProfilePath, string? TracePath, string? TraceProblem, AllocationProfile Profile);

    public static Saved Record(BenchmarkInvoker invoker, MemoryOptions options, Action? setup, MethodBase? root, string fullName, string folder)
    {
        if (!StackProfiler.IsActive)
            throw new InvalidOperationException($"Allocation profiles need the profiler's stack mode: {StackProfiler.InactiveReason}.");
        Directory.CreateDirectory(folder);
        setup?.Invoke();
        var tracePath = ProfileFolder.TracePath(folder, fullName);
        string? traceProblem;
        MemoryPass pass;
        using (var trace = RuntimeTrace.TryStart(tracePath, out traceProblem))
        {
            pass = MemoryMeter.Pass(invoker, options, counter: true, window: (StackProfiler.Begin, StackProfiler.Stop));
            traceProblem ??= trace?.Stop();
        }
        invoker.ClearResult();
        var (frames, samples, unattributed) = StackProfiler.Collect(root, otherThreads: pass.MultiThreaded);
        bool traced = traceProblem is null && File.Exists(tracePath);
        var profile = new AllocationProfile(new ProfileInfo
        {
            FullName = fullName,
            Method = ProfileMethods.Exact,
            PeakBytes = pass.PeakBytes,
            AllocatedBytes = pass.AllocatedBytes,
            Allocations = pass.Allocations,
            Unattributed = unattributed,
            Trace = traced ? Path.GetFileName(tracePath) : null,
            Created = DateTimeOffset.Now,
        }, frames, samples);
        var path = ProfileFolder.ProfilePath(folder, fullName);
        SpeedscopeFile.Write(profile, path);
        return new Saved(path, traced ? tracePath : null, traceProblem, profile);
    }
}
