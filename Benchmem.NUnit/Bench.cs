using System.Reflection;
using System.Runtime.CompilerServices;
using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using Benchmem.NUnit.Commands.Stages;
using Benchmem.NUnit.Session;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit;

/// <summary>Calls a benchmark test can make about itself.</summary>
public static class Bench
{
    /// <summary>
    /// Adds an analysis axis to the current benchmark, e.g. <c>Bench.Dim("phase", "to_lp")</c>. Values must be
    /// scalars (numbers, strings, bools, enums); the last value given for a name wins.
    /// </summary>
    public static void Dim(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Identity.TryScalar(value, out var scalar))
            throw new ArgumentException($"Bench.Dim(\"{name}\", …): a {value!.GetType().Name} is not a scalar; pass a number, string, bool or enum that stands for it.", nameof(value));
        var test = TestExecutionContext.CurrentContext.CurrentTest;
        BenchmemSession.For(test.TypeInfo?.Assembly ?? Assembly.GetCallingAssembly()).Dims.Set(test.Id, name, scalar);
    }

    /// <summary>
    /// Records a number of the benchmark's own — rows parsed, cache hits, a compression ratio — shown as a column of the
    /// run's table and written to the results file (Benchmem.Metrics), then compared, gated and plotted as
    /// <c>metric.NAME</c> like the built-in metrics (<c>metric.rows:10%</c>, <c>--columns metric.rows</c>). The last value
    /// given for a name wins; call it in the test (for Bench.Run, before the call). Inside a [Benchmark] body it runs on
    /// every timed call too (no allocation after the first, but ~100 ns): give it from [SetUp] or a value computed once
    /// where that matters.
    /// </summary>
    public static void Metric(string name, double value)
    {
        if (Core.Compare.MetricField.CustomNameProblem(name) is { } problem)
            throw new ArgumentException($"Bench.Metric: {problem}.", nameof(name));
        if (Core.Compare.Metric.TryParseField(name, out _))
            throw new ArgumentException($"Bench.Metric(\"{name}\", …): {name} is a built-in metric's name; give yours another (e.g. my_{name}).", nameof(name));
        if (!double.IsFinite(value))
            throw new ArgumentException($"Bench.Metric(\"{name}\", {value}): the value must be a finite number.", nameof(value));
        var test = TestExecutionContext.CurrentContext.CurrentTest;
        BenchmemSession.For(test.TypeInfo?.Assembly ?? Assembly.GetCallingAssembly()).Metrics.Set(test.Id, name, value);
    }

    /// <summary>
    /// Keeps a value alive so the JIT cannot drop the work that made it. Use it in void benchmarks, e.g. in
    /// [TestCase] rows when the project opts out of Benchmem's return-value support.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Consume<T>(T value) => Sink<T>.Value = value; // a static store per type: no boxing, no allocation

    private static class Sink<T>
    {
        public static T? Value;
    }

    /// <summary>
    /// Benchmarks <paramref name="action"/> inside any test (pytest-benchmark's <c>benchmark(fn)</c>): timed like
    /// [Benchmark], recorded under the test's id, with memory passes when <paramref name="memory"/> is given or
    /// Benchmem.Enabled=true. Ceilings and errors fail the test. Returns what was measured (the timing rounds and their
    /// statistics, <c>Timing.Summary</c>; the memory passes, <c>Memory</c>) for the test's own assertions; null under
    /// Benchmem.Disable=true, which measures nothing.
    /// </summary>
    public static BenchmarkRecord? Run(Action action, double? maxTime = null, MemoryOptions? memory = null, string? group = null) =>
        Measure(BenchmarkInvoker.ForDelegate(action), null, maxTime, memory, group);

    /// <summary>As <see cref="Run(Action, double, MemoryOptions?, string?)"/>; the result is kept alive, and returned from one call.</summary>
    public static T Run<T>(Func<T> action, double? maxTime = null, MemoryOptions? memory = null, string? group = null)
    {
        Measure(BenchmarkInvoker.ForDelegate(action), null, maxTime, memory, group);
        return action();
    }

    /// <summary>
    /// pytest-benchmark's pedantic form: <paramref name="setup"/> builds fresh state, untimed and unmeasured, before
    /// every timed round (one call each) and every memory pass; <paramref name="action"/> works on it.
    /// </summary>
    /// <returns>What was measured, as <see cref="Run(Action, double?, MemoryOptions?, string?)"/> returns it.</returns>
    public static BenchmarkRecord? Run<TState>(Func<TState> setup, Action<TState> action, double? maxTime = null, MemoryOptions? memory = null, string? group = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        TState state = default!;
        return Measure(BenchmarkInvoker.ForDelegate(() => action(state)), () => state = setup(), maxTime, memory, group);
    }

    private static BenchmarkRecord? Measure(BenchmarkInvoker invoker, Action? setup, double? maxTime, MemoryOptions? memory, string? group)
    {
        var context = TestExecutionContext.CurrentContext;
        var test = context.CurrentTest;
        var method = test.Method?.MethodInfo
            ?? throw new InvalidOperationException("Bench.Run must be called inside an NUnit test method.");
        if (method.IsDefined(typeof(BenchmarkAttribute), false))
            throw new InvalidOperationException("Bench.Run inside a [Benchmark] test would be timed by it: use [Benchmark] or Bench.Run, not both.");
        var session = BenchmemSession.For(method.DeclaringType!.Assembly);
        var settings = session.Settings;
        if (settings.Disable)
        {
            setup?.Invoke();
            invoker.Loop(1);
            return null;
        }
        var (plan, error) = PlanStage.Plan(settings, PlanStage.TimingFor(maxTime, settings), null, group);
        if (plan is null)
            throw new ArgumentException(error);
        if (memory is not null)
        {
            memory.Validate();
            plan = plan with { Memory = memory };
        }
        var scratch = test.MakeTestResult();
        var benchmark = new BenchmarkCase(context, () => invoker, setup, Identity.Of(test, method, test.Arguments), method.DeclaringType!.Assembly);
        BenchmarkRecord? record = null;
        if (!session.Watchdog.Run(settings.Timeout, () => record = new BenchmarkPipeline(session).Run(benchmark, plan, scratch)))
            throw new AssertionException(Watchdog.Message(settings.Timeout!.Value));
        if (scratch.ResultState.Status == TestStatus.Failed)
            throw new AssertionException(scratch.Message);
        return record;
    }
}
