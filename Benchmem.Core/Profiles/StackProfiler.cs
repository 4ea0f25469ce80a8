using System.Reflection;
using System.Runtime.InteropServices;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Profiles;

/// <summary>
/// The native profiler's stack mode (started with <c>AllocationCounter.EnvironmentFor(path, stacks: true)</c>): while a
/// window is open every allocation's type and managed stack is tallied natively; <see cref="Collect"/> copies the table
/// out and names it here, in the same process, where the runtime's ClassIDs and FunctionIDs are type and method handles.
/// </summary>
public static class StackProfiler
{
    private static readonly Lazy<Functions?> Native = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when this process can take exact allocation profiles.</summary>
    public static bool IsActive => Native.Value is not null;

    /// <summary>Why <see cref="IsActive"/> is false.</summary>
    public static string InactiveReason =>
        !AllocationCounter.IsActive ? AllocationCounter.InactiveReason ?? "the allocation profiler is not loaded"
        : $"the profiler was not started with {Settings.SettingsResolver.ProfilerStacksVariable}=1, or the runtime refused stack snapshots";

    /// <summary>Opens the window on an empty table, and starts following its objects (where the profiler can). Allocates nothing managed.</summary>
    public static void Begin()
    {
        var native = Native.Value ?? throw new InvalidOperationException(InactiveReason);
        native.Objects?.Begin();
        native.Begin();
    }

    private static ObjectsEnd _objects;

    /// <summary>
    /// Stops following the window's objects: call it after the pass dropped the result and collected (what is still
    /// followed then is what the pass leaked). Before <see cref="Collect"/>. Allocates nothing managed.
    /// </summary>
    public static void EndTracking()
    {
        _objects = default;
        if (Native.Value?.Objects is { } objects)
            objects.End(out _objects);
    }

    private static ulong _entries, _frameCount, _failed;

    /// <summary>Closes the window. Allocates nothing managed; <see cref="Collect"/> then reads what it saw.</summary>
    public static void Stop() => (Native.Value ?? throw new InvalidOperationException(InactiveReason)).End(out _entries, out _frameCount, out _failed);

    /// <summary>
    /// The closed window's call paths, named, each starting at <paramref name="root"/> (the benchmark method: the
    /// runner's frames below it say nothing). Allocations of other threads (stacks that do not pass through the meter)
    /// count only with <paramref name="otherThreads"/>: as in the pass's own numbers, a single-threaded call is
    /// not charged for a thread-pool thread waking up meanwhile.
    /// </summary>
    /// <remarks>Native blocks (the interposer's, where it is loaded: their key is the asking code's address with the low
    /// bit set) come back apart, in <c>Native</c>: the managed frames that led to the P/Invoke, then the native code
    /// that asked (<see cref="AllocationProfile.NativePrefix"/>).</remarks>
    public static (List<string> Frames, List<ProfileSample> Samples, long Unattributed, List<ProfileSample> Native, ObjectTracking? Tracking) Collect(MethodBase? root, bool otherThreads)
    {
        var native = Native.Value ?? throw new InvalidOperationException(InactiveReason);
        ulong entries = _entries, frameCount = _frameCount, failed = _failed;
        var classIds = new ulong[entries];
        var counts = new ulong[entries];
        var bytes = new ulong[entries];
        var depths = new uint[entries];
        var frames = new ulong[frameCount];
        native.Copy(classIds, counts, bytes, depths, frames);
        var (live, tracking) = CopyTracking(native, entries);

        var names = new Namer();
        // The pass's frames below the benchmark (NUnit, the runner, the meter) say nothing: each stack starts at the
        // benchmark, named even when the JIT left no frame of it (a tail call to what it wraps).
        var meters = MeterPasses.Select(m => (ulong)m.MethodHandle.Value).ToArray();
        string? rootName = root is null ? null : TypeNames.Method(root);
        var frameNames = new List<string>();
        var frameIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int Index(string name)
        {
            if (!frameIndex.TryGetValue(name, out int i))
            {
                frameIndex[name] = i = frameNames.Count;
                frameNames.Add(name);
            }
            return i;
        }
        // Distinct native entries can name the same path (e.g. two instantiations sharing code): merge them.
        var merged = new Dictionary<string, (int[] Stack, long Objects, long Bytes, ProfileLive? Live)>(StringComparer.Ordinal);
        var mergedNative = new Dictionary<string, (int[] Stack, long Objects, long Bytes, ProfileLive? Live)>(StringComparer.Ordinal);
        NativeSymbols? symbols = classIds.Any(c => (c & 1) != 0) ? NativeSymbols.TryCreate() : null;
        var path = new List<int>();
        int at = 0;
        for (int e = 0; e < (int)entries; e++)
        {
            int depth = (int)depths[e];
            var leafFirst = frames.AsSpan(at, depth);
            at += depth;
            int cut = leafFirst.IndexOfAny(meters);
            if (cut < 0 && !otherThreads)
                continue;
            path.Clear();
            if (cut >= 0 && rootName is not null)
                path.Add(Index(rootName));
            // Root first; right above the meter sits the runner's compiled loop (a dynamic method without a name).
            bool aboveMeter = cut >= 0;
            for (int i = (cut >= 0 ? cut : depth) - 1; i >= 0; i--)
            {
                var name = names.Method(leafFirst[i]);
                if (aboveMeter && (name is null || name == rootName))
                    continue;
                aboveMeter = false;
                path.Add(Index(name ?? $"(method 0x{leafFirst[i]:x})"));
            }
            bool isNative = (classIds[e] & 1) != 0;
            path.Add(Index(isNative ? AllocationProfile.NativePrefix + NativeSymbols.Describe(symbols, classIds[e] & ~1UL)
                : AllocationProfile.TypePrefix + names.Type(classIds[e])));
            var key = string.Join(',', path);
            // Native blocks are not objects: the tracking's live views are the managed entries' only.
            var entryLive = isNative ? null : live?[e];
            var into = isNative ? mergedNative : merged;
            into[key] = into.TryGetValue(key, out var m)
                ? (m.Stack, m.Objects + (long)counts[e], m.Bytes + (long)bytes[e], Add(m.Live, entryLive))
                : ([.. path], (long)counts[e], (long)bytes[e], entryLive);
        }
        static List<ProfileSample> Samples(Dictionary<string, (int[] Stack, long Objects, long Bytes, ProfileLive? Live)> d) =>
            d.Values.Select(v => new ProfileSample(v.Stack, v.Objects, v.Bytes) { Live = v.Live }).ToList();
        return (frameNames, Samples(merged), (long)failed, Samples(mergedNative), tracking);
    }

    private static ProfileLive? Add(ProfileLive? a, ProfileLive? b) => a is null || b is null ? a ?? b : new ProfileLive(
        a.PeakObjects + b.PeakObjects, a.PeakBytes + b.PeakBytes, a.EndObjects + b.EndObjects, a.EndBytes + b.EndBytes,
        a.LeakObjects + b.LeakObjects, a.LeakBytes + b.LeakBytes);

    /// <summary>What the object tracking saw, by native entry (entries it never saw live: zeros), and its timeline.</summary>
    private static (ProfileLive[]? Live, ObjectTracking? Tracking) CopyTracking(Functions native, ulong entries)
    {
        var end = _objects;
        if (native.Objects is not { } objects || end.Timeline == 0 && end.Entries == 0)
            return (null, null);
        ulong n = Math.Max(end.Entries, entries);
        var peakCounts = new ulong[n];
        var peakBytes = new ulong[n];
        var heldCounts = new ulong[n];
        var heldBytes = new ulong[n];
        var afterCounts = new ulong[n];
        var afterBytes = new ulong[n];
        objects.Copy(n, peakCounts, peakBytes, heldCounts, heldBytes, afterCounts, afterBytes);
        var live = new ProfileLive[entries];
        for (ulong e = 0; e < entries; e++)
            live[e] = new ProfileLive((long)peakCounts[e], (long)peakBytes[e], (long)heldCounts[e], (long)heldBytes[e], (long)afterCounts[e], (long)afterBytes[e]);
        var allocated = new ulong[end.Timeline];
        var liveBytes = new ulong[end.Timeline];
        var survivors = new ulong[end.Timeline];
        var full = new int[end.Timeline];
        var inWindow = new int[end.Timeline];
        objects.Timeline(end.Timeline, allocated, liveBytes, survivors, full, inWindow);
        var timeline = Enumerable.Range(0, (int)end.Timeline)
            .Select(i => new TimelinePoint((long)allocated[i], (long)liveBytes[i], full[i] != 0, inWindow[i] != 0)).ToList();
        return (live, new ObjectTracking(timeline, (long)end.Failed, (long)end.WalksMissed, end.PeakTaken != 0, end.HeldTaken != 0));
    }

    /// <summary>What the object tracking of a profile pass saw beyond the live counts by path.</summary>
    public sealed record ObjectTracking(IReadOnlyList<TimelinePoint> Timeline, long Untracked, long WalksMissed, bool PeakSeen, bool EndSeen);

    /// <summary>The meter's methods that run a pass's calls: in process Pass itself, in the memory host the live pass it
    /// hands to the profiler's GC thread.</summary>
    private static readonly MethodInfo[] MeterPasses =
        [.. new[] { nameof(MemoryMeter.Pass), "LivePass" }.Select(n => typeof(MemoryMeter).GetMethod(n, BindingFlags.NonPublic | BindingFlags.Static)!)];

    /// <summary>Names for runtime handles, cached: one profile repeats the same few thousand.</summary>
    private sealed class Namer
    {
        private readonly Dictionary<ulong, string?> _methods = [];
        private readonly Dictionary<ulong, string> _types = [];

        public string Type(ulong classId)
        {
            if (!_types.TryGetValue(classId, out var name))
            {
                try
                {
                    name = System.Type.GetTypeFromHandle(RuntimeTypeHandle.FromIntPtr((nint)classId)) is { } type ? TypeNames.Format(type) : null;
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException)
                {
                    name = null;
                }
                _types[classId] = name ??= $"(type 0x{classId:x})";
            }
            return name;
        }

        /// <summary>The method's name; null for code without one (dynamic methods, stubs).</summary>
        public string? Method(ulong functionId)
        {
            if (!_methods.TryGetValue(functionId, out var name))
                _methods[functionId] = name = Resolve(functionId);
            return name;
        }

        private static string? Resolve(ulong functionId)
        {
            var handle = RuntimeMethodHandle.FromIntPtr((nint)functionId);
            try
            {
                return TypeNames.Method(MethodBase.GetMethodFromHandle(handle)!);
            }
            catch (ArgumentException)
            {
            }
            try
            {
                // A method of a generic type: with no type handle given, the runtime takes the instantiation the code is for.
                return MethodBase.GetMethodFromHandle(handle, default) is { } method ? TypeNames.Method(method) : null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int ActiveFunction();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void BeginFunction();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void EndFunction(out ulong entries, out ulong frames, out ulong failed);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void CopyFunction([Out] ulong[] classIds, [Out] ulong[] counts, [Out] ulong[] bytes, [Out] uint[] depths, [Out] ulong[] frames);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void ObjectsBeginFunction();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void ObjectsEndFunction(out ObjectsEnd end);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ObjectsCopyFunction(ulong capacity, [Out] ulong[] peakCounts, [Out] ulong[] peakBytes, [Out] ulong[] heldCounts, [Out] ulong[] heldBytes,
        [Out] ulong[] afterCounts, [Out] ulong[] afterBytes);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ObjectsTimelineFunction(ulong capacity, [Out] ulong[] allocated, [Out] ulong[] live, [Out] ulong[] survivors, [Out] int[] full, [Out] int[] inWindow);

    /// <summary>benchmem_objects_end's report (benchmem_objects.c's ObjectsEnd).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ObjectsEnd
    {
        public ulong Entries, LiveObjects, LiveBytes, Timeline, Failed, WalksMissed;
        public int PeakTaken, HeldTaken;
    }

    private sealed record ObjectFunctions(ObjectsBeginFunction Begin, ObjectsEndFunction End, ObjectsCopyFunction Copy, ObjectsTimelineFunction Timeline);

    private sealed record Functions(BeginFunction Begin, EndFunction End, CopyFunction Copy, ObjectFunctions? Objects);

    private static Functions? Probe()
    {
        if (!AllocationCounter.IsActive || Environment.GetEnvironmentVariable(AllocationCounter.PathVariable) is not { Length: > 0 } path)
            return null;
        var library = NativeLibrary.Load(path); // the instance the runtime loaded at start-up
        T? Export<T>(string name) where T : Delegate =>
            NativeLibrary.TryGetExport(library, name, out var p) ? Marshal.GetDelegateForFunctionPointer<T>(p) : null;
        var active = Export<ActiveFunction>("benchmem_stacks_active");
        var begin = Export<BeginFunction>("benchmem_profile_begin");
        var end = Export<EndFunction>("benchmem_profile_end");
        var copy = Export<CopyFunction>("benchmem_profile_copy");
        if (active is null || begin is null || end is null || copy is null || active() != 1)
            return null;
        // Object tracking needs the GC callbacks (the live peak's); a library without its exports profiles without it.
        var objectsBegin = Export<ObjectsBeginFunction>("benchmem_objects_begin");
        var objectsEnd = Export<ObjectsEndFunction>("benchmem_objects_end");
        var objectsCopy = Export<ObjectsCopyFunction>("benchmem_objects_copy");
        var objectsTimeline = Export<ObjectsTimelineFunction>("benchmem_objects_timeline");
        var liveActive = Export<ActiveFunction>("benchmem_live_active");
        ObjectFunctions? objects = objectsBegin is null || objectsEnd is null || objectsCopy is null || objectsTimeline is null || liveActive?.Invoke() != 1
            ? null : new ObjectFunctions(objectsBegin, objectsEnd, objectsCopy, objectsTimeline);
        // Build the interop stubs now, so an open window sees no allocation of Benchmem's own.
        begin();
        end(out _, out _, out _);
        copy([], [], [], [], []);
        if (objects is not null)
        {
            objects.Begin();
            objects.End(out _);
            objects.Copy(0, [], [], [], [], [], []);
            objects.Timeline(0, [], [], [], [], []);
        }
        return new Functions(begin, end, copy, objects);
    }

}
