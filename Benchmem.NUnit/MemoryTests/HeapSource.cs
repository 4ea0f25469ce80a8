using Benchmem.Core.Heaps;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// Where a process's heap numbers come from, chosen once: the profiler in the memory host (census at a full GC's heap walk,
/// allocations by type), else the runtime's heap dump in process (census only). A check point's own work (the census, its
/// arrays) is left out of the traffic: the thread is paused in the profiler's by-type table while it runs.
/// </summary>
internal sealed class HeapSource
{
    private readonly ProfilerHeap? _profiler;
    private readonly string? _whyNoTraffic;
    private int _points;

    private HeapSource(ProfilerHeap? profiler, string? whyNoTraffic)
    {
        _profiler = profiler;
        _whyNoTraffic = whyNoTraffic;
    }

    public static HeapSource Open() =>
        ProfilerHeap.TryOpen(out var reason) is { } profiler ? new HeapSource(profiler, null) : new HeapSource(null, reason);

    public string Description => _profiler is not null ? "memory host (profiler)" : "in process (runtime heap dump)";

    public bool CountsAllocations => _profiler is not null;

    public MemoryCheckPoint Take()
    {
        lock (this)
        {
            int number = ++_points;
            if (_profiler is not { } p)
            {
                List<TypeCount> live;
                try
                {
                    live = EventPipeHeap.Census();
                }
                catch (InvalidOperationException e)
                {
                    throw new MemoryTestException($"Heap.Check could not read the live heap: {e.Message}");
                }
                return new MemoryCheckPoint(number, live, null, null);
            }
            p.Pause(true);
            try
            {
                var census = p.Census();
                long mark = p.Mark();
                if (mark < 0)
                    throw new MemoryTestException("Heap.Check: the profiler holds no more check points (4,096 per process); take fewer in one run.");
                return new MemoryCheckPoint(number, census.Live, mark, census);
            }
            finally
            {
                p.Pause(false);
            }
        }
    }

    /// <summary>After a memory test: its check points' object tracking ends (a later test's check points start their own).</summary>
    public void EndTest()
    {
        lock (this)
            _profiler?.EndDifferences();
    }

    /// <summary>Allocations by type between two check points, or the failure naming the fix.</summary>
    public IReadOnlyList<TypeCount> Allocations(MemoryCheckPoint from, MemoryCheckPoint to, string what)
    {
        if (_profiler is not { } p || from.Mark is not { } a || to.Mark is not { } b)
            throw new MemoryTestException(
                $"{what} needs every allocation counted, which only the memory host's profiler does, and this test runs in process ({_whyNoTraffic}). "
                + "Mark the test [MemoryTest] (or [AssertTraffic]) so it runs in the memory host, with Benchmem.Host=auto (the default) on a platform "
                + "the package ships the profiler for (linux-x64; linux-arm64 and win-x64 when packed with the cross compilers). Live-object queries "
                + "(GetObjects, GroupByType) work in process too.");
        if (b < a)
            throw new MemoryTestException($"{what}: {from} was taken after {to}; pass the earlier check point.");
        return p.Between(a, b);
    }
}
