using System.Diagnostics;
using System.Runtime;
using Benchmem.Core.Invocation;

namespace Benchmem.Core.Memory;

/// <summary>
/// Measures what one call costs in memory: peak (high-water of the heap above its live size at the start),
/// allocated bytes, retained bytes, GC counts, optionally resident high-water, and — where the native profiler
/// is loaded in this process — the exact number of objects allocated and the live peak (<see cref="LivePeak"/>:
/// garbage excluded, to within a stated bound). Every pass starts from a clean heap (full blocking compacting GC);
/// in process it runs in Batch latency mode, so a concurrent GC still sweeping earlier garbage cannot inflate it.
/// Usable outside NUnit: <c>MemoryMeter.MeasurePeak(() =&gt; Build(1000))</c>.
/// </summary>
public static class MemoryMeter
{
    /// <summary>GC.GetTotalMemory is coarse by an allocation context (~8 KiB): below this, heap and live agree.</summary>
    private const long ExactSlackBytes = 16 * 1024;

    /// <summary>The headline peak, in bytes, of <paramref name="action"/> (adaptive passes, minimum peak).</summary>
    public static long MeasurePeak(Action action) => Measure(action).Headline.PeakBytes;

    /// <summary>The headline peak of a call whose result is dropped after it returns.</summary>
    public static long MeasurePeak<T>(Func<T> action) => Measure(action).Headline.PeakBytes;

    public static MemoryResult Measure(Action action, MemoryOptions? options = null) =>
        Measure(BenchmarkInvoker.ForDelegate(action), options ?? new MemoryOptions());

    public static MemoryResult Measure<T>(Func<T> action, MemoryOptions? options = null) =>
        Measure(BenchmarkInvoker.ForDelegate(action), options ?? new MemoryOptions());

    /// <summary>
    /// Runs warm-up calls, then passes until <see cref="MemoryOptions.Repeats"/> (or the adaptive rule) is met.
    /// <paramref name="setup"/> rebuilds fresh state before the warm-up and before every pass, unmeasured.
    /// </summary>
    public static MemoryResult Measure(BenchmarkInvoker invoker, MemoryOptions options, Action? setup = null) =>
        Measure(invoker, options, setup, window: null);

    /// <summary>
    /// As <see cref="Measure(BenchmarkInvoker, MemoryOptions, Action?)"/>, with <paramref name="window"/> opened right before
    /// and closed right after each pass's calls, inside its counted stretch (the memory host's allocations by type mark
    /// each pass there); both must allocate nothing.
    /// </summary>
    public static MemoryResult Measure(BenchmarkInvoker invoker, MemoryOptions options, Action? setup, (Action Open, Action Close)? window)
    {
        options.Validate();
        // Where the profiler follows the live heap, the whole measurement runs on the thread it may force GCs on.
        var live = AllocationCounter.IsActive ? AllocationCounter.Live : null;
        return live is null ? MeasureHere(invoker, options, setup, window) : live.Run(() => MeasureHere(invoker, options, setup, window));
    }

    private static MemoryResult MeasureHere(BenchmarkInvoker invoker, MemoryOptions options, Action? setup, (Action Open, Action Close)? window)
    {
        if (options.Warmup > 0)
        {
            setup?.Invoke();
            invoker.Loop(options.Warmup);
            invoker.ClearResult();
        }
        var counter = AllocationCounter.IsActive;
        var passes = new List<MemoryPass>();
        var watch = Stopwatch.StartNew();
        long best = long.MaxValue;
        int sinceNewMinimum = 0;
        while (true)
        {
            setup?.Invoke();
            var pass = Pass(invoker, options, counter, window);
            passes.Add(pass);
            if (pass.PeakBytes < best)
            {
                best = pass.PeakBytes;
                sinceNewMinimum = 0;
            }
            else
                sinceNewMinimum++;
            if (options.Repeats > 0 ? passes.Count >= options.Repeats
                : passes.Count >= 2 && (sinceNewMinimum >= 2 || passes.Count >= MemoryOptions.AdaptiveMaxPasses || watch.Elapsed.TotalSeconds >= options.MaxTime
                    || LiveAgree(passes[^2], pass)))
                break;
        }
        return new MemoryResult { Passes = passes, Options = options, AllocationsMethod = counter ? "profiler" : null };
    }

    /// <summary>
    /// Two live peaks that agree within their bounds: the live heap does not depend on when GCs happen, so a third pass
    /// would tell nothing new (adaptive passes stop).
    /// </summary>
    private static bool LiveAgree(MemoryPass a, MemoryPass b) =>
        a.PeakBoundBytes is { } boundA && b.PeakBoundBytes is { } boundB && Math.Abs(a.PeakBytes - b.PeakBytes) <= Math.Max(boundA, boundB);

    /// <summary>
    /// One pass. <paramref name="window"/> is opened right before the calls and closed right after them (an allocation
    /// profile's window), inside the counters' reads so nothing of the meter's own lands in it.
    /// </summary>
    internal static MemoryPass Pass(BenchmarkInvoker invoker, MemoryOptions options, bool counter, (Action Open, Action Close)? window = null)
    {
        var live = counter ? AllocationCounter.Live : null;
        if (live is not null)
            return live.Run(() => LivePass(live, invoker, options, window));
        var native = NativeCounter.Current; // probed (the first time) before the clean heap: its own objects stay out of the pass
        CleanHeap();
        var mode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        try
        {
            var watcher = new GcWatcher();
            long baseline = GC.GetTotalMemory(forceFullCollection: false);
            // The same start measured the way GC events measure (per-generation sizes after the clean GC), so
            // before-GC sizes are compared like with like (the two accountings differ by ~14 KB).
            long baselineByGc = GcWatcher.LiveAfterLastGc();
            long? rssStart = options.Rss ? ResidentMemory.Reset() : null;
            watcher.Start();
            int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
            var objects0 = counter ? AllocationCounter.Read().Objects : 0;
            var threadObjects0 = counter ? AllocationCounter.ReadThread().Objects : 0;
            long total0 = GC.GetTotalAllocatedBytes(precise: true);
            long thread0 = GC.GetAllocatedBytesForCurrentThread();

            window?.Open();
            native?.Begin();
            invoker.Loop(options.Calls);
            var nativeWindow = native?.End();
            window?.Close();

            long thread1 = GC.GetAllocatedBytesForCurrentThread();
            long total1 = GC.GetTotalAllocatedBytes(precise: true);
            var threadObjects1 = counter ? AllocationCounter.ReadThread().Objects : 0;
            var objects1 = counter ? AllocationCounter.Read().Objects : 0;
            int gcs = GC.CollectionCount(0) - g0;
            int gen1 = GC.CollectionCount(1) - g1, gen2 = GC.CollectionCount(2) - g2;
            long end = GC.GetTotalMemory(forceFullCollection: false);
            var (maxBefore, observed) = watcher.Stop();
            long? rss = rssStart is { } start && ResidentMemory.HighWater() is { } high ? Math.Max(0, high - start) : null;

            CleanHeap();
            long liveAtEnd = GC.GetTotalMemory(forceFullCollection: false) - baseline; // the result still held
            invoker.ClearResult(); // what the call returned is not a leak
            CleanHeap();
            long retained = GC.GetTotalMemory(forceFullCollection: false) - baseline;
            var nativeRetained = NativeRetained(native);

            long thread = thread1 - thread0, total = total1 - total0;
            bool multiThreaded = total - thread > AllocationPass.MultiThreadedSlackBytes;
            long allocated = multiThreaded ? total : thread;
            // Without a GC nothing was freed, so the heap grew by exactly what was allocated; that is the live
            // high-water only if none of it became garbage before the end (live at the end says so).
            long peak = gcs == 0 ? allocated : Math.Max(0, Math.Max(end - baseline, observed > 0 ? maxBefore - baselineByGc : 0));
            int unobserved = Math.Max(0, gcs - observed);
            // A GC whose heap size could not be read may have hidden the high-water: what was allocated is then the
            // only upper bound left (live never exceeds the start plus everything allocated since).
            if (unobserved > 0)
                peak = Math.Max(peak, allocated);
            bool exact = gcs == 0 && peak - liveAtEnd <= Math.Max(ExactSlackBytes, peak / 100);
            string method = exact ? PeakMethods.Exact : PeakMethods.HeapHighWater;
            if (allocated == 0)
            {
                // A call that allocates nothing cannot raise the heap, whatever GCs other threads' allocations caused.
                peak = 0;
                method = PeakMethods.Exact;
            }
            return WithNative(new MemoryPass
            {
                PeakBytes = peak,
                AllocatedBytes = allocated,
                RetainedBytes = Math.Max(0, retained),
                // Like bytes: the thread's own count, unless the call allocates on other threads too.
                Allocations = counter ? (multiThreaded ? objects1 - objects0 : threadObjects1 - threadObjects0) : null,
                Gen0 = gcs,
                Gen1 = gen1,
                Gen2 = gen2,
                RssBytes = rss,
                MultiThreaded = multiThreaded,
                PeakMethod = method,
                UnobservedGcs = unobserved,
            }, nativeWindow, nativeRetained);
        }
        finally
        {
            GCSettings.LatencyMode = mode;
        }
    }

    /// <summary>
    /// One pass where the profiler follows the live heap (the memory host): peak is the live high-water to within the
    /// window's bound, retained the exact survivors' growth, and every thread but the finalizer's counts (the profiler
    /// sees them all, so another thread's allocations are never lost in the noise of a total).
    /// </summary>
    private static MemoryPass LivePass(LivePeak live, BenchmarkInvoker invoker, MemoryOptions options, (Action Open, Action Close)? window)
    {
        var native = NativeCounter.Current; // probed (the first time) before the clean heap: its own objects stay out of the pass
        CleanHeap();
        long toleranceBytes = options.PrecisePeak ? 0 : LivePeak.DefaultToleranceBytes;
        long tolerancePpm = options.PrecisePeak ? 0 : LivePeak.DefaultTolerancePpm;
        long? rssStart = options.Rss ? ResidentMemory.Reset() : null;
        // The window's zero: a full GC with nothing allocated between it and Begin (the reads below allocate nothing).
        FullGc();
        long zero = live.LiveAfterGc();
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        var (threadObjects0, threadBytes0) = AllocationCounter.ReadThread();
        var (countedObjects0, countedBytes0) = live.Counted();
        live.Begin(toleranceBytes, tolerancePpm);

        // The native window is the calls alone, on this thread (the runtime's own threads' mallocs are not the call's).
        window?.Open();
        native?.Begin(); // inside the profile's window: opening and closing that is not the call's either
        invoker.Loop(options.Calls);
        var nativeWindow = native?.End();
        window?.Close();

        var (threadObjects1, threadBytes1) = AllocationCounter.ReadThread();
        var (countedObjects1, countedBytes1) = live.Counted();
        FullGc(); // the live heap at the end, the result still held: a sample of the window too
        var w = live.End(toleranceBytes, tolerancePpm, gcsOfTheCaller: 1);
        int gen0 = GC.CollectionCount(0) - g0, gen1 = GC.CollectionCount(1) - g1, gen2 = GC.CollectionCount(2) - g2;
        long? rss = rssStart is { } start && ResidentMemory.HighWater() is { } high ? Math.Max(0, high - start) : null;

        invoker.ClearResult(); // what the call returned is not a leak
        CleanHeap();
        long retained = live.LiveAfterGc() - zero;
        var nativeRetained = NativeRetained(native);

        long threadBytes = threadBytes1 - threadBytes0, countedBytes = countedBytes1 - countedBytes0;
        bool multiThreaded = countedBytes > threadBytes;
        // A forced full GC counts once in every generation; the call's own GCs are what is left.
        int ours = (int)Math.Min(w.GcsOfOurs, int.MaxValue);
        return WithNative(new MemoryPass
        {
            PeakBytes = w.PeakBytes,
            PeakBoundBytes = w.BoundBytes,
            AllocatedBytes = multiThreaded ? countedBytes : threadBytes,
            RetainedBytes = Math.Max(0, retained),
            Allocations = multiThreaded ? countedObjects1 - countedObjects0 : threadObjects1 - threadObjects0,
            Gen0 = Math.Max(0, gen0 - ours),
            Gen1 = Math.Max(0, gen1 - ours),
            Gen2 = Math.Max(0, gen2 - ours),
            RssBytes = rss,
            MultiThreaded = multiThreaded,
            PeakMethod = w.BoundBytes == 0 ? PeakMethods.Precise : PeakMethods.Live,
            UnobservedGcs = 0,
        }, nativeWindow, nativeRetained);
    }

    /// <summary>The window's native blocks still allocated once the result is dropped and finalizers ran (both sets), and
    /// frees no longer followed.</summary>
    private static (long Thread, long AllThreads)? NativeRetained(NativeCounter? native)
    {
        if (native is null)
            return null;
        var retained = (native.Live(multiThreaded: false), native.Live(multiThreaded: true));
        native.Forget();
        return retained;
    }

    /// <summary>The native numbers of a pass, from the same set as its managed ones (every thread when it was
    /// multi-threaded); absent where the interposer is not loaded.</summary>
    private static MemoryPass WithNative(MemoryPass pass, NativeCounter.Window? window, (long Thread, long AllThreads)? retained)
    {
        if (window is not { } w || retained is not { } r)
            return pass;
        var counts = w.For(pass.MultiThreaded);
        return pass with
        {
            NativePeakBytes = counts.PeakBytes,
            NativeAllocatedBytes = counts.AllocatedBytes,
            NativeAllocations = counts.Allocations,
            NativeRetainedBytes = pass.MultiThreaded ? r.AllThreads : r.Thread,
        };
    }

    private static void FullGc() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

    /// <summary>Full blocking compacting GC, finalizers, and again for what they released: a clean start.</summary>
    private static void CleanHeap()
    {
        FullGc();
        GC.WaitForPendingFinalizers();
        FullGc();
    }
}
