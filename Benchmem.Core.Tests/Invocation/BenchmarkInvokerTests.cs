using System.Reflection;
using Benchmem.Core.Invocation;

namespace Benchmem.Core.Tests.Invocation;

public class BenchmarkInvokerTests
{
    /// <summary>Stands in for a benchmark fixture; every method counts its calls.</summary>
    public sealed class Fixture
    {
        public int Calls;
        public static int StaticCalls;

        public int Increment() => ++Calls;
        public void Touch() => Calls++;
        public int AddInts(int a, int b) { Calls++; return a + b; }
        public static long StaticAdd(long a, long b) { StaticCalls++; return a + b; }
        public string Join(string[] parts, string separator) { Calls++; return string.Join(separator, parts); }
        public double Length(Point p) { Calls++; return Math.Sqrt(p.X * p.X + p.Y * p.Y); }
        public string Describe(int? value, string? label) { Calls++; return $"{label ?? "none"}:{value?.ToString() ?? "null"}"; }
        public string Repeat(string text, int times = 3) { Calls++; return string.Concat(Enumerable.Repeat(text, times)); }
        public T Echo<T>(T value) { Calls++; return value; }
        public void ByRef(ref int value) => value++;
        public void Out(out int value) => value = 1;
        public void Throws() => throw new InvalidOperationException("boom");
        private static readonly int[] Data = [1, 2, 3];
        private int _field;
        public Span<int> SpanReturn() { Calls++; return Data.AsSpan(1); }
        public ReadOnlySpan<char> ReadOnlySpanReturn() { Calls++; return "abc".AsSpan(1); }
        public ref int RefReturn() { Calls++; return ref _field; }

        public async Task YieldTask() { await Task.Yield(); Interlocked.Increment(ref Calls); }
        public async Task<int> YieldTaskOfInt() { await Task.Yield(); return Interlocked.Increment(ref Calls); }
        public async ValueTask YieldValueTask() { await Task.Yield(); Interlocked.Increment(ref Calls); }
        public async ValueTask<int> YieldValueTaskOfInt() { await Task.Yield(); return Interlocked.Increment(ref Calls); }
        public async Task ThrowsAfterAwait() { await Task.Yield(); throw new FormatException("late boom"); }
        public Task<string> CompletedTask() { Calls++; return Task.FromResult("done"); }
    }

    public readonly record struct Point(double X, double Y);

    private Fixture _fixture = null!;

    [SetUp]
    public void NewFixture()
    {
        _fixture = new Fixture();
        Fixture.StaticCalls = 0;
    }

    private static MethodInfo Method(string name) => typeof(Fixture).GetMethod(name)!;

    private BenchmarkInvoker For(string name, params object?[] arguments) =>
        BenchmarkInvoker.ForMethod(_fixture, Method(name), arguments);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1000)]
    public void Loop_CallsTheMethodExactlyNTimes(int n)
    {
        var invoker = For(nameof(Fixture.Increment));

        invoker.Loop(n);

        Assert.That(_fixture.Calls, Is.EqualTo(n));
    }

    [Test]
    public void OverheadLoop_NeverCallsTheMethod()
    {
        var invoker = For(nameof(Fixture.Increment));

        invoker.OverheadLoop(1000);

        Assert.That(_fixture.Calls, Is.EqualTo(0));
        Assert.That(invoker.LastResult, Is.EqualTo(0), "the overhead loop stores into its own sink");
    }

    [Test]
    public void LastResult_HoldsTheLastReturnValue()
    {
        var invoker = For(nameof(Fixture.Increment));

        invoker.Loop(7);
        invoker.OverheadLoop(100);

        Assert.That(invoker.LastResult, Is.TypeOf<int>().And.EqualTo(7));
    }

    [Test]
    public void VoidMethod_IsCalled_AndHasNoResult()
    {
        var invoker = For(nameof(Fixture.Touch));

        invoker.Loop(5);

        Assert.That(_fixture.Calls, Is.EqualTo(5));
        Assert.That(invoker.LastResult, Is.Null);
    }

    [Test]
    public void Description_NamesTypeAndMethod()
    {
        Assert.That(For(nameof(Fixture.Increment)).Description, Is.EqualTo("Fixture.Increment"));
    }

    [Test]
    public void StaticMethod_WithValueTypeArguments()
    {
        var invoker = BenchmarkInvoker.ForMethod(null, Method(nameof(Fixture.StaticAdd)), [40L, 2L]);

        invoker.Loop(3);

        Assert.That(Fixture.StaticCalls, Is.EqualTo(3));
        Assert.That(invoker.LastResult, Is.TypeOf<long>().And.EqualTo(42L));
    }

    [Test]
    public void StaticMethod_IgnoresAGivenInstance()
    {
        var invoker = BenchmarkInvoker.ForMethod(_fixture, Method(nameof(Fixture.StaticAdd)), [1L, 2L]);

        invoker.Loop(1);

        Assert.That(invoker.LastResult, Is.EqualTo(3L));
    }

    [Test]
    public void InstanceMethod_WithValueTypeArguments()
    {
        var invoker = For(nameof(Fixture.AddInts), 40, 2);

        invoker.Loop(4);

        Assert.That(_fixture.Calls, Is.EqualTo(4));
        Assert.That(invoker.LastResult, Is.EqualTo(42));
    }

    [Test]
    public void ReferenceTypeArguments()
    {
        var invoker = For(nameof(Fixture.Join), new[] { "a", "b", "c" }, "-");

        invoker.Loop(2);

        Assert.That(_fixture.Calls, Is.EqualTo(2));
        Assert.That(invoker.LastResult, Is.EqualTo("a-b-c"));
    }

    [Test]
    public void StructArgument()
    {
        var invoker = For(nameof(Fixture.Length), new Point(3, 4));

        invoker.Loop(1);

        Assert.That(invoker.LastResult, Is.EqualTo(5.0));
    }

    [TestCase(5, "x", "x:5")]
    [TestCase(null, "x", "x:null")]
    [TestCase(5, null, "none:5")]
    [TestCase(null, null, "none:null")]
    public void NullableAndNullArguments(int? value, string? label, string expected)
    {
        var invoker = For(nameof(Fixture.Describe), value, label);

        invoker.Loop(1);

        Assert.That(invoker.LastResult, Is.EqualTo(expected));
    }

    [Test]
    public void OptionalParameter_TakesTheGivenValue()
    {
        // NUnit fills omitted optional arguments in before the invoker sees them, so the invoker gets them all.
        var explicitValue = For(nameof(Fixture.Repeat), "ab", 2);
        var defaultValue = For(nameof(Fixture.Repeat), "ab", Method(nameof(Fixture.Repeat)).GetParameters()[1].DefaultValue);

        explicitValue.Loop(1);
        defaultValue.Loop(1);

        Assert.That(explicitValue.LastResult, Is.EqualTo("abab"));
        Assert.That(defaultValue.LastResult, Is.EqualTo("ababab"));
    }

    [Test]
    public void ClosedGenericMethod_IsInvoked()
    {
        var invoker = BenchmarkInvoker.ForMethod(_fixture, Method(nameof(Fixture.Echo)).MakeGenericMethod(typeof(int)), [17]);

        invoker.Loop(2);

        Assert.That(_fixture.Calls, Is.EqualTo(2));
        Assert.That(invoker.LastResult, Is.EqualTo(17));
    }

    [Test]
    public void ArgumentsAreReadEveryCall_NotCapturedOnce()
    {
        var list = new List<int>();
        var invoker = BenchmarkInvoker.ForDelegate(() => { list.Add(list.Count); return list.Count; });

        invoker.Loop(3);

        Assert.That(list, Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(invoker.LastResult, Is.EqualTo(3));
    }

    [TestCase(nameof(Fixture.YieldTask))]
    [TestCase(nameof(Fixture.YieldValueTask))]
    public void AsyncWithoutResult_IsAwaitedEveryCall(string name)
    {
        var invoker = For(name);

        invoker.Loop(50);

        Assert.That(Volatile.Read(ref _fixture.Calls), Is.EqualTo(50), "every call completed before Loop returned");
        Assert.That(invoker.LastResult, Is.Null);
    }

    [TestCase(nameof(Fixture.YieldTaskOfInt))]
    [TestCase(nameof(Fixture.YieldValueTaskOfInt))]
    public void AsyncWithResult_IsAwaited_AndKeepsTheAwaitedValue(string name)
    {
        var invoker = For(name);

        invoker.Loop(50);

        Assert.That(Volatile.Read(ref _fixture.Calls), Is.EqualTo(50));
        Assert.That(invoker.LastResult, Is.TypeOf<int>().And.EqualTo(50), "the result is the awaited value, not the task");
    }

    [Test]
    public void CompletedTask_ResultIsTheValue()
    {
        var invoker = For(nameof(Fixture.CompletedTask));

        invoker.Loop(3);

        Assert.That(_fixture.Calls, Is.EqualTo(3));
        Assert.That(invoker.LastResult, Is.EqualTo("done"));
    }

    [Test]
    public void Exception_PropagatesUnchanged()
    {
        var invoker = For(nameof(Fixture.Throws));

        var ex = Assert.Throws<InvalidOperationException>(() => invoker.Loop(1));

        Assert.That(ex!.Message, Is.EqualTo("boom"));
    }

    [Test]
    public void ExceptionAfterAwait_PropagatesUnchanged()
    {
        var invoker = For(nameof(Fixture.ThrowsAfterAwait));

        var ex = Assert.Throws<FormatException>(() => invoker.Loop(1));

        Assert.That(ex!.Message, Is.EqualTo("late boom"));
    }

    [Test]
    public void OpenGenericMethod_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => For(nameof(Fixture.Echo), 1));

        Assert.That(ex!.Message, Is.EqualTo("Echo is an open generic method: give its type arguments (e.g. through [TestCase])."));
    }

    [TestCase(nameof(Fixture.ByRef))]
    [TestCase(nameof(Fixture.Out))]
    public void RefAndOutParameters_AreRejected(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => For(name, 1));

        Assert.That(ex!.Message, Is.EqualTo($"{name} has ref/out parameters, which a benchmark cannot take: pass values instead."));
    }

    [Test]
    public void WrongArgumentCount_IsRejected()
    {
        var tooFew = Assert.Throws<ArgumentException>(() => For(nameof(Fixture.AddInts), 1));
        var tooMany = Assert.Throws<ArgumentException>(() => For(nameof(Fixture.Increment), 1));
        var optionalOmitted = Assert.Throws<ArgumentException>(() => For(nameof(Fixture.Repeat), "ab"));

        Assert.That(tooFew!.Message, Is.EqualTo("AddInts takes 2 arguments but 1 were given."));
        Assert.That(tooMany!.Message, Is.EqualTo("Increment takes 0 arguments but 1 were given."));
        Assert.That(optionalOmitted!.Message, Is.EqualTo("Repeat takes 2 arguments but 1 were given."));
    }

    [TestCase(nameof(Fixture.SpanReturn))]
    [TestCase(nameof(Fixture.ReadOnlySpanReturn))]
    public void RefStructReturns_AreInvoked(string name)
    {
        var invoker = For(name);

        invoker.Loop(3);

        Assert.That(_fixture.Calls, Is.EqualTo(3));
    }

    [Test]
    public void ByRefReturn_IsRejectedClearly()
    {
        var ex = Assert.Throws<ArgumentException>(() => For(nameof(Fixture.RefReturn)));
        Assert.That(ex!.Message, Is.EqualTo("RefReturn returns by reference (Int32&), which a benchmark cannot: return the value instead."));
    }

    [Test]
    public void WrongArgumentType_IsRejectedClearly()
    {
        var ex = Assert.Catch(() => For(nameof(Fixture.AddInts), "x", 2));

        Assert.That(ex, Is.InstanceOf<ArgumentException>());
        Assert.That(ex!.Message, Does.Contain("AddInts").And.Contain("a"));
    }

    [Test]
    public void InstanceMethodWithoutInstance_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BenchmarkInvoker.ForMethod(null, Method(nameof(Fixture.Increment)), []));

        Assert.That(ex!.Message, Is.EqualTo("Increment is an instance method but no fixture instance was given."));
    }

    [Test]
    public void ForDelegate_Action_IsCalledNTimes()
    {
        int calls = 0;
        var invoker = BenchmarkInvoker.ForDelegate(() => { calls++; });

        invoker.Loop(9);
        invoker.OverheadLoop(100);

        Assert.That(calls, Is.EqualTo(9));
        Assert.That(invoker.LastResult, Is.Null);
    }

    [Test]
    public void ForDelegate_Func_KeepsTheLastResult()
    {
        int calls = 0;
        var invoker = BenchmarkInvoker.ForDelegate(() => ++calls * 10);

        invoker.Loop(4);

        Assert.That(calls, Is.EqualTo(4));
        Assert.That(invoker.LastResult, Is.EqualTo(40));
    }

    [Test]
    public void ForDelegate_AsyncFuncs_AreAwaited()
    {
        int calls = 0;
        var task = BenchmarkInvoker.ForDelegate(async () => { await Task.Yield(); Interlocked.Increment(ref calls); });
        var valueTask = BenchmarkInvoker.ForDelegate(async ValueTask<int> () => { await Task.Yield(); return Interlocked.Increment(ref calls); });

        task.Loop(20);
        Assert.That(Volatile.Read(ref calls), Is.EqualTo(20));
        valueTask.Loop(20);
        Assert.That(Volatile.Read(ref calls), Is.EqualTo(40));
        Assert.That(valueTask.LastResult, Is.EqualTo(40));
    }

    [Test]
    public void ForDelegate_ExceptionPropagatesUnchanged()
    {
        var invoker = BenchmarkInvoker.ForDelegate(new Action(() => throw new ArithmeticException("delegate boom")));

        var ex = Assert.Throws<ArithmeticException>(() => invoker.Loop(1));

        Assert.That(ex!.Message, Is.EqualTo("delegate boom"));
    }

    [Test]
    public void ForDelegate_WithParameters_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BenchmarkInvoker.ForDelegate(new Action<int>(_ => { })));

        Assert.That(ex!.Message, Is.EqualTo("Bench.Run takes a delegate without parameters: capture the inputs in a lambda."));
    }

    private static long AllocatedBy(Action<long> loop, long n)
    {
        loop(1); // warm: first-call costs (JIT, type loads) are not the loop's
        long before = GC.GetAllocatedBytesForCurrentThread();
        loop(n);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void Loops_AllocateNothing_ForANonAllocatingMethod()
    {
        var instance = For(nameof(Fixture.AddInts), 1, 2);
        var noArgs = For(nameof(Fixture.Increment));
        var isStatic = BenchmarkInvoker.ForMethod(null, Method(nameof(Fixture.StaticAdd)), [1L, 2L]);

        Assert.Multiple(() =>
        {
            Assert.That(AllocatedBy(instance.Loop, 10_000), Is.EqualTo(0), "instance Loop");
            Assert.That(AllocatedBy(instance.OverheadLoop, 10_000), Is.EqualTo(0), "instance OverheadLoop");
            Assert.That(AllocatedBy(noArgs.Loop, 10_000), Is.EqualTo(0), "no-argument Loop");
            Assert.That(AllocatedBy(noArgs.OverheadLoop, 10_000), Is.EqualTo(0), "no-argument OverheadLoop");
            Assert.That(AllocatedBy(isStatic.Loop, 10_000), Is.EqualTo(0), "static Loop");
            Assert.That(AllocatedBy(isStatic.OverheadLoop, 10_000), Is.EqualTo(0), "static OverheadLoop");
        });
        Assert.That(instance.LastResult, Is.EqualTo(3));
    }

    [Test]
    public void Loops_AllocateNothing_ForANonAllocatingDelegate()
    {
        var invoker = BenchmarkInvoker.ForDelegate(static () => 42);

        Assert.That(AllocatedBy(invoker.Loop, 10_000), Is.EqualTo(0));
        Assert.That(AllocatedBy(invoker.OverheadLoop, 10_000), Is.EqualTo(0));
    }
}
