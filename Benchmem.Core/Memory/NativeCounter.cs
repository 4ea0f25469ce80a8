using System.Runtime.InteropServices;

namespace Benchmem.Core.Memory;

/// <summary>
/// Native memory of a memory pass, from the interposer <c>Benchmem.Profiler/benchmem_native.c</c>: preloaded into a
/// process (<c>LD_PRELOAD</c>, see <see cref="EnvironmentFor"/>), it sees every malloc, calloc, realloc, free, the
/// aligned allocators and anonymous mmap/munmap/mremap. Inside a window (one pass's calls) it records each block the
/// call allocates, on the calling thread and on every thread, and follows their frees until <see cref="Forget"/>.
/// Only the memory host is started with it; in any other process <see cref="Current"/> is null and native metrics are
/// absent (never 0).
/// </summary>
public sealed unsafe class NativeCounter
{
    /// <summary>The interposer's file, beside the profiler (<c>runtimes/&lt;rid&gt;/native/</c>).</summary>
    public const string LibraryFileName = "libbenchmem_native.so";

    public const string PreloadVariable = "LD_PRELOAD";

    private static readonly Lazy<(NativeCounter? Counter, string? Reason)> Probed = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The interposer of this process, or null when it was not preloaded (<see cref="InactiveReason"/> says why).</summary>
    public static NativeCounter? Current => Probed.Value.Counter;

    /// <summary>Why <see cref="Current"/> is null; null when it is not.</summary>
    public static string? InactiveReason => Probed.Value.Reason;

    /// <summary>
    /// The variable to start a process with so the interposer at <paramref name="libraryPath"/> is preloaded into it:
    /// in front of what <paramref name="inheritedPreload"/> (the parent's <c>LD_PRELOAD</c>) already names, which is kept.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string libraryPath, string? inheritedPreload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(libraryPath);
        string full = Path.GetFullPath(libraryPath);
        return new Dictionary<string, string>
        {
            [PreloadVariable] = string.IsNullOrWhiteSpace(inheritedPreload) ? full : $"{full} {inheritedPreload.Trim()}",
        };
    }

    /// <summary>The two sets a window keeps: the calling thread's blocks and every thread's.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeCounts
    {
        public ulong Allocations, Allocated, Live, Peak;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeWindow
    {
        public NativeCounts Own, All;
    }

    /// <summary>One closed window: blocks and requested bytes allocated in it, the high-water of its blocks still live.</summary>
    public readonly record struct Counts(long Allocations, long AllocatedBytes, long PeakBytes);

    /// <summary>A closed window, both sets.</summary>
    public readonly record struct Window(Counts Thread, Counts AllThreads)
    {
        /// <summary>The set a pass reports: every thread's when the pass was multi-threaded, as the managed numbers.</summary>
        public Counts For(bool multiThreaded) => multiThreaded ? AllThreads : Thread;
    }

    private readonly delegate* unmanaged<void> _begin;
    private readonly delegate* unmanaged<NativeWindow*, void> _end;
    private readonly delegate* unmanaged<ulong*, ulong*, void> _live;
    private readonly delegate* unmanaged<void> _forget;

    private NativeCounter(IntPtr library)
    {
        _begin = (delegate* unmanaged<void>)NativeLibrary.GetExport(library, "benchmem_native_begin");
        _end = (delegate* unmanaged<NativeWindow*, void>)NativeLibrary.GetExport(library, "benchmem_native_end");
        _live = (delegate* unmanaged<ulong*, ulong*, void>)NativeLibrary.GetExport(library, "benchmem_native_live");
        _forget = (delegate* unmanaged<void>)NativeLibrary.GetExport(library, "benchmem_native_forget");
    }

    /// <summary>Opens a window on the calling thread (what an earlier window recorded is forgotten).</summary>
    public void Begin() => _begin();

    /// <summary>Closes the window: nothing more is recorded; frees of its blocks are still followed until <see cref="Forget"/>.</summary>
    public Window End()
    {
        NativeWindow w;
        _end(&w);
        static Counts Of(NativeCounts c) => new((long)c.Allocations, (long)c.Allocated, (long)c.Peak);
        return new Window(Of(w.Own), Of(w.All));
    }

    /// <summary>The window's blocks still allocated now, the calling thread's set or every thread's.</summary>
    public long Live(bool multiThreaded)
    {
        ulong own, all;
        _live(&own, &all);
        return (long)(multiThreaded ? all : own);
    }

    /// <summary>Stops following frees (each one costs a lookup while it is on).</summary>
    public void Forget() => _forget();

    /// <summary>
    /// Where the allocation profiler is loaded, it tells the interposer when each GC starts and ends: what the runtime
    /// allocates during a GC (its bookkeeping, and the profiler API's survivor buffers: measured ~1 block of ~360 B per
    /// GC, so a pass with the live peak's forced GCs read thousands) is never the call's, and is left out.
    /// </summary>
    private static void ConnectToTheProfiler(IntPtr interposer)
    {
        if (Environment.GetEnvironmentVariable(AllocationCounter.PathVariable) is not { Length: > 0 } profilerPath
            || !NativeLibrary.TryLoad(profilerPath, out var profiler)
            || !NativeLibrary.TryGetExport(profiler, "benchmem_set_gc_hook", out var setHook))
            return;
        var hook = NativeLibrary.GetExport(interposer, "benchmem_native_gc");
        ((delegate* unmanaged<IntPtr, void>)setHook)(hook);
        // Allocation profiles: each native block's managed stack, taken by the profiler on the allocating thread.
        if (NativeLibrary.TryGetExport(profiler, "benchmem_profile_native", out var profileNative)
            && NativeLibrary.TryGetExport(interposer, "benchmem_native_set_profile_hook", out var setProfileHook))
            ((delegate* unmanaged<IntPtr, void>)setProfileHook)(profileNative);
    }

    private static (NativeCounter?, string?) Probe()
    {
        if (!OperatingSystem.IsLinux())
            return (null, "native memory is measured on Linux only (an LD_PRELOAD interposer)");
        string preload = Environment.GetEnvironmentVariable(PreloadVariable) ?? "";
        // ld.so takes spaces and colons between entries.
        var entries = preload.Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? path = entries.FirstOrDefault(e => Path.GetFileName(e) == LibraryFileName);
        if (path is null)
            return (null, $"{PreloadVariable} does not name {LibraryFileName} (see {nameof(NativeCounter)}.{nameof(EnvironmentFor)})");
        // What this process starts (a benchmark's own child processes) must not inherit the interposer.
        Environment.SetEnvironmentVariable(PreloadVariable, string.Join(' ', entries.Where(e => e != path)) is { Length: > 0 } rest ? rest : null);
        if (!NativeLibrary.TryLoad(path, out var library))
            return (null, $"{path} is not a library this process can load");
        string[] exports = ["benchmem_native_active", "benchmem_native_gc", "benchmem_native_begin", "benchmem_native_end", "benchmem_native_live", "benchmem_native_forget"];
        if (exports.Any(e => !NativeLibrary.TryGetExport(library, e, out _)))
            return (null, $"{path} is not Benchmem's native interposer (exports missing)");
        var active = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "benchmem_native_active");
        if (active() != 1)
            return (null, $"{path} is loaded but does not interpose malloc (the loader did not preload it: another architecture's library?)");
        ConnectToTheProfiler(library);
        var counter = new NativeCounter(library);
        counter.Begin(); // the first window pays for nothing of its own: the table is mapped now
        counter.End();
        counter.Forget();
        return (counter, null);
    }
}
