using System.Reflection;
using System.Runtime.CompilerServices;
using Benchmem.Core.Compare;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using Benchmem.NUnit.Reporting;
using Benchmem.NUnit.Session;
using NUnit.Framework;

namespace Benchmem;

/// <summary>
/// Compare two runs inside a test and fail it on regression:
/// <c>Benchmem.Compare.Runs("baseline.json", "BenchmarkResults/Perf-report-full.json").FailOn("peak:10%", "allocations:5%");</c>
/// </summary>
public static class Compare
{
    /// <summary>
    /// Loads both files; an unusable file throws <see cref="ResultsFileException"/> naming the full path tried and the
    /// problem. Relative paths are taken from the test project's directory, as <c>Benchmem.Json</c> is. The current
    /// run's own results file (written only when the run ends) is read from memory instead: the benchmarks this run
    /// has measured so far, so a test ordered after them compares them in the same run.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // the caller is the test assembly, whose project directory counts
    public static RunComparison Runs(string baseline, string candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var assembly = Assembly.GetCallingAssembly();
        return Runs(Load(assembly, baseline), Load(assembly, candidate));
    }

    public static RunComparison Runs(BenchmarkRun baseline, BenchmarkRun candidate) => new(baseline, candidate);

    private static BenchmarkRun Load(Assembly assembly, string path)
    {
        var session = BenchmemSession.For(assembly);
        string full = Path.GetFullPath(path, session.ProjectDirectory);
        if (session.OpenResults?.InProgress(full) is { } current)
        {
            Report.Line($"Benchmem.Compare: {full} is this run's results file, not written until the run ends: comparing the "
                + $"{current.Benchmarks.Count} benchmark(s) measured so far in this run.");
            return current;
        }
        return BenchmarkRun.Load(full);
    }
}

/// <summary>Two runs matched by FullName: check rules, fail a test, or render the comparison table.</summary>
public sealed class RunComparison
{
    internal RunComparison(BenchmarkRun baseline, BenchmarkRun candidate)
    {
        Baseline = baseline;
        Candidate = candidate;
        Comparison = Comparison.Of(baseline, candidate);
    }

    public BenchmarkRun Baseline { get; }
    public BenchmarkRun Candidate { get; }
    public Comparison Comparison { get; }

    /// <summary>Checks the rules (grammar: <c>FIELD[.STAT]:N%</c> or <c>FIELD:N&lt;unit&gt;</c>) without failing anything.</summary>
    public GateResult Check(params string[] rules) => Comparison.Check(rules);

    /// <summary>Fails the current test (as Failed, not Error) with one line per regression; passes otherwise.</summary>
    public void FailOn(params string[] rules)
    {
        var result = Check(rules);
        if (!result.Passed)
            Assert.Fail(result.ToString());
    }

    public string ToText(TableOptions? options = null) => Render(TableFormat.Text, options);
    public string ToMarkdown(TableOptions? options = null) => Render(TableFormat.Markdown, options);
    public string ToCsv(TableOptions? options = null) => Render(TableFormat.Csv, options);

    private string Render(TableFormat format, TableOptions? options) =>
        ComparisonTable.Render([("baseline", Baseline), ("candidate", Candidate)], (options ?? new TableOptions()) with { Format = format });
}
