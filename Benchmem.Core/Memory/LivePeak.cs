using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Benchmem.Core.Memory;

/// <summary>
/// The profiler's live-peak window (<c>benchmem_profiler.c</c>, "Live peak"): the live heap's high-water during a call,
/// garbage excluded, to within a tolerance. The profiler keeps an upper bound of the live heap (survivors of the last
/// full GC + bytes allocated since) and runs a full GC whenever an allocation lifts that bound above the maximum seen
/// so far by more than the tolerance: a lazy GC, only where the maximum could have grown. So the true peak lies in
/// [<see cref="Window.PeakBytes"/>, <see cref="Window.PeakBytes"/> + <see cref="Window.BoundBytes"/>], whatever the GC's
/// budget, the machine or the GC flavour. The GC runs synchronously inside the allocation on <see cref="Run{T}"/>'s thread
/// (one the profiler created, where the runtime allows it); other threads' allocations get their GC a moment later from
/// the profiler's helper thread, and what that delay left unresolved widens the bound.
/// </summary>
internal sealed unsafe class LivePeak
{
    /// <summary>Default absolute tolerance: the live peak is exact to 4 KiB or 1% (whichever is larger).</summary>
    public const long DefaultToleranceBytes = 4096;

    /// <summary>Default relative tolerance, parts per million of the peak so far.</summary>
    public const long DefaultTolerancePpm = 10_000;

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeWindow
    {
        public ulong Zero, MaxLive, Unresolved, FullGcs, OtherGcs, ForcedGcs, RequestedGcs;
    }

    /// <summary>One closed window. Bytes are relative to the live heap when it opened.</summary>
    public readonly record struct Window(long PeakBytes, long BoundBytes, long GcsOfOurs);

    private readonly delegate* unmanaged<ulong, ulong, ulong> _begin;
    private readonly delegate* unmanaged<NativeWindow*, void> _end;
    private readonly delegate* unmanaged<ulong> _liveAfterGc;
    private readonly delegate* unmanaged<ulong*, ulong*, void> _counted;
    private readonly delegate* unmanaged<int> _helperGc;
    /// <summary>The thread GCs can be forced on; null when the runtime refused one (then every GC waits for the helper
    /// thread, and the bounds say how much that delay left unresolved).</summary>
    private readonly Thread? _gcThread;

    private unsafe LivePeak(IntPtr library)
    {
        _begin = (delegate* unmanaged<ulong, ulong, ulong>)NativeLibrary.GetExport(library, "benchmem_peak_begin");
        _end = (delegate* unmanaged<NativeWindow*, void>)NativeLibrary.GetExport(library, "benchmem_peak_end");
        _liveAfterGc = (delegate* unmanaged<ulong>)NativeLibrary.GetExport(library, "benchmem_live_after_gc");
        _counted = (delegate* unmanaged<ulong*, ulong*, void>)NativeLibrary.GetExport(library, "benchmem_counted");
        _helperGc = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "benchmem_helper_gc");
        var start = (delegate* unmanaged<delegate* unmanaged<void>, int>)NativeLibrary.GetExport(library, "benchmem_start_gc_thread");
        var capable = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "benchmem_gc_capable");
        _gcThread = GcThread.Start(start, capable);
        if (_gcThread is not null)
            Run(WarmForcedGc);
    }

    /// <summary>
    /// One throwaway window with a GC forced inside an allocation: the runtime allocates a managed object of its own on
    /// a thread's first forced GC (measured: one System.Object), which must not land in the first real pass.
    /// </summary>
    private int WarmForcedGc()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Begin(0, 0);
        GC.KeepAlive(new byte[64]);
        End(0, 0, 0);
        _helperGc(); // and the helper's first GC, which sets its thread up
        return 0;
    }

    /// <summary>The live-peak functions of the loaded profiler, or null when it does not follow the live heap.</summary>
    public static unsafe LivePeak? Probe(IntPtr library)
    {
        string[] exports = ["benchmem_live_active", "benchmem_peak_begin", "benchmem_peak_end", "benchmem_live_after_gc",
            "benchmem_counted", "benchmem_start_gc_thread", "benchmem_gc_capable", "benchmem_helper_gc"];
        if (exports.Any(e => !NativeLibrary.TryGetExport(library, e, out _)))
            return null;
        var active = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "benchmem_live_active");
        return active() == 1 ? new LivePeak(library) : null;
    }

    /// <summary>Opens a window; the caller has just run a full blocking GC (its survivors are the window's zero).</summary>
    public unsafe void Begin(long toleranceBytes, long tolerancePpm) => _begin((ulong)toleranceBytes, (ulong)tolerancePpm);

    /// <summary>Closes the window; the caller has just run a full blocking GC (the live heap at the end is a sample too).</summary>
    public unsafe Window End(long toleranceBytes, long tolerancePpm, int gcsOfTheCaller)
    {
        NativeWindow w;
        _end(&w);
        long peak = (long)(w.MaxLive - w.Zero);
        // Between GCs the live heap never exceeded the maximum by more than the tolerance at that moment (else a GC
        // ran right there), and tolerances only grow with the maximum: the final tolerance bounds every moment. A
        // delayed GC (another thread's allocation) may have left a higher estimate unresolved.
        long tolerance = Math.Max(toleranceBytes, (long)((UInt128)(ulong)peak * (ulong)tolerancePpm / 1_000_000));
        long unresolved = w.Unresolved > w.MaxLive ? (long)(w.Unresolved - w.MaxLive) : 0;
        long ours = (long)(w.ForcedGcs + w.RequestedGcs) + gcsOfTheCaller;
        return new Window(peak, Math.Max(tolerance, unresolved), ours);
    }

    /// <summary>The exact live heap after the last full GC, in bytes.</summary>
    public unsafe long LiveAfterGc() => (long)_liveAfterGc();

    /// <summary>Objects and bytes allocated by every thread but the finalizer thread since start-up.</summary>
    public unsafe (long Objects, long Bytes) Counted()
    {
        ulong objects, bytes;
        _counted(&objects, &bytes);
        return ((long)objects, (long)bytes);
    }

    /// <summary>Runs <paramref name="work"/> on the thread that may force GCs synchronously (this one when it is that thread).</summary>
    public T Run<T>(Func<T> work) => _gcThread is null || Thread.CurrentThread == _gcThread ? work() : GcThread.Run(work);

    /// <summary>
    /// A managed thread the profiler created and ran ForceGC on before it ran any managed code: the runtime then lets
    /// the profiler force GCs on it from inside ObjectAllocated. Work is handed to it one item at a time, with the
    /// caller's execution context (NUnit's test context flows with it). Static by nature: the profiler runs one per
    /// process, and its entry point (called from native code) can reach nothing else.
    /// </summary>
    private static class GcThread
    {
        private static readonly BlockingQueue Queue = new();
        private static Thread? _thread;
        private static delegate* unmanaged<int> _capableHere;
        private static int _capable;
        private static readonly ManualResetEventSlim Started = new();

        /// <summary>The GC thread, or null when the profiler could not start one, it did not start in time, or the
        /// runtime refused ForceGC on it (then every GC waits for the helper, and the bounds say what that cost).</summary>
        public static Thread? Start(delegate* unmanaged<delegate* unmanaged<void>, int> start, delegate* unmanaged<int> capable)
        {
            _capableHere = capable;
            if (start(&Entry) != 0 || !Started.Wait(TimeSpan.FromSeconds(30)) || _capable != 1)
                return null;
            return _thread;
        }

        [UnmanagedCallersOnly]
        private static unsafe void Entry()
        {
            _thread = Thread.CurrentThread;
            _thread.IsBackground = true;
            _capable = _capableHere();
            Started.Set();
            while (true)
                Queue.Take()();
        }

        public static T Run<T>(Func<T> work)
        {
            var context = ExecutionContext.Capture();
            T result = default!;
            ExceptionDispatchInfo? failure = null;
            // The caller waits on a monitor, not an event: ManualResetEventSlim creates its lock object the first time
            // it blocks, which would land in the pass as another thread's allocation (measured: one System.Object).
            var done = new Completion();
            Queue.Add(() =>
            {
                try
                {
                    if (context is null)
                        result = work();
                    else
                        ExecutionContext.Run(context, _ => result = work(), null);
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    done.Set();
                }
            });
            done.Wait();
            failure?.Throw();
            return result;
        }

        private sealed class Completion
        {
            private bool _done;

            public void Set()
            {
                lock (this)
                {
                    _done = true;
                    Monitor.Pulse(this);
                }
            }

            public void Wait()
            {
                lock (this)
                    while (!_done)
                        Monitor.Wait(this);
            }
        }
    }

    /// <summary>A minimal blocking queue (one consumer: the GC thread).</summary>
    private sealed class BlockingQueue
    {
        private readonly Queue<Action> _items = new();

        public void Add(Action item)
        {
            lock (_items)
            {
                _items.Enqueue(item);
                Monitor.Pulse(_items);
            }
        }

        public Action Take()
        {
            lock (_items)
            {
                while (_items.Count == 0)
                    Monitor.Wait(_items);
                return _items.Dequeue();
            }
        }
    }
}
