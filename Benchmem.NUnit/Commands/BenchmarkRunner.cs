using System.Reflection;
using Benchmem.Core.Errors;
using Benchmem.Core.Invocation;
using Benchmem.Core.Memory;
using Benchmem.Core.Profiles;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.Core.Timing;
using Benchmem.NUnit.Reporting;
using Benchmem.NUnit.Session;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Commands;

/// <summary>What to measure for one benchmark: timing options, memory options and ceilings when memory is on.</summary>
internal sealed record BenchmarkPlan(
    TimingOptions Timing,
    MemoryOptions? Memory,
    IReadOnlyList<(string Metric, long Limit, string Text, Func<MemoryPass, long?> Value)> Ceilings,
    string? Group,
    bool Profile = false);

/// <summary>
/// Times, counts and measures one benchmark inside the current test, records it, and reports problems as the
/// test's failure. Shared by [Benchmark] (the test method is the benchmark) and Bench.Run (a delegate is).
/// </summary>
internal static class BenchmarkRunner
{
    /// <summary>Builds the plan from the attributes and run settings; an invalid value is returned as the failure message.</summary>
    public static (BenchmarkPlan? Plan, string? Error) Plan(BenchmemSettings settings, TimingOptions timing, BenchMemAttribute? benchMem, string? group)
    {
        try
        {
            timing.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            return (null, $"[Benchmark({e.ParamName} = {e.ActualValue})] is out of range: {Reason(e)}");
        }
        if (benchMem is null && !BenchMemAttribute.MemoryOn(settings))
            return (new BenchmarkPlan(timing, null, [], group), null);
        try
        {
            var memory = BenchMemAttribute.For(settings, benchMem);
            memory.Validate();
            return (new BenchmarkPlan(timing, memory, benchMem?.Ceilings().ToList() ?? [], group, ProfileStore.Wants(settings, benchMem)), null);
        }
        catch (ArgumentOutOfRangeException e)
        {
            return (null, $"[BenchMem({e.ParamName} = {e.ActualValue})] is out of range: {Reason(e)}");
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Measures under the benchmark lock, against a throw-away result so the test's output is not repeated, then
    /// records the benchmark and applies the ceilings. Failures land on <paramref name="result"/>.
    /// </summary>
    public static BenchmarkRecord? Run(TestExecutionContext context, TestResult result, Func<BenchmarkInvoker> invokerFactory,
        Action? setup, BenchmarkPlan plan, Identity.Parts identity, Assembly assembly)
    {
        using (BenchmarkGate.Enter())
        {
            bool company = ParallelRun.OthersRunning;
            var assemblies = BenchmemRun.OtherAssembliesRunning();
            var (timing, allocation, memory, failure) = Measure(context, invokerFactory, setup, plan, identity.FullName, assembly);
            company |= ParallelRun.OthersRunning;
            assemblies = [.. assemblies.Union(BenchmemRun.OtherAssembliesRunning())];
            if (failure is not null)
            {
                result.SetResult(ResultState.Failure,
                    $"Benchmem: the benchmark threw while it was being measured: {failure.GetType().Name}: {failure.Message}", UserFrames(failure.StackTrace));
                return null;
            }
            foreach (var (name, value) in Bench.TakeDims(context.CurrentTest.Id))
                identity.Dims[name] = value;
            var record = identity.ToRecord(plan.Group, timing, allocation, memory, Optimization.IsOptimized(assembly));
            try
            {
                BenchmemRun.Add(assembly, record, $"test {context.CurrentTest.FullName}");
            }
            catch (DuplicateBenchmarkException e)
            {
                result.SetResult(ResultState.Failure, e.Message);
                return null;
            }
            if (company)
                ParallelRun.WarnOnce();
            if (assemblies.Count > 0)
                ParallelRun.WarnAssembliesOnce(assemblies);
            if (company || assemblies.Count > 0)
                BenchmemRun.MarkParallel();
            context.CurrentResult.OutWriter.WriteLine(ConsoleReport.Summary(record));
            var failures = memory is null ? [] : Ceilings.Check(memory, plan.Ceilings);
            var gate = InlineGate.For(assembly);
            bool regressed = false;
            if (gate is not null && gate.IsNew(record))
            {
                context.CurrentResult.OutWriter.WriteLine(gate.NewLine());
                if (gate.NoteNew(record, BenchmemRun.HookActive) is { } now)
                    Report.Line(now);
            }
            else if (gate is not null && gate.Check(record) is { Count: > 0 } regressions)
            {
                regressed = true;
                failures.Add($"Benchmem: regressed against {gate.Baseline.Path}:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, regressions)}");
            }
            // With CompareFail only a regressing benchmark keeps its profile: that is the one worth reading.
            if (plan.Profile && (BenchmemRun.Settings.CompareFail is null || regressed) && ProfileStore.Publish(identity.FullName) is { } command)
            {
                context.CurrentResult.OutWriter.WriteLine($"Benchmem: allocation profile kept; render it with: {command}");
                if (regressed)
                    failures.Add($"Benchmem: where the memory went: {command}");
            }
            if (failures.Count > 0)
                result.SetResult(ResultState.Failure, string.Join(System.Environment.NewLine, failures));
            return record;
        }
    }

    private static (TimingResult?, AllocationResult?, MemoryResult?, Exception?) Measure(
        TestExecutionContext context, Func<BenchmarkInvoker> invokerFactory, Action? setup, BenchmarkPlan plan, string fullName, Assembly assembly)
    {
        var original = context.CurrentResult;
        var syncContext = SynchronizationContext.Current;
        context.CurrentResult = context.CurrentTest.MakeTestResult();
        // Async benchmarks are awaited synchronously in the loop; no context to post continuations back to.
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var invoker = invokerFactory();
            var timing = TimingEngine.Run(invoker, plan.Timing, setup);
            var allocation = AllocationPass.Run(invoker, timing.IterationsPerRound, setup);
            // Passes the memory host already took (exact allocation counts, precise peak) are not repeated here.
            var hosted = MemoryHost.ResultFor(fullName);
            var memory = plan.Memory is null ? null : hosted ?? MemoryMeter.Measure(invoker, plan.Memory, setup);
            // Measured in process: the profile too, sampled from the runtime's allocation events.
            if (plan.Profile && plan.Memory is not null && hosted is null
                && ProfileStore.TakeSampled(invoker, plan.Memory, setup, fullName, assembly) is { } problem)
                original.OutWriter.WriteLine($"Benchmem: no allocation profile: {problem}");
            return (timing, allocation, memory, null);
        }
        catch (Exception e)
        {
            return (null, null, null, e is TargetInvocationException { InnerException: { } inner } ? inner : e);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(syncContext);
            context.CurrentResult = original;
        }
    }

    /// <summary>
    /// In the memory host child: only the memory passes, written for the test host to pick up, and the allocation profile
    /// when asked (<paramref name="root"/>: the benchmark method, where the profile's stacks start).
    /// </summary>
    public static void RunInMemoryHost(TestExecutionContext context, Func<BenchmarkInvoker> invokerFactory, BenchmarkPlan plan, Identity.Parts identity,
        MethodBase? root)
    {
        if (plan.Memory is null || MemoryHost.ChildOutput is not { } output)
            return;
        var original = context.CurrentResult;
        context.CurrentResult = context.CurrentTest.MakeTestResult();
        try
        {
            var invoker = invokerFactory();
            var memory = MemoryMeter.Measure(invoker, plan.Memory);
            output.Append(identity.ToRecord(memory: memory));
            if (plan.Profile && MemoryHost.ChildProfileOutput is { } folder)
            {
                var saved = AllocationProfiler.Record(invoker, plan.Memory, setup: null, root, identity.FullName, folder);
                if (saved.TraceProblem is { } problem)
                    Console.Error.WriteLine($"{identity.FullName}: profile kept without its runtime trace: {problem}");
            }
        }
        catch (Exception e)
        {
            // The test host measures this one in process and says the host missed it.
            Console.Error.WriteLine($"{identity.FullName}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            context.CurrentResult = original;
        }
    }

    /// <summary>
    /// The benchmark's own frames: everything above the measuring loop (a compiled lambda_method calling into the
    /// user's code from Benchmem's engine), whose frames would only hide where it threw.
    /// </summary>
    internal static string? UserFrames(string? stackTrace)
    {
        if (stackTrace is null)
            return null;
        var lines = stackTrace.Split('\n');
        int cut = Array.FindIndex(lines, l => l.TrimStart().StartsWith("at lambda_method", StringComparison.Ordinal)
                                            || l.TrimStart().StartsWith("at Benchmem.", StringComparison.Ordinal));
        return cut <= 0 ? stackTrace : string.Join('\n', lines[..cut]).TrimEnd();
    }

    /// <summary>The range the value missed, without .NET's " (Parameter 'X')" and "Actual value was" additions.</summary>
    private static string Reason(ArgumentOutOfRangeException e) =>
        e.Message.Split('\n')[0].Trim().Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
