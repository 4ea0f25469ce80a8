namespace Benchmem.Core.Profiles;

/// <summary>How a profile's numbers were taken.</summary>
public static class ProfileMethods
{
    /// <summary>Every allocation of the pass, with its stack, from the memory host's profiler.</summary>
    public const string Exact = "exact";

    /// <summary>The runtime's allocation events (one per ~100 KB, with the stack of the allocation that crossed it): estimates.</summary>
    public const string Sampled = "sampled";
}

/// <summary>One distinct call path: frame indexes root first, the allocated type's frame last.</summary>
public sealed record ProfileSample(int[] Stack, long Objects, long Bytes)
{
    /// <summary>What of this path's objects was live when (object tracking: exact profiles); null when not tracked.</summary>
    public ProfileLive? Live { get; init; }
}

/// <summary>
/// A path's objects live at three moments of the pass: at the true peak (the peak's own full GC), at the end of the calls
/// (the window's last full GC, the result still held) and after the pass (the result dropped: leaks). What was not live at
/// the end of the calls was temporary: allocated and dead within the pass.
/// </summary>
public sealed record ProfileLive(long PeakObjects, long PeakBytes, long EndObjects, long EndBytes, long LeakObjects, long LeakBytes);

/// <summary>One GC of the profiled pass: bytes allocated so far against the pass's objects live after it.</summary>
/// <param name="LiveBytes">The pass's tracked objects still on the heap after the GC: exact after a full GC; after a partial
/// one an upper bound (older garbage no GC collected yet is still there).</param>
/// <param name="InWindow">Inside the peak window (false: the GCs after it that drop the result).</param>
public sealed record TimelinePoint(long AllocatedBytes, long LiveBytes, bool Full, bool InWindow);

/// <summary>What a profile is of, and the pass it was taken in.</summary>
public sealed record ProfileInfo
{
    /// <summary>The benchmark's FullName (the same id as in the results JSON).</summary>
    public required string FullName { get; init; }

    /// <summary><see cref="ProfileMethods.Exact"/> or <see cref="ProfileMethods.Sampled"/>.</summary>
    public required string Method { get; init; }

    /// <summary>The profiled pass, measured as a memory pass (peak, allocated, objects).</summary>
    public long PeakBytes { get; init; }
    public long AllocatedBytes { get; init; }
    public long? Allocations { get; init; }

    /// <summary>The profiled pass's native bytes and blocks (the interposer's); null where it was not loaded.</summary>
    public long? NativeAllocatedBytes { get; init; }
    public long? NativeAllocations { get; init; }

    /// <summary>File name of the runtime trace kept beside the profile (PerfView, dotnet-trace, Visual Studio), if any.</summary>
    public string? Trace { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>Sampled, and the samples are still in <see cref="Trace"/>: <c>benchmem profile</c> reads them and rewrites the file.</summary>
    public bool SamplesInTrace { get; init; }

    /// <summary>Allocations the profiler could not attribute (a failed stack walk): counted in the pass, not in the profile.</summary>
    public long Unattributed { get; init; }

    /// <summary>Objects were followed through the pass's GCs (<see cref="ProfileSample.Live"/> and <see cref="Timeline"/> are filled).</summary>
    public bool Tracked { get; init; }

    /// <summary>The pass's retained bytes (live after it, the result dropped) and its peak's bound (the peak is within [peak, peak + bound]).</summary>
    public long RetainedBytes { get; init; }
    public long PeakBoundBytes { get; init; }

    /// <summary>Objects allocated but not followed (out of memory) and GCs without a heap walk: both 0 in a sound profile.</summary>
    public long Untracked { get; init; }
    public long WalksMissed { get; init; }

    /// <summary>One point per GC from the pass's start until the result was dropped (empty when not <see cref="Tracked"/>).</summary>
    public IReadOnlyList<TimelinePoint> Timeline { get; init; } = [];
}

/// <summary>
/// Bytes and object counts of one pass by call path. <see cref="Frames"/> are names: methods
/// ("Namespace.Type.Method") and allocated types ("new System.Byte[]", always a stack's last frame).
/// </summary>
public sealed record AllocationProfile(ProfileInfo Info, IReadOnlyList<string> Frames, IReadOnlyList<ProfileSample> Samples)
{
    public const string TypePrefix = "new ";

    /// <summary>The last frame of a native stack: the native code that asked for the block ("native SystemNative_Malloc
    /// (libSystem.Native.so)").</summary>
    public const string NativePrefix = "native ";

    /// <summary>Native blocks by call path (the managed frames that led to the P/Invoke, then the native code that asked),
    /// over the same <see cref="Frames"/>: the interposer's, where it was loaded; empty elsewhere.</summary>
    public IReadOnlyList<ProfileSample> NativeSamples { get; init; } = [];

    public long TotalBytes => Samples.Sum(s => s.Bytes);
    public long TotalObjects => Samples.Sum(s => s.Objects);

    public static bool IsType(string frame) => frame.StartsWith(TypePrefix, StringComparison.Ordinal);

    public static bool IsNative(string frame) => frame.StartsWith(NativePrefix, StringComparison.Ordinal);

    /// <summary>The native blocks as a profile of their own (the same frames), for the summaries' tables.</summary>
    public AllocationProfile NativeView() => new(Info, Frames, NativeSamples);
}
