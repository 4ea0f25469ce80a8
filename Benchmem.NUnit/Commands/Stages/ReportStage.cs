using Benchmem.Core.Results;
using Benchmem.NUnit.Reporting;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// Report: the benchmark's lines in its test's output, and its failures onto the test result — the one place a
/// <see cref="BenchmarkFailure"/> becomes an NUnit failure.
/// </summary>
internal static class ReportStage
{
    /// <summary>The one-line summary of what was measured ("Benchmem: median 1.204 ms, …").</summary>
    public static void Measured(TestExecutionContext context, BenchmarkRecord record) =>
        context.CurrentResult.OutWriter.WriteLine(ConsoleReport.Summary(record));

    /// <summary>The verdict's notes, then its failures (one message, a line each) onto <paramref name="result"/>.</summary>
    public static void Judged(TestExecutionContext context, TestResult result, Verdict verdict)
    {
        foreach (var note in verdict.Notes)
            context.CurrentResult.OutWriter.WriteLine(note);
        if (verdict.Failures.Count > 0)
            Fail(result, new BenchmarkFailure(string.Join(System.Environment.NewLine, verdict.Failures)));
    }

    public static void Fail(TestResult result, BenchmarkFailure failure)
    {
        if (failure.StackTrace is null)
            result.SetResult(ResultState.Failure, failure.Message);
        else
            result.SetResult(ResultState.Failure, failure.Message, failure.StackTrace);
    }
}
