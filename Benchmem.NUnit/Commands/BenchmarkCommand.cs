using System.Reflection;
using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.Core.Timing;
using Benchmem.NUnit.Reporting;
using Benchmem.NUnit.Session;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit.Commands;

/// <summary>
/// Runs the test once through NUnit (assertions, ExpectedResult), then times the method body through a
/// delegate bound to the fixture instance and arguments — NUnit's inner command costs ~1 µs and 40 B a call —
/// then counts its allocations, and records the benchmark.
/// </summary>
internal sealed class BenchmarkCommand(TestCommand inner, BenchmarkAttribute attribute) : DelegatingTestCommand(inner)
{
    public override TestResult Execute(TestExecutionContext context)
    {
        BenchmemSettings settings;
        try
        {
            settings = BenchmemRun.Settings;
        }
        catch (BenchmemSettingsException e)
        {
            context.CurrentResult.SetResult(ResultState.Failure, e.Message);
            return context.CurrentResult;
        }
        if (settings.Disable)
            return innerCommand.Execute(context);

        context.CurrentResult = innerCommand.Execute(context);
        if (context.CurrentResult.ResultState.Status != TestStatus.Passed)
            return context.CurrentResult; // a failing test is not benchmarked

        var test = context.CurrentTest;
        var options = attribute.TimingOptions;
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            Fail(context.CurrentResult, $"[Benchmark({e.ParamName} = {e.ActualValue})] is out of range: {FirstLine(e.Message)}");
            return context.CurrentResult;
        }

        var method = test.Method!.MethodInfo;
        var arguments = Arguments(method, test.Arguments, context);
        lock (BenchmemRun.BenchmarkLock)
        {
            bool company = ParallelRun.OthersRunning;
            var (timing, allocation, failure) = Measure(context, method, arguments, options);
            company |= ParallelRun.OthersRunning;
            if (failure is not null)
            {
                Fail(context.CurrentResult, $"Benchmem: the benchmark threw while it was being timed: {failure.GetType().Name}: {failure.Message}",
                    failure.StackTrace);
                return context.CurrentResult;
            }
            var parts = Identity.Of(test, method, arguments);
            foreach (var (name, value) in Bench.TakeDims(test.Id))
                parts.Dims[name] = value;
            var assembly = method.DeclaringType!.Assembly;
            var record = new BenchmarkRecord
            {
                Namespace = parts.Namespace,
                Type = parts.Type,
                Method = parts.Method,
                Parameters = parts.Parameters,
                FullName = parts.FullName,
                Group = attribute.Group,
                Dims = parts.Dims,
                Timing = timing,
                Allocation = allocation,
                Optimized = Optimization.IsOptimized(assembly),
            };
            BenchmemRun.Add(assembly, record);
            if (company)
            {
                BenchmemRun.MarkParallel();
                ParallelRun.WarnOnce();
            }
            context.CurrentResult.OutWriter.WriteLine(ConsoleReport.Summary(record));
        }
        return context.CurrentResult;
    }

    /// <summary>Timed rounds then the allocation pass, against a throw-away result so test output is not repeated.</summary>
    private static (TimingResult?, AllocationResult?, Exception?) Measure(
        TestExecutionContext context, MethodInfo method, object?[] arguments, TimingOptions options)
    {
        var original = context.CurrentResult;
        var syncContext = SynchronizationContext.Current;
        context.CurrentResult = context.CurrentTest.MakeTestResult();
        // Async benchmarks are awaited synchronously in the loop; no context to post continuations back to.
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var invoker = BenchmarkInvoker.ForMethod(method.IsStatic ? null : context.TestObject, method, arguments);
            var timing = TimingEngine.Run(invoker, options);
            var allocation = AllocationPass.Run(invoker, timing.IterationsPerRound);
            return (timing, allocation, null);
        }
        catch (Exception e)
        {
            return (null, null, e is TargetInvocationException { InnerException: { } inner } ? inner : e);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(syncContext);
            context.CurrentResult = original;
        }
    }

    /// <summary>The values NUnit passed: omitted optionals get their defaults, a trailing CancellationToken the test's.</summary>
    private static object?[] Arguments(MethodInfo method, object?[] given, TestExecutionContext context)
    {
        var parameters = method.GetParameters();
        var args = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i < given.Length && given[i] is not System.Reflection.Missing)
                args[i] = given[i];
            else if (parameters[i].ParameterType == typeof(CancellationToken))
                args[i] = context.CancellationToken;
            else if (parameters[i].HasDefaultValue)
                args[i] = parameters[i].DefaultValue;
        }
        return args;
    }

    private static void Fail(TestResult result, string message, string? stackTrace = null) =>
        result.SetResult(ResultState.Failure, message, stackTrace);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
