using System.Reflection;
using Benchmem.Core.Compare;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Reporting;

namespace Benchmem.NUnit.Session;

/// <summary>
/// Benchmem.CompareFail: each benchmark test is checked, as soon as it is measured, against the same benchmark in
/// the newest saved run (or Benchmem.CompareTo) and fails when it grew past a rule. With nothing saved yet, the run
/// says so once and every benchmark passes. A benchmark the baseline lacks cannot be gated: its test says so, and
/// the run lists all of them once at its end.
/// </summary>
internal sealed class InlineGate(BenchmarkRun baseline, IReadOnlyList<ThresholdRule> rules)
{
    private static readonly object Gate = new();
    private static bool _resolved;
    private static InlineGate? _gate;

    private readonly HashSet<string> _baselineNames = baseline.Benchmarks.Select(b => b.FullName).ToHashSet(StringComparer.Ordinal);
    private readonly List<string> _new = [];

    public BenchmarkRun Baseline { get; } = baseline;

    /// <summary>The gate this run resolved, if any (for the end-of-run summary).</summary>
    public static InlineGate? Resolved
    {
        get { lock (Gate) return _gate; }
    }

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

    public static RunStorage Storage(BenchmemSettings settings, string projectDirectory) =>
        new(Path.GetFullPath(settings.Storage, projectDirectory));

    /// <summary>The gate of this run, or null when no CompareFail is set or nothing is saved to compare with.</summary>
    public static InlineGate? For(Assembly assembly)
    {
        lock (Gate)
        {
            if (_resolved)
                return _gate;
            _resolved = true;
            var settings = BenchmemRun.Settings;
            if (settings.CompareFail is null)
                return null;
            var storage = Storage(settings, BenchmemRun.ProjectDirectoryOf(assembly));
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
                Report.Line($"Benchmem: CompareFail has no saved run to compare with yet in {storage.Folder}, so no benchmark fails on it this time; "
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
            Report.Line($"Benchmem: CompareFail={settings.CompareFail} against {path}"
                + (settings.CompareFail.Contains("time", StringComparison.OrdinalIgnoreCase) ? $" ({Core.Timing.WorkloadResult.OwnStatisticsNote})" : ""));
            return _gate = new InlineGate(baselineRun, ThresholdRule.ParseMany(settings.CompareFail));
        }
    }

    /// <summary>The regression lines for one just-measured benchmark (empty when it passes or is new).</summary>
    public IReadOnlyList<string> Check(BenchmarkRecord record)
    {
        var before = Baseline.Benchmarks.Where(b => b.FullName == record.FullName);
        var result = Comparison.Of(before, [record]).Check(rules);
        return result.Passed ? [] : result.RegressionLines;
    }
}
