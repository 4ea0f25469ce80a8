using System.Runtime.InteropServices;
using Benchmem.Core.Settings;

namespace Benchmem.Core.Memory;

/// <summary>
/// Exact allocation counts (objects and bytes, all threads) from the native benchmem CLR profiler
/// (<c>Benchmem.Profiler/benchmem_profiler.c</c>). The runtime only loads a profiler at process start, so a
/// process must be started with <see cref="EnvironmentFor"/>'s variables; in any other process
/// <see cref="IsActive"/> is false and <see cref="Read"/> throws. The profiler slows every small allocation
/// several times for the whole process: use it in a memory host process, never in one that times.
/// </summary>
public static class AllocationCounter
{
    /// <summary>The profiler's CLSID (CORECLR_PROFILER); the same constant is in benchmem_profiler.c.</summary>
    public const string ProfilerClsid = "{AFBA20EC-AAED-42C9-A48E-FDC8CF3BAFF3}";

    public const string EnableVariable = "CORECLR_ENABLE_PROFILING";
    public const string ProfilerVariable = "CORECLR_PROFILER";
    public const string PathVariable = "CORECLR_PROFILER_PATH";

    private static readonly Lazy<State> Current = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The variables to start a child process with so that the profiler at <paramref name="libraryPath"/> counts its allocations.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string libraryPath, bool precisePeak = false, bool stacks = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(libraryPath);
        var environment = new Dictionary<string, string>
        {
            [EnableVariable] = "1",
            [ProfilerVariable] = ProfilerClsid,
            // The runtime wants an absolute path; the managed side loads the same path to reach the counters.
            [PathVariable] = Path.GetFullPath(libraryPath),
        };
        if (precisePeak)
        {
            // GC stress on allocation: the runtime runs a full GC before every allocation, so the live heap the
            // profiler follows is exact at every allocation, where the peak can only be reached.
            environment[GcStressVariable] = "1";
            environment[SettingsResolver.ProfilerPrecisePeakVariable] = "1";
        }
        if (stacks)
            environment[SettingsResolver.ProfilerStacksVariable] = "1"; // allocation profiles: stack walks allowed
        return environment;
    }

    public const string GcStressVariable = "DOTNET_GCStress";

    /// <summary>
    /// True when the profiler follows the live heap for <see cref="BeginPeak"/>/<see cref="EndPeak"/> (the process was
    /// started with <c>EnvironmentFor(path, precisePeak: true)</c>).
    /// </summary>
    public static bool PreciseActive => Current.Value.Peak is not null;

    /// <summary>Opens a precise peak window: the live heap (bytes) right now, the zero the peak is measured from.</summary>
    public static long BeginPeak() => (long)(Current.Value.Peak
        ?? throw new InvalidOperationException("Precise peak is not active in this process.")).Begin();

    /// <summary>
    /// Closes the window: the highest live heap inside it, and how many full and partial GCs it saw (under GC stress a
    /// full GC precedes every allocation; a partial GC leaves the value an upper bound).
    /// </summary>
    public static (long MaxLive, long FullGcs, long OtherGcs) EndPeak()
    {
        var peak = Current.Value.Peak ?? throw new InvalidOperationException("Precise peak is not active in this process.");
        peak.End(out ulong max, out ulong full, out ulong other);
        return ((long)max, (long)full, (long)other);
    }

    /// <summary>True when this process runs with the benchmem profiler loaded and initialized.</summary>
    public static bool IsActive => Current.Value.Counts is not null;

    /// <summary>Why <see cref="IsActive"/> is false (null when active).</summary>
    public static string? InactiveReason => Current.Value.Reason;

    /// <summary>
    /// Objects and bytes (each object rounded up to 8 bytes) allocated by all threads since the runtime started.
    /// Take a difference of two reads; the call itself allocates nothing once it has run once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The profiler is not active in this process.</exception>
    public static (long Objects, long Bytes) Read()
    {
        var counts = Current.Value.Counts
            ?? throw new InvalidOperationException($"The benchmem allocation profiler is not active in this process: {Current.Value.Reason}");
        counts(out ulong objects, out ulong bytes);
        return ((long)objects, (long)bytes);
    }

    /// <summary>Objects and bytes allocated by the calling thread since it started (exact for single-threaded work).</summary>
    /// <exception cref="InvalidOperationException">The profiler is not active in this process.</exception>
    public static (long Objects, long Bytes) ReadThread()
    {
        var counts = Current.Value.ThreadCounts
            ?? throw new InvalidOperationException($"The benchmem allocation profiler is not active in this process: {Current.Value.Reason}");
        counts(out ulong objects, out ulong bytes);
        return ((long)objects, (long)bytes);
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void CountsFunction(out ulong objects, out ulong bytes);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ActiveFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate ulong PeakBeginFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void PeakEndFunction(out ulong max, out ulong fullGcs, out ulong otherGcs);

    private sealed record PeakFunctions(PeakBeginFunction Begin, PeakEndFunction End);

    private sealed record State(CountsFunction? Counts, string? Reason, CountsFunction? ThreadCounts = null, PeakFunctions? Peak = null);

    private static State Probe()
    {
        string? enable = Environment.GetEnvironmentVariable(EnableVariable);
        string? clsid = Environment.GetEnvironmentVariable(ProfilerVariable);
        string? path = Environment.GetEnvironmentVariable(PathVariable);
        string started = $"start the process with {EnableVariable}=1, {ProfilerVariable}={ProfilerClsid} and {PathVariable}=<absolute path of the benchmem profiler library> (see {nameof(AllocationCounter)}.{nameof(EnvironmentFor)})";
        if (enable != "1")
            return new State(null, $"{EnableVariable} is {Describe(enable)}, not 1; {started}.");
        if (!string.Equals(clsid?.Trim(), ProfilerClsid, StringComparison.OrdinalIgnoreCase))
            return new State(null, $"{ProfilerVariable} is {Describe(clsid)}, not {ProfilerClsid}; {started}.");
        if (string.IsNullOrWhiteSpace(path))
            return new State(null, $"{PathVariable} is not set; {started}.");
        try
        {
            // The runtime loaded this very file at start-up; loading it again returns the same instance.
            IntPtr library = NativeLibrary.Load(path);
            if (!NativeLibrary.TryGetExport(library, "benchmem_active", out IntPtr activeExport)
                || !NativeLibrary.TryGetExport(library, "benchmem_counts", out IntPtr countsExport)
                || !NativeLibrary.TryGetExport(library, "benchmem_thread_counts", out IntPtr threadExport))
                return new State(null, $"{path} is not the benchmem profiler (no benchmem_active/benchmem_counts/benchmem_thread_counts exports).");
            var active = Marshal.GetDelegateForFunctionPointer<ActiveFunction>(activeExport);
            if (active() != 1)
                return new State(null, $"{path} is loaded but the runtime did not initialize it as its profiler (was {PathVariable} set when the process started? is another profiler or a startup error in the way?).");
            var counts = Marshal.GetDelegateForFunctionPointer<CountsFunction>(countsExport);
            counts(out _, out _); // build the interop stub now, so the first real Read allocates nothing
            var threadCounts = Marshal.GetDelegateForFunctionPointer<CountsFunction>(threadExport);
            threadCounts(out _, out _);
            return new State(counts, null, threadCounts, ProbePeak(library));
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return new State(null, $"cannot load {path}: {e.Message}");
        }
    }

    /// <summary>The precise peak exports, when the profiler was asked for them at start-up and the runtime granted the GC callbacks.</summary>
    private static PeakFunctions? ProbePeak(IntPtr library)
    {
        if (!NativeLibrary.TryGetExport(library, "benchmem_precise_active", out IntPtr preciseExport)
            || !NativeLibrary.TryGetExport(library, "benchmem_peak_begin", out IntPtr beginExport)
            || !NativeLibrary.TryGetExport(library, "benchmem_peak_end", out IntPtr endExport)
            || Marshal.GetDelegateForFunctionPointer<ActiveFunction>(preciseExport)() != 1)
            return null;
        var peak = new PeakFunctions(Marshal.GetDelegateForFunctionPointer<PeakBeginFunction>(beginExport),
            Marshal.GetDelegateForFunctionPointer<PeakEndFunction>(endExport));
        peak.Begin(); // build the interop stubs now, so a window allocates nothing of its own
        peak.End(out _, out _, out _);
        return peak;
    }

    private static string Describe(string? value) => value is null ? "not set" : $"'{value}'";
}
