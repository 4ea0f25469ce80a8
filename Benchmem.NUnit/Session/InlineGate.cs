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
    private readonly List<string> _new = [];

    public BenchmarkRun Baseline { get; } = baseline;

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
        if (settings.CompareFail is null)
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
            throw new BenchmemSettingsException($"Benchmem.CompareFail cannot use its baseline: {e.Message}");
        }
        report($"Benchmem: CompareFail={settings.CompareFail} against {path}"
            + (settings.CompareFail.Contains("time", StringComparison.OrdinalIgnoreCase) ? $" ({Core.Timing.WorkloadResult.OwnStatisticsNote})" : ""));
        return new InlineGate(baselineRun, ThresholdRule.ParseMany(settings.CompareFail));
    }

    /// <summary>The regression lines for one just-measured benchmark (empty when it passes or is new).</summary>
    public IReadOnlyList<string> Check(BenchmarkRecord record)
    {
        var result = Result(record);
        return result.Passed ? [] : result.RegressionLines;
    }

    /// <summary>The whole check of one just-measured benchmark (which rules failed, on which fields).</summary>
    public GateResult Result(BenchmarkRecord record) =>
        Comparison.Of(Baseline.Benchmarks.Where(b => b.FullName == record.FullName), [record]).Check(rules);
}
