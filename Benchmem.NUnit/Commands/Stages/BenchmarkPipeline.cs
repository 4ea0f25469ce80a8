using Benchmem.Core.Results;
using Benchmem.NUnit.Session;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// A benchmark's work after its plan, stage by stage: measure → record → judge → report, under the benchmark gate so
/// benchmarks never time concurrently. Shared by [Benchmark] (the test method is the benchmark) and Bench.Run (a delegate is).
/// </summary>
internal sealed class BenchmarkPipeline(BenchmemSession session)
{
    /// <summary>Runs the stages; failures land on <paramref name="result"/>. The record, or null when there is none.</summary>
    public BenchmarkRecord? Run(BenchmarkCase benchmark, BenchmarkPlan plan, TestResult result)
    {
        using (session.BenchmarkGate.Enter())
        {
            var measured = new MeasureStage(session.MemoryHost, session.Profiles, session.Parallel, session.OtherAssembliesRunning, session.Calibration, session.Launches)
                .Measure(benchmark, plan);
            if (measured.Failure is { } threw)
            {
                ReportStage.Fail(result, threw);
                return null;
            }
            var (record, duplicate) = new RecordStage(session.Results, session.Dims, session.Parallel, session.Metrics).Record(benchmark, plan, measured);
            if (record is null)
            {
                ReportStage.Fail(result, duplicate!);
                return null;
            }
            // The numbers are in the test's output before the verdict: a gate that cannot resolve its baseline still leaves them.
            ReportStage.Measured(benchmark.Context, record);
            var verdict = new JudgeStage(session.Gate, session.Profiles, session.Settings.CompareFail is not null, session.HookActive,
                Reporting.Report.Line, Core.Compare.GateRules.Parse(session.Settings.CompareFail).Ratios, () => session.Results.File.Records).Judge(record, plan,
                    () => session.Profiles.TakeCpu(benchmark.Invoker(), benchmark.Setup, record.FullName));
            // [AssertTraffic] and [ZeroAlloc] on the benchmark method: judged on every memory pass, by type.
            if (benchmark.Context.CurrentTest.Method?.MethodInfo is { } method && method.IsDefined(typeof(BenchmarkAttribute), false))
                verdict = verdict with
                {
                    Failures = [.. verdict.Failures, .. MemoryTests.BenchmarkTrafficJudge.Judge(method, record.Memory, session.MemoryHost.TrafficFor(record.FullName))],
                };
            if (session.Snapshot?.Check(record, session.MemoryHost.TrafficFor(record.FullName)) is { } changed)
                verdict = verdict with { Failures = [.. verdict.Failures, changed] };
            ReportStage.Judged(benchmark.Context, result, verdict);
            return record;
        }
    }
}
