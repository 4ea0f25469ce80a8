using System.Reflection;
using Benchmem.NUnit.Session;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// A memory test's command: in the test host, the memory host's outcome when it ran the test; otherwise (and in the host)
/// the test here, between two check points when it carries [AssertTraffic], which are then judged.
/// </summary>
internal sealed class MemoryTestCommand : DelegatingTestCommand
{
    private MemoryTestCommand(TestCommand inner) : base(inner) { }

    /// <summary>One command however many attributes ask for it.</summary>
    public static TestCommand Around(TestCommand command) => command is MemoryTestCommand ? command : new MemoryTestCommand(command);

    /// <summary>Whether the memory host runs this test whole: a [Test] (not a benchmark) with [MemoryTest], [DotMemoryUnit] or [AssertTraffic].</summary>
    public static bool WantsHost(MethodInfo method) =>
        !method.IsDefined(typeof(BenchmarkAttribute), false)
        && (method.IsDefined(typeof(MemoryTestAttribute), false) || method.IsDefined(typeof(DotMemoryUnitAttribute), false)
            || method.IsDefined(typeof(AssertTrafficAttribute), false));

    public override TestResult Execute(TestExecutionContext context)
    {
        var test = context.CurrentTest;
        if (!MemoryHostChild.IsChild && BenchmemSession.Current?.MemoryHost.OutcomeFor(test.FullName) is { } outcome)
        {
            var result = context.CurrentResult;
            if (outcome.Output.Length > 0)
                result.OutWriter.Write(outcome.Output);
            result.OutWriter.WriteLine("Benchmem: this memory test ran in the memory host (exact heap and traffic counts).");
            if (outcome.Passed)
                result.SetResult(ResultState.Success);
            else
                result.SetResult(ResultState.Failure, outcome.Message);
            return result;
        }
        var here = RunHere(context);
        if (MemoryHostChild.IsChild && System.Environment.GetEnvironmentVariable(MemoryHostChild.OutputVariable) is { Length: > 0 } output)
            MemoryTestOutcome.Append(MemoryTestOutcome.PathBeside(output),
                new MemoryTestOutcome(test.FullName, here.ResultState.Status == TestStatus.Passed, here.Message ?? "", here.Output));
        return here;
    }

    private TestResult RunHere(TestExecutionContext context)
    {
        var method = context.CurrentTest.Method!.MethodInfo;
        var limits = method.GetCustomAttributes<AssertTrafficAttribute>(false).ToList();
        if (limits.Select(l => l.Problem()).FirstOrDefault(p => p is not null) is { } problem)
        {
            context.CurrentResult.SetResult(ResultState.NotRunnable, problem);
            return context.CurrentResult;
        }
        MemoryCheckPoint? start = null;
        try
        {
            if (limits.Count > 0)
                start = Heap.Check();
            try
            {
                context.CurrentResult = innerCommand.Execute(context);
            }
            catch (Exception e)
            {
                // The test method's command lets the test's exceptions through to NUnit's outer commands: record it here,
                // as they would, so the outcome is known (and told to the test host) before the command ends.
                context.CurrentResult.RecordException(e is TargetInvocationException { InnerException: { } inner } ? inner : e);
            }
            var result = context.CurrentResult;
            if (start is not null && result.ResultState.Status == TestStatus.Passed)
            {
                var excesses = new List<string>();
                Heap.Check(memory =>
                {
                    var traffic = memory.GetTrafficFrom(start);
                    excesses.AddRange(limits.SelectMany(l => l.Judge(traffic, "the test")));
                });
                if (excesses.Count > 0)
                    result.SetResult(ResultState.Failure, string.Join(System.Environment.NewLine, excesses));
            }
            MemoryTestException.Unwrap(result);
            return result;
        }
        catch (MemoryTestException e)
        {
            context.CurrentResult.SetResult(ResultState.Failure, e.Message);
            return context.CurrentResult;
        }
        finally
        {
            Heap.EndTest();
        }
    }
}
