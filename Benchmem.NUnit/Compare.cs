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

    /// <summary>The two runs' profile folders (Benchmem.Profile of each run), set by <see cref="WithProfiles"/>.</summary>
    public (string Baseline, string Candidate)? Profiles { get; private set; }

    /// <summary>
    /// Where each run kept its allocation profiles: a failed memory rule's message then carries the top three rows of the
    /// benchmark's profile diff (live at the peak for peak, leaks for retained, else allocated). Relative paths are taken
    /// from the current directory; a folder that does not exist is an <see cref="ArgumentException"/> naming it.
    /// </summary>
    public RunComparison WithProfiles(string baselineFolder, string candidateFolder)
    {
        foreach (var folder in new[] { baselineFolder, candidateFolder })
        {
            if (!Directory.Exists(folder))
                throw new ArgumentException($"profile folder {Path.GetFullPath(folder)} does not exist: give the folder Benchmem.Profile wrote that run's profiles to.");
        }
        Profiles = (Path.GetFullPath(baselineFolder), Path.GetFullPath(candidateFolder));
        return this;
    }

    /// <summary>Fails the current test (as Failed, not Error) with one line per regression, and the profile diff's top rows when <see cref="WithProfiles"/> gave the folders; passes otherwise.</summary>
    public void FailOn(params string[] rules)
    {
        var result = Check(rules);
        if (!result.Passed)
            Assert.Fail(string.Join("\n", [result.ToString(), .. Explanations(result)]));
    }

    /// <summary>Per regressed benchmark and memory field, the top rows of its profiles' diff (none without profiles of both runs).</summary>
    public IReadOnlyList<string> Explanations(GateResult result)
    {
        if (Profiles is not var (baseFolder, candidateFolder))
            return [];
        return result.Regressions.Where(r => r.Rule.Field != MetricField.Time)
            .GroupBy(r => r.FullName, StringComparer.Ordinal)
            .SelectMany(g => g.Select(r => r.Rule.Field.Name).Distinct().SelectMany(field => Core.Profiles.ProfileExplanation.TryLines(field,
                Core.Profiles.ProfileFolder.ProfilePath(baseFolder, g.Key), Core.Profiles.ProfileFolder.ProfilePath(candidateFolder, g.Key))
                .Select((line, i) => i == 0 ? $"{g.Key}: {line}" : line)))
            .ToList();
    }

    public string ToText(TableOptions? options = null) => Render(TableFormat.Text, options);
    public string ToMarkdown(TableOptions? options = null) => Render(TableFormat.Markdown, options);
    public string ToCsv(TableOptions? options = null) => Render(TableFormat.Csv, options);

    private string Render(TableFormat format, TableOptions? options) =>
        ComparisonTable.Render([("baseline", Baseline), ("candidate", Candidate)], (options ?? new TableOptions()) with { Format = format });
}
