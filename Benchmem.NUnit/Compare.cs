using Benchmem.Core.Compare;
using Benchmem.Core.Results;
using NUnit.Framework;

namespace Benchmem;

/// <summary>
/// Compare two runs inside a test and fail it on regression:
/// <c>Benchmem.Compare.Runs("baseline.json", "BenchmarkResults/Perf-report-full.json").FailOn("peak:10%", "allocations:5%");</c>
/// </summary>
public static class Compare
{
    /// <summary>Loads both files; an unusable file throws <see cref="ResultsFileException"/> naming it and the problem.</summary>
    public static RunComparison Runs(string baseline, string candidate) => Runs(BenchmarkRun.Load(baseline), BenchmarkRun.Load(candidate));

    public static RunComparison Runs(BenchmarkRun baseline, BenchmarkRun candidate) => new(baseline, candidate);
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
