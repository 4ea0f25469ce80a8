using System.Reflection;
using Benchmem.Core.Errors;
using Benchmem.Core.Invocation;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Session;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit.Commands;

/// <summary>
/// Runs the test once through NUnit (assertions, ExpectedResult), then times the method body through a
/// delegate bound to the fixture instance and arguments — NUnit's inner command costs ~1 µs and 40 B a call —
/// then counts its allocations, takes the memory passes when asked, and records the benchmark.
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
        if (settings.Timeout is not { } limit)
            return ExecuteAndMeasure(context, settings);

        TestResult? finished = null;
        if (Watchdog.Run(limit, () => finished = ExecuteAndMeasure(context, settings)))
            return finished!;
        var abandoned = context.CurrentTest.MakeTestResult();
        abandoned.SetResult(ResultState.Failure, Watchdog.Message(limit));
        context.CurrentResult = abandoned;
        return abandoned;
    }

    /// <summary>The test once through NUnit, then, when it passed, the measurements.</summary>
    private TestResult ExecuteAndMeasure(TestExecutionContext context, BenchmemSettings settings)
    {
        context.CurrentResult = innerCommand.Execute(context);
        if (context.CurrentResult.ResultState.Status != TestStatus.Passed)
            return context.CurrentResult; // a failing test is not benchmarked

        var test = context.CurrentTest;
        var method = test.Method!.MethodInfo;
        var benchMem = method.GetCustomAttribute<BenchMemAttribute>(inherit: false);
        var (plan, error) = BenchmarkRunner.Plan(settings, attribute.TimingOptionsFor(settings), benchMem, attribute.Group);
        if (plan is null)
        {
            context.CurrentResult.SetResult(ResultState.Failure, error!);
            return context.CurrentResult;
        }
        var arguments = Arguments(method, test.Arguments, context.CancellationToken);
        var target = method.IsStatic ? null : context.TestObject;
        var identity = Identity.Of(test, method, arguments);
        BenchmarkInvoker Invoker() => BenchmarkInvoker.ForMethod(target, method, arguments);
        if (MemoryHost.IsChild)
            BenchmarkRunner.RunInMemoryHost(context, Invoker, plan, identity, method);
        else
            BenchmarkRunner.Run(context, context.CurrentResult, Invoker, setup: null, plan, identity, method.DeclaringType!.Assembly);
        return context.CurrentResult;
    }

    /// <summary>The values NUnit passed: omitted optionals get their defaults, a trailing CancellationToken the test's.</summary>
    /// <summary>The call's arguments: the test case's, then a cancellation token and the parameters' defaults.</summary>
    internal static object?[] Arguments(MethodInfo method, object?[] given, CancellationToken cancellation)
    {
        var parameters = method.GetParameters();
        var args = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i < given.Length && given[i] is not System.Reflection.Missing)
                args[i] = given[i];
            else if (parameters[i].ParameterType == typeof(CancellationToken))
                args[i] = cancellation;
            else if (parameters[i].HasDefaultValue)
                args[i] = parameters[i].DefaultValue;
        }
        return args;
    }
}
