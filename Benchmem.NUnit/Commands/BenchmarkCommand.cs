using System.Reflection;
using Benchmem.Core.Errors;
using Benchmem.Core.Invocation;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Commands.Stages;
using Benchmem.NUnit.Session;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit.Commands;

/// <summary>
/// Runs the test once through NUnit (assertions, ExpectedResult), then times the method body through a
/// delegate bound to the fixture instance and arguments — NUnit's inner command costs ~1 µs and 40 B a call —
/// through the stages (<see cref="PlanStage"/>, then <see cref="BenchmarkPipeline"/>).
/// </summary>
internal sealed class BenchmarkCommand(TestCommand inner, BenchmarkAttribute attribute) : DelegatingTestCommand(inner)
{
    public override TestResult Execute(TestExecutionContext context)
    {
        var session = BenchmemSession.For(context.CurrentTest.Method!.MethodInfo.DeclaringType!.Assembly);
        BenchmemSettings settings;
        try
        {
            settings = session.Settings;
        }
        catch (BenchmemSettingsException e)
        {
            ReportStage.Fail(context.CurrentResult, new BenchmarkFailure(e.Message));
            return context.CurrentResult;
        }
        if (settings.Disable)
            return innerCommand.Execute(context);
        if (settings.Timeout is not { } limit)
            return ExecuteAndMeasure(context, session, settings);

        TestResult? finished = null;
        if (session.Watchdog.Run(limit, () => finished = ExecuteAndMeasure(context, session, settings)))
            return finished!;
        var abandoned = context.CurrentTest.MakeTestResult();
        ReportStage.Fail(abandoned, new BenchmarkFailure(Watchdog.Message(limit)));
        context.CurrentResult = abandoned;
        return abandoned;
    }

    /// <summary>The test once through NUnit, then, when it passed, the plan and the measuring stages.</summary>
    private TestResult ExecuteAndMeasure(TestExecutionContext context, BenchmemSession session, BenchmemSettings settings)
    {
        var test = context.CurrentTest;
        var method = test.Method!.MethodInfo;
        var benchMem = method.GetCustomAttribute<BenchMemAttribute>(inherit: false)
            ?? (MemoryTests.BenchmarkTrafficJudge.WantsMemory(method) ? new BenchMemAttribute() : null); // [AssertTraffic], [ZeroAlloc]: memory passes
        // An isolated benchmark's cold pass must be this process's first call: the test host runs the test itself.
        if (MemoryHostChild.IsolatedPass && benchMem?.Isolate == true)
            context.CurrentResult.SetResult(ResultState.Success);
        else
        {
            context.CurrentResult = innerCommand.Execute(context);
            if (context.CurrentResult.ResultState.Status != TestStatus.Passed)
                return context.CurrentResult; // a failing test is not benchmarked
        }

        var (plan, error) = PlanStage.Plan(settings, PlanStage.TimingFor(attribute, settings), benchMem, attribute.Group, attribute);
        if (plan is null)
        {
            ReportStage.Fail(context.CurrentResult, new BenchmarkFailure(error!));
            return context.CurrentResult;
        }
        var arguments = Arguments(method, test.Arguments, context.CancellationToken);
        var target = method.IsStatic ? null : context.TestObject;
        var benchmark = new BenchmarkCase(context, () => BenchmarkInvoker.ForMethod(target, method, arguments), Setup: null,
            Identity.Of(test, method, arguments), method.DeclaringType!.Assembly);
        if (LaunchChild.IsChild)
            LaunchChild.Time(benchmark, plan, session.Calibration);
        else if (MemoryHostChild.IsChild)
            HostedMemoryStage.Measure(benchmark, plan, method);
        else
            new BenchmarkPipeline(session).Run(benchmark, plan, context.CurrentResult);
        return context.CurrentResult;
    }

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
