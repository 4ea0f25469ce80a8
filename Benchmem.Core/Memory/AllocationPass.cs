using Benchmem.Core.Invocation;
using Benchmem.Core.Results;

namespace Benchmem.Core.Memory;

/// <summary>
/// The always-on, cheap memory numbers (BenchmarkDotNet's MemoryDiagnoser): bytes allocated per operation
/// and GC counts over one untimed pass of the calibrated loop. The per-thread counter is exact for
/// single-threaded code; when all threads together allocated noticeably more, the code allocates on other
/// threads too and the all-threads total is reported instead, flagged.
/// </summary>
public static class AllocationPass
{
    /// <summary>All-thread totals carry some runtime noise (tiering, timers); above this the code itself is multi-threaded.</summary>
    public const long MultiThreadedSlackBytes = 64 * 1024;

    /// <summary>Counts over <paramref name="operations"/> calls; with <paramref name="setup"/>, one call after the setup.</summary>
    public static AllocationResult Run(BenchmarkInvoker invoker, long operations, Action? setup = null)
    {
        operations = setup is null ? Math.Max(1, operations) : 1;
        setup?.Invoke();
        var (loopThread, loopTotal, g0, g1, g2) = Count(invoker.Loop, operations);
        var (idleThread, idleTotal, _, _, _) = Count(invoker.OverheadLoop, operations);
        long thread = Math.Max(0, loopThread - idleThread);
        long total = Math.Max(0, loopTotal - idleTotal);
        bool multiThreaded = total - thread > MultiThreadedSlackBytes;
        long bytes = multiThreaded ? total : thread;
        return new AllocationResult
        {
            TotalOperations = operations,
            BytesAllocatedPerOperation = (long)Math.Round((double)bytes / operations),
            Gen0Collections = g0,
            Gen1Collections = g1,
            Gen2Collections = g2,
            MultiThreaded = multiThreaded,
        };
    }

    private static (long Thread, long Total, int Gen0, int Gen1, int Gen2) Count(Action<long> loop, long operations)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        long total0 = GC.GetTotalAllocatedBytes(precise: true);
        long thread0 = GC.GetAllocatedBytesForCurrentThread();
        loop(operations);
        long thread1 = GC.GetAllocatedBytesForCurrentThread();
        long total1 = GC.GetTotalAllocatedBytes(precise: true);
        return (thread1 - thread0, total1 - total0,
            GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
    }
}
