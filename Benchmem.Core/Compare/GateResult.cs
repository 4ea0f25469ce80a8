using System.Text;
using Benchmem.Core.Results;

namespace Benchmem.Core.Compare;

/// <summary>
/// One rule applied to one benchmark present in both runs with the metric measured on both sides. Kept for every
/// check, not only failures, so a caller can show near misses or p-values.
/// </summary>
public sealed class MetricChange
{
    // The significance test costs ~50 µs (as much as the rest of a check): it runs when first asked for, which for
    // a gate is only for the time changes past their limit.
    private readonly Lazy<Significance?> _significance;

    internal MetricChange(ThresholdRule rule, string fullName, string name, double baseline, double candidate, Lazy<Significance?>? significance,
        NoiseFloor? noiseFloor = null)
    {
        NoiseFloor = noiseFloor;
        Rule = rule;
        FullName = fullName;
        Name = name;
        Baseline = baseline;
        Candidate = candidate;
        ChangePercent = Metric.ChangePercent(baseline, candidate);
        _significance = significance ?? new Lazy<Significance?>((Significance?)null);
    }

    public ThresholdRule Rule { get; }
    public string FullName { get; }
    /// <summary>The FullName without its namespace (<c>SortBenchmarks.Sort(n: 10000)</c>), for messages.</summary>
    public string Name { get; }
    public double Baseline { get; }
    public double Candidate { get; }
    /// <summary>(candidate - baseline) / baseline in percent; +∞ when it grew from zero.</summary>
    public double ChangePercent { get; }

    /// <summary>Time rules: whether the candidate's rounds are significantly slower (computed on first use). Null for
    /// memory rules, which are exact, and for time when a sample cannot be tested.</summary>
    public Significance? Significance => _significance.Value;

    /// <summary><c>:noise</c> time rules: the larger of the two runs' noise floors; null for other rules and for a
    /// run with too few rounds to show one.</summary>
    public NoiseFloor? NoiseFloor { get; }

    /// <summary>Time rules on two calibrated runs: the calibrated pair this change was judged on (Baseline and
    /// Candidate are then calibrated, in ns at the baseline's machine speed); null for raw comparisons.</summary>
    public CalibratedPair? Calibration { get; init; }

    /// <summary>Calibrated changes: the statistic compared (<see cref="CalibratedPair.JudgedStat"/>: the fastest round for a
    /// plain time rule); the rule's own otherwise.</summary>
    public Stat JudgedStat { get => _judgedStat ?? Rule.Stat; init => _judgedStat = value; }
    private readonly Stat? _judgedStat;

    /// <summary>The raw values of a calibrated change (what the table shows); equal to Baseline and Candidate otherwise.</summary>
    public double RawBaseline { get => _rawBaseline ?? Baseline; init => _rawBaseline = value; }
    public double RawCandidate { get => _rawCandidate ?? Candidate; init => _rawCandidate = value; }
    private readonly double? _rawBaseline, _rawCandidate;

    /// <summary>Time rules compared raw although one run is calibrated: why (the other is not, or they differ).</summary>
    public string? RawBecause { get; init; }

    /// <summary>Why this time change is not judged (the machine was unsteady: <see cref="CalibratedPair.Unsteady"/>), or null.
    /// A change not judged neither fails nor passes: the gate lists it with the figure and the fix.</summary>
    public string? NotJudged => Calibration?.Unsteady;

    /// <summary>The candidate grew past the rule's limit.</summary>
    public bool ExceedsLimit => Rule.IsExceeded(Baseline, Candidate);

    /// <summary>
    /// Past the limit and, for a <c>:significant</c> rule, significant; for a <c>:noise</c> rule, above the noise
    /// floor: this fails the gate. When the samples cannot be tested (no rounds, too few for a floor) the size of the
    /// change decides and the line says so: an untestable change is never passed as noise.
    /// </summary>
    public bool IsRegression => NotJudged is null && ExceedsLimit && Rule.Judgement switch
    {
        TimeJudgement.Significant => Significance?.IsSignificant != false,
        TimeJudgement.Noise => NoiseFloor?.IsExceededBy(ChangePercent) != false,
        // Calibrated, the plain rule also judges against the runs' own noise floor (of the calibrated ratio).
        _ => Calibration is null || NoiseFloor?.IsExceededBy(ChangePercent) != false,
    };

    /// <summary><c>peak  Sort(n: 10000): 4.10 MiB → 5.00 MiB (+22.0%)</c>; time adds <c>, significant (p=0.003)</c>
    /// or, for a <c>:noise</c> rule, <c>, above its noise floor 3.2%</c>.</summary>
    public override string ToString() => Format(Rule.Label.Length);

    internal string Format(int labelWidth) =>
        $"{Rule.Label.PadRight(labelWidth)}  {Name}: {Metric.Format(Rule.Field, Baseline)} → {Metric.Format(Rule.Field, Candidate)} ({Metric.FormatChange(ChangePercent)})"
        + Verdict();

    private string Verdict()
    {
        if (!Rule.Field.IsSampled)
            return "";
        if (Calibration is { } calibration)
            return CalibratedVerdict(calibration);
        if (RawBecause is { } why)
            return RawVerdict() + $", raw: not calibrated because {why}";
        return RawVerdict();
    }

    /// <summary><c>, calibrated fastest round, above its noise floor 3.2% (raw 135.2 us → 206.3 us, +52.6%; machine 50.1% slower)</c>.</summary>
    private string CalibratedVerdict(CalibratedPair calibration)
    {
        string raw = $" (raw {Metric.Format(Rule.Field, RawBaseline)} → {Metric.Format(Rule.Field, RawCandidate)}, {Metric.FormatChange(Metric.ChangePercent(RawBaseline, RawCandidate))}; "
            + $"machine {CalibratedPair.Percent(Math.Abs(calibration.ShiftPercent))} {(calibration.ShiftPercent >= 0 ? "slower" : "faster")})";
        if (NotJudged is { } why)
            return $", calibrated: not judged: {why}; {CalibratedPair.Fix}" + raw;
        string judged = Rule.Judgement == TimeJudgement.Significant
            ? Significance is { } s ? $"{s} over {CalibratedPair.SignificanceBlocks} blocks a run" : "significance not testable: judged on size"
            : NoiseFloor is { } floor ? (floor.IsExceededBy(ChangePercent) ? "above its " : "within its ") + floor
            : "no noise floor: judged on size";
        // A plain rule's label says "time", the table's median: the line says it compared the fastest rounds.
        string what = Rule.StatGiven ? "calibrated" : $"calibrated {(JudgedStat == Stat.Min ? "fastest round" : Metric.Name(JudgedStat))}";
        return $", {what}, {judged}" + raw;
    }

    private string RawVerdict()
    {
        if (Rule.Judgement == TimeJudgement.Noise)
            return NoiseFloor is { } floor
                ? (floor.IsExceededBy(ChangePercent) ? ", above its " : ", within its ") + floor
                : $", no noise floor (fewer than {NoiseFloor.MinRounds} rounds on a side): judged on size";
        if (Significance is { } significance)
            return ", " + significance;
        return Rule.SignificantOnly ? ", significance not testable (no finite rounds on a side): judged on size" : "";
    }
}

/// <summary>A rule that could not be checked on a benchmark because a side did not measure the metric (e.g. a
/// <c>peak</c> rule against a plain BenchmarkDotNet export, or <c>allocations</c> without the profiler). Reported,
/// never counted as a pass or a failure.</summary>
public sealed record NotComparable(ThresholdRule Rule, string FullName, string Name, string Reason)
{
    /// <summary><c>rss  Sort(n: 10): not measured in the baseline</c>.</summary>
    public override string ToString() => Format(Rule.Label.Length);

    internal string Format(int labelWidth) => $"{Rule.Label.PadRight(labelWidth)}  {Name}: {Reason}";
}

/// <summary>
/// The outcome of <see cref="Comparison.Check(IEnumerable{ThresholdRule}, double)"/>: regressions fail it; metrics
/// one side lacks and benchmarks one side lacks are listed so nothing passes unseen, but do not fail it.
/// </summary>
public sealed class GateResult
{
    /// <summary>Most names the text lists per section; the lists themselves are always complete.</summary>
    public const int TextListLimit = 20;

    internal GateResult(IReadOnlyList<ThresholdRule> rules, IReadOnlyList<MetricChange> changes, IReadOnlyList<NotComparable> notComparable,
        IReadOnlyList<string> onlyInBaseline, IReadOnlyList<string> onlyInCandidate, int compared)
    {
        Rules = rules;
        Changes = changes;
        NotComparable = notComparable;
        OnlyInBaseline = onlyInBaseline;
        OnlyInCandidate = onlyInCandidate;
        Compared = compared;
        Regressions = changes.Where(c => c.IsRegression).ToList();
        NotJudged = changes.Where(c => c.NotJudged is not null).ToList();
        NotSignificant = changes.Where(c => c.NotJudged is null && c.ExceedsLimit && !c.IsRegression && c.Rule.Judgement == TimeJudgement.Significant).ToList();
        WithinNoise = changes.Where(c => c.NotJudged is null && c.ExceedsLimit && !c.IsRegression
            && (c.Rule.Judgement == TimeJudgement.Noise || c.Calibration is not null && c.Rule.Judgement == TimeJudgement.Size)).ToList();
        Calibrated = changes.Any(c => c.Calibration is not null);
    }

    public IReadOnlyList<ThresholdRule> Rules { get; }
    /// <summary>Every rule checked on every benchmark both runs measured, in benchmark then rule order.</summary>
    public IReadOnlyList<MetricChange> Changes { get; }
    /// <summary>The changes that fail the gate.</summary>
    public IReadOnlyList<MetricChange> Regressions { get; }
    /// <summary>Past the limit of a <c>:significant</c> time rule but within noise, so not failing.</summary>
    public IReadOnlyList<MetricChange> NotSignificant { get; }
    /// <summary>Past the limit of a <c>:noise</c> time rule but within the runs' own noise floor, so not failing.</summary>
    public IReadOnlyList<MetricChange> WithinNoise { get; }
    public IReadOnlyList<NotComparable> NotComparable { get; }
    /// <summary>Calibrated time changes the machine was too unsteady to judge (<see cref="MetricChange.NotJudged"/>):
    /// neither failing nor passing, listed with the figure and the fix.</summary>
    public IReadOnlyList<MetricChange> NotJudged { get; }
    /// <summary>Some time change was judged on the calibrated ratio (both runs calibrated).</summary>
    public bool Calibrated { get; }
    /// <summary>FullNames of benchmarks only the baseline has (removed or renamed).</summary>
    public IReadOnlyList<string> OnlyInBaseline { get; }
    /// <summary>FullNames of benchmarks only the candidate has (new).</summary>
    public IReadOnlyList<string> OnlyInCandidate { get; }
    /// <summary>Benchmarks present in both runs.</summary>
    public int Compared { get; }

    /// <summary>True when no rule found a regression. Missing metrics and one-sided benchmarks are reported in the
    /// text but do not fail: a new benchmark, or a column one tool does not measure, is not a regression.</summary>
    public bool Passed => Regressions.Count == 0;

    /// <summary>One line per regression, labels aligned (what a failing test or CI step shows first).</summary>
    public IReadOnlyList<string> RegressionLines
    {
        get
        {
            int width = Regressions.Count == 0 ? 0 : Regressions.Max(r => r.Rule.Label.Length);
            return Regressions.Select(r => r.Format(width)).ToList();
        }
    }

    /// <summary>
    /// The full report: a summary line, the regressions, then near misses, metrics that could not be compared and
    /// benchmarks present on one side only. <c>\n</c> line ends; no trailing newline.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        string rules = Rules.Count == 0 ? "none" : string.Join(", ", Rules);
        string benchmarks = $"{Compared} {(Compared == 1 ? "benchmark" : "benchmarks")} compared";
        text.Append(Passed
            ? $"No regressions: {benchmarks} (rules: {rules})."
            : $"{Regressions.Count} {(Regressions.Count == 1 ? "regression" : "regressions")}: {benchmarks} (rules: {rules}):");
        foreach (string line in RegressionLines)
            text.Append('\n').Append(line);

        AppendChanges(text, "Over the limit but not significant, so not failing", NotSignificant);
        AppendChanges(text, "Over the limit but within the runs' noise floor, so not failing", WithinNoise);
        AppendChanges(text, "Not judged: the machine was too unsteady for a time verdict", NotJudged);
        // A p-value on the page: say once what it can and cannot tell (a calibrated one tests blocks, not rounds).
        if (Regressions.Concat(NotSignificant).Any(c => c.Rule.Field.IsSampled && c.Significance is not null && c.Calibration is null))
            text.Append('\n').Append(SignificanceNote);
        if (Calibrated)
            text.Append('\n').Append(CalibrationNote);
        // A time regression between runs timed in one process each may be the JIT's choice in one process, not the code.
        if (Regressions.Any(c => c.Calibration is { } p && (p.BaselineRaw.LaunchRounds is not { Length: > 1 } || p.CandidateRaw.LaunchRounds is not { Length: > 1 })))
            text.Append('\n').Append(OneProcessNote);
        if (NotComparable.Count > 0)
        {
            // Two rules on one field miss the same numbers: say it once.
            int width = NotComparable.Max(c => c.Rule.Label.Length);
            var lines = NotComparable.Select(c => c.Format(width)).Distinct().ToList();
            text.Append($"\nNot comparable, not checked ({lines.Count}):");
            AppendCapped(text, lines);
        }
        AppendNames(text, "Only in the baseline", OnlyInBaseline);
        AppendNames(text, "Only in the candidate", OnlyInCandidate);
        return text.ToString();
    }

    /// <summary>What "calibrated" means, printed once under a report that judged time calibrated.</summary>
    public const string CalibrationNote =
        "Note: time is compared calibrated: the candidate's rounds brought to the baseline's machine speed (the fastest integer, "
        + "floating-point and memory samples of each run, timed between the benchmarks' rounds), and a plain time rule compares "
        + "the fastest round, which contention on a shared runner cannot make faster; the raw times are in the table and in brackets. "
        + "A time rule fails only past its limit and the runs' own noise floor.";

    /// <summary>Printed once under a time regression when a side was timed in one process.</summary>
    public const string OneProcessNote =
        "Note: a side of a time regression was timed in one process; which code the JIT gives a benchmark can differ between "
        + "processes (measured: a dictionary lookup's fastest round 24 ns in most, 29-41 ns in some): time the runs a gate compares "
        + "with Benchmem.Launches=3, or confirm with benchmem sweep.";

    /// <summary>What a p-value beside a time change means, printed once under a report that shows one.</summary>
    public const string SignificanceNote =
        "Note: the p-values test the rounds of one run against the other's: they tell a change from round-to-round noise, "
        + "not from the machine running at another speed in one run (minutes apart, on a shared runner identical code can read "
        + "as significant). To judge against the runs' own drift use time:N%:noise; to be sure, rerun both.";

    private static void AppendChanges(StringBuilder text, string title, IReadOnlyList<MetricChange> changes)
    {
        if (changes.Count == 0)
            return;
        text.Append($"\n{title} ({changes.Count}):");
        int width = changes.Max(c => c.Rule.Label.Length);
        AppendCapped(text, changes.Select(c => c.Format(width)).ToList());
    }

    private static void AppendCapped(StringBuilder text, IReadOnlyList<string> lines)
    {
        foreach (string line in lines.Take(TextListLimit))
            text.Append('\n').Append(line);
        if (lines.Count > TextListLimit)
            text.Append($"\n… and {lines.Count - TextListLimit} more");
    }

    private static void AppendNames(StringBuilder text, string title, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            return;
        text.Append($"\n{title} ({names.Count}): ").Append(string.Join(", ", names.Take(TextListLimit)));
        if (names.Count > TextListLimit)
            text.Append($", … and {names.Count - TextListLimit} more");
    }
}
