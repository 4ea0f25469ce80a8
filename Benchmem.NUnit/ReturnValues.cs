using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit;

/// <summary>
/// NUnit marks a non-void test without ExpectedResult NotRunnable. For a benchmark the return value is the
/// point (it keeps the work alive), so Benchmem makes such tests runnable again. Plain methods are reached by
/// [Benchmark] itself; [TestCase] rows are built after the method's attributes apply, so the assembly hook
/// (<see cref="BenchmemSuiteAttribute"/>) walks the whole tree once it is built.
/// </summary>
internal static class ReturnValues
{
    // NUnit's exact reason texts (NUnitTestCaseBuilder.CheckTestMethodSignature), sync and async.
    private static readonly string[] ReturnValueReasons =
    [
        "Method has non-void return value, but no result is expected",
        "Async test method must return an awaitable with a void result when no result is expected",
    ];

    public const string GenericReason =
        "Benchmem: a generic [TestCase] benchmark cannot return a value (NUnit infers its type arguments only for void methods): "
        + "make it void and pass the result to Bench.Consume(result).";

    public static void AllowFor(Test test)
    {
        if (test is not TestMethod method || test.RunState != RunState.NotRunnable)
            return;
        if (method.Method.MethodInfo.GetCustomAttributes(typeof(BenchmarkAttribute), false).Length == 0)
            return;
        var reason = test.Properties.Get(PropertyNames.SkipReason) as string;
        if (!ReturnValueReasons.Contains(reason))
            return;
        if (method.Method.MethodInfo.IsGenericMethodDefinition)
        {
            // NUnit infers type arguments only after the return-value check passed, so this row never got them.
            test.Properties.Set(PropertyNames.SkipReason, GenericReason);
            return;
        }
        test.RunState = RunState.Runnable;
        test.Properties[PropertyNames.SkipReason].Clear();
    }

    public static void AllowForTree(ITest test)
    {
        if (test is Test t)
            AllowFor(t);
        foreach (var child in test.Tests)
            AllowForTree(child);
    }
}
