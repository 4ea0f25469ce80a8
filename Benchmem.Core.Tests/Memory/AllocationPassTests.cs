using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Tests.Memory;

public class AllocationPassTests
{
    private const int OneMiB = 1 << 20;

    // Returned, so the array escapes and the JIT cannot stack-allocate or drop it.
    public static byte[] Allocate1000Bytes() => new byte[1000];

    public static object AllocateObject() => new object();

    public static int NoAllocation(int a, int b) => a * b + 1;

    // A thread of its own, not Task.Run(...).Wait(): Wait may run a task that has not started yet inline, on this
    // thread (seen as a flaky failure on a loaded machine).
    public static void AllocateOneMiBOnAnotherThread()
    {
        var thread = new Thread(() => GC.KeepAlive(new byte[OneMiB]));
        thread.Start();
        thread.Join();
    }

    private static BenchmarkInvoker For(string name, params object?[] arguments) =>
        BenchmarkInvoker.ForMethod(null, typeof(AllocationPassTests).GetMethod(name)!, arguments);

    [Test]
    public void ByteArrayOf1000_Is1024BytesPerOperation()
    {
        // 1000 bytes of payload + 24 bytes of array header (method table, sync block, length) on 64-bit.
        var result = AllocationPass.Run(For(nameof(Allocate1000Bytes)), 1000);

        Assert.That(result.BytesAllocatedPerOperation, Is.EqualTo(1024));
        Assert.That(result.TotalOperations, Is.EqualTo(1000));
        Assert.That(result.MultiThreaded, Is.False);
    }

    [Test]
    public void PlainObject_Is24BytesPerOperation()
    {
        var result = AllocationPass.Run(For(nameof(AllocateObject)), 500);

        Assert.That(result.BytesAllocatedPerOperation, Is.EqualTo(24));
        Assert.That(result.MultiThreaded, Is.False);
    }

    [Test]
    public void NonAllocatingMethod_IsZero_WithNoCollections()
    {
        var result = AllocationPass.Run(For(nameof(NoAllocation), 6, 7), 100_000);

        Assert.That(result.BytesAllocatedPerOperation, Is.EqualTo(0));
        Assert.That(result.TotalOperations, Is.EqualTo(100_000));
        Assert.That(result.Gen0Collections, Is.EqualTo(0));
        Assert.That(result.Gen1Collections, Is.EqualTo(0));
        Assert.That(result.Gen2Collections, Is.EqualTo(0));
        Assert.That(result.MultiThreaded, Is.False);
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void NoOperations_CountsAsOne(long operations)
    {
        var result = AllocationPass.Run(For(nameof(Allocate1000Bytes)), operations);

        Assert.That(result.TotalOperations, Is.EqualTo(1));
        Assert.That(result.BytesAllocatedPerOperation, Is.EqualTo(1024));
    }

    [Test]
    public void AllocationOnAnotherThread_IsFlaggedMultiThreaded_AndCounted()
    {
        var invoker = For(nameof(AllocateOneMiBOnAnotherThread));
        invoker.Loop(1); // as in a real run, timing has warmed it: the types it uses are loaded

        var result = AllocationPass.Run(invoker, 16);

        Assert.That(result.MultiThreaded, Is.True);
        Assert.That(result.TotalOperations, Is.EqualTo(16));
        // The 1 MiB array (+24 B header) on the other thread and the Thread object on the calling one; the all-threads total
        // also carries other threads' runtime noise, which the pass itself tolerates up to MultiThreadedSlackBytes.
        Assert.That(result.BytesAllocatedPerOperation, Is.InRange(OneMiB + 24, OneMiB + AllocationPass.MultiThreadedSlackBytes));
    }

    [Test]
    public void AllocationOnAnotherThread_IsInvisibleToTheCurrentThreadCounter()
    {
        // Why the all-threads total is needed: the per-thread counter alone sees only the Thread object.
        var invoker = For(nameof(AllocateOneMiBOnAnotherThread));
        invoker.Loop(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        invoker.Loop(4);
        long perOperation = (GC.GetAllocatedBytesForCurrentThread() - before) / 4;

        Assert.That(perOperation, Is.LessThan(1024));
    }
}
