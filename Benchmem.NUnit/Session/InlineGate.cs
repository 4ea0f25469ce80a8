using Benchmem.Core.Compare;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;

namespace Benchmem.NUnit.Session;

/// <summary>
/// Benchmem.CompareFail: each benchmark test is checked, as soon as it is measured, against the same benchmark in
/// the newest saved run (or Benchmem.CompareTo) and fails when it grew past a rule. With nothing saved yet, the run
/// says so once and every benchmark passes. A benchmark the baseline lacks cannot be gated: its test says so, and
/// the run lists all of them once at its end.
/// </summary>
internal sealed class InlineGate(BenchmarkRun baseline, IReadOnlyList<ThresholdRule> rules)
{
    private readonly HashSet<string> _baselineNames = baseline.Benchmarks.Select(b => b.FullName).ToHashSet(StringComparer.Ordinal);
    private readonly Dictionary<string, BenchmarkRecord> _byName = baseline.Benchmarks.ToDictionary(b => b.FullName, StringComparer.Ordinal);
    private readonly List<string> _new = [];

    public BenchmarkRun Baseline { get; } = baseline;

    /// <summary>False with Benchmem.CompareTo alone: the run's table shows the baseline and Δ columns, and nothing fails.</summary>
    public bool Gates => rules.Count > 0;

    /// <summary>The baseline's record of a benchmark, or null when the baseline lacks it (new since then).</summary>
    public BenchmarkRecord? BaselineOf(string fullName) => _byName.GetValueOrDefault(fullName);

    /// <summary>True when the baseline has no benchmark of this FullName: nothing to gate it against.</summary>
    public bool IsNew(BenchmarkRecord record) => !_baselineNames.Contains(record.FullName);

    /// <summary>The line a new benchmark's test shows.</summary>
    public string NewLine() => $"Benchmem: CompareFail: new since the baseline {Baseline.Path}, so not gated.";

    /// <summary>
    /// Notes a new benchmark; returns the run-level line to print now when there is no end of run to print it at
    /// (no suite hook: the first new benchmark only), else null.
    /// </summary>
    public string? NoteNew(BenchmarkRecord record, bool endOfRunComes)
    {
        lock (_new)
        {
            _new.Add(record.FullName);
            return endOfRunComes || _new.Count > 1 ? null
                : $"Benchmem: CompareFail: {record.FullName} is new since the baseline {Baseline.Path}, so not gated; each new benchmark's test says so.";
        }
    }

    /// <summary>The end-of-run line naming every benchmark the gate could not check, or null when there were none.</summary>
    public string? NewSummary()
    {
        lock (_new)
        {
            if (_new.Count == 0)
                return null;
            var shown = _new.Take(GateResult.TextListLimit).ToList();
            return $"Benchmem: CompareFail: {_new.Count} benchmark(s) new since the baseline {Baseline.Path}, so not gated (no numbers to compare with): "
                + string.Join(", ", shown) + (_new.Count > shown.Count ? $", … and {_new.Count - shown.Count} more" : "") + ".";
        }
    }

    /// <summary>
    /// The gate of this run, or null when no CompareFail is set or nothing is saved in <paramref name="storage"/> to
    /// compare with (the run is told once). A CompareTo or baseline it cannot use is a <see cref="BenchmemSettingsException"/>.
    /// </summary>
    public static InlineGate? Resolve(BenchmemSettings settings, RunStorage storage, Action<string> report)
    {
        var thresholds = GateRules.Parse(settings.CompareFail).Thresholds;
        // Ratio rules alone gate inside the run: no saved baseline to find.
        if (thresholds.Count == 0 && settings.CompareTo is null)
            return null;
        string? path;
        try
        {
            path = storage.Resolve(settings.CompareTo);
        }
        catch (ResultsFileException e)
        {
            throw new BenchmemSettingsException($"Benchmem.CompareTo: {e.Message}");
        }
        if (path is null)
        {
            report($"Benchmem: CompareFail has no saved run to compare with yet in {storage.Folder}, so no benchmark fails on it this time; "
                + "save one with Benchmem.Save=NAME or Benchmem.Autosave=true.");
            return null;
        }
        BenchmarkRun baselineRun;
        try
        {
            baselineRun = BenchmarkRun.Load(path);
        }
        catch (ResultsFileException e)
        {
            throw new BenchmemSettingsException($"Benchmem.{(settings.CompareFail is null ? "CompareTo" : "CompareFail")} cannot use its baseline: {e.Message}");
        }
        if (thresholds.Count == 0)
        {
            // pytest-benchmem's --benchmark-memory-compare: the comparison in the table, no gate.
            report($"Benchmem: CompareTo={settings.CompareTo}: the table shows each benchmark against {path} (the METRIC base and METRIC Δ columns); "
                + "nothing fails on it: add Benchmem.CompareFail=RULES, e.g. allocated:10%, to gate.");
            return new InlineGate(baselineRun, []);
        }
        report($"Benchmem: CompareFail={settings.CompareFail} against {path}"
            + (settings.CompareFail!.Contains("time", StringComparison.OrdinalIgnoreCase) ? $" ({Core.Timing.WorkloadResult.OwnStatisticsNote})" : ""));
        return new InlineGate(baselineRun, thresholds);
    }

    /// <summary>The regression lines for one just-measured benchmark (empty when it passes or is new).</summary>
    public IReadOnlyList<string> Check(BenchmarkRecord record) => Judge(record) is var result && result.Passed ? [] : result.RegressionLines;

    /// <summary>The whole gate result for one just-measured benchmark: its regressions and the time rules the machine
    /// was too unsteady to judge (<see cref="GateResult.NotJudged"/>), which the test's output must show.</summary>
    /// <param name="run">This run's records so far (this one included): the machine's speed is the run's, not one benchmark's.</param>
    public GateResult Judge(BenchmarkRecord record, IReadOnlyList<BenchmarkRecord>? run = null)
    {
        var before = Baseline.Benchmarks.Where(b => b.FullName == record.FullName);
        return Comparison.Of(before, [record], _baselineSpeed, run is { Count: > 0 } ? new Lazy<RunSpeed?>(() => RunSpeed.Of(run)) : null).Check(rules);
    }

    // The saved run does not change: its machine speed is taken once, not once per benchmark judged.
    private readonly Lazy<RunSpeed?> _baselineSpeed = new(() => RunSpeed.Of(baseline.Benchmarks));
}
