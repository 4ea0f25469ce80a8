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

    /// <summary>
    /// The variables to start a child process with so that the profiler at <paramref name="libraryPath"/> counts its
    /// allocations and follows its live heap (<see cref="LiveActive"/>), under the GC configuration the live peak is
    /// defined for: workstation, non-concurrent GC, whatever the parent's environment says, so the numbers do not move
    /// with the machine's or the user's GC flavour.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string libraryPath, bool stacks = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(libraryPath);
        var environment = new Dictionary<string, string>
        {
            [EnableVariable] = "1",
            [ProfilerVariable] = ProfilerClsid,
            // The runtime wants an absolute path; the managed side loads the same path to reach the counters.
            [PathVariable] = Path.GetFullPath(libraryPath),
            [SettingsResolver.ProfilerLivePeakVariable] = "1",
        };
        foreach (var (name, value) in HostGcConfiguration)
            environment[name] = value;
        if (stacks)
            environment[SettingsResolver.ProfilerStacksVariable] = "1"; // allocation profiles: stack walks allowed
        return environment;
    }

    /// <summary>
    /// The memory host's GC: one heap, blocking GCs only (a background GC would sweep while the call allocates, and
    /// server GC reports survivors from several threads). Partial GCs never change a live peak, so the gen0 budget (and
    /// DOTNET_GCgen0size) does not matter.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Value)> HostGcConfiguration =
        [("DOTNET_gcServer", "0"), ("DOTNET_gcConcurrent", "0")];

    /// <summary>True when the profiler follows the live heap (<see cref="LivePeak"/>): the process was started with <see cref="EnvironmentFor"/>.</summary>
    public static bool LiveActive => Current.Value.Live is not null;

    /// <summary>The live-peak functions, or null when <see cref="LiveActive"/> is false.</summary>
    internal static LivePeak? Live => Current.Value.Live;

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

    private sealed record State(CountsFunction? Counts, string? Reason, CountsFunction? ThreadCounts = null, LivePeak? Live = null);

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
            IgnoreFinalizerThread(library);
            return new State(counts, null, threadCounts, LivePeak.Probe(library));
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return new State(null, $"cannot load {path}: {e.Message}");
        }
    }

    /// <summary>
    /// Leaves the finalizer thread out of profiles and of the counted totals: what it allocates during a pass is the
    /// in-process meter's GC watcher and the runtime's own GC callbacks (array pool trimming), not the benchmark's
    /// calls. A finalizer of our own marks it.
    /// </summary>
    private static void IgnoreFinalizerThread(IntPtr library)
    {
        if (!NativeLibrary.TryGetExport(library, "benchmem_profile_ignore_thread", out var export))
            return;
        _ignoreOnFinalizer = Marshal.GetDelegateForFunctionPointer<IgnoreFunction>(export);
        Plant();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void IgnoreFunction();

    private static IgnoreFunction? _ignoreOnFinalizer;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Plant() => _ = new FinalizerMarker();

    private sealed class FinalizerMarker
    {
        ~FinalizerMarker() => _ignoreOnFinalizer?.Invoke();
    }

    private static string Describe(string? value) => value is null ? "not set" : $"'{value}'";
}
