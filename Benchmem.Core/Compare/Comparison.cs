using System.Runtime.CompilerServices;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;

namespace Benchmem.Core.Compare;

/// <summary>One benchmark present in both runs.</summary>
public sealed record BenchmarkPair(string FullName, BenchmarkRecord Baseline, BenchmarkRecord Candidate);

/// <summary>
/// A baseline and a candidate run matched benchmark by benchmark on FullName (unique per run, and what
/// BenchmarkDotNet's tools key on too), ready to be gated with <see cref="Check(IEnumerable{ThresholdRule}, double)"/>.
/// </summary>
public sealed class Comparison
{
    private Comparison(IReadOnlyList<BenchmarkPair> matched, IReadOnlyList<string> onlyInBaseline, IReadOnlyList<string> onlyInCandidate,
        RunSpeed? baselineSpeed, RunSpeed? candidateSpeed)
    {
        BaselineSpeed = baselineSpeed;
        CandidateSpeed = candidateSpeed;
        Matched = matched;
        OnlyInBaseline = onlyInBaseline;
        OnlyInCandidate = onlyInCandidate;
    }

    /// <summary>Benchmarks in both runs, in the baseline's order.</summary>
    public IReadOnlyList<BenchmarkPair> Matched { get; }
    /// <summary>FullNames only the baseline has, in its order: removed or renamed benchmarks.</summary>
    public IReadOnlyList<string> OnlyInBaseline { get; }
    /// <summary>FullNames only the candidate has, in its order: new benchmarks.</summary>
    public IReadOnlyList<string> OnlyInCandidate { get; }
    /// <summary>Each run's machine speed, from all its benchmarks' calibrations; null for a run without calibration.</summary>
    public RunSpeed? BaselineSpeed { get; }
    public RunSpeed? CandidateSpeed { get; }

    /// <summary>Matches two loaded runs.</summary>
    public static Comparison Of(BenchmarkRun baseline, BenchmarkRun candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        return Of(baseline.Benchmarks, candidate.Benchmarks);
    }

    /// <summary>Loads and matches two results files (Benchmem or BenchmarkDotNet full JSON).</summary>
    /// <exception cref="ResultsFileException">A file is missing or unreadable; the message names it.</exception>
    public static Comparison Of(string baselinePath, string candidatePath) =>
        Of(BenchmarkRun.Load(baselinePath), BenchmarkRun.Load(candidatePath));

    /// <summary>
    /// Matches records that are not (or not yet) a saved run: the inline gate compares the benchmark a test just
    /// measured against a saved run's record this way.
    /// </summary>
    /// <exception cref="ArgumentException">A FullName appears twice on one side, so the match would be ambiguous.</exception>
    public static Comparison Of(IEnumerable<BenchmarkRecord> baseline, IEnumerable<BenchmarkRecord> candidate) =>
        Of(baseline, candidate, null, (Lazy<RunSpeed?>?)null);

    /// <summary>
    /// Matches some benchmarks of two runs whose machine speeds (<see cref="RunSpeed"/>) were taken from the whole of each:
    /// the inline gate judges one just-measured benchmark, but one benchmark's calibration samples are too few for the
    /// machine's fastest. Null speeds: the speeds come from the records matched.
    /// </summary>
    public static Comparison Of(IEnumerable<BenchmarkRecord> baseline, IEnumerable<BenchmarkRecord> candidate,
        Lazy<RunSpeed?>? baselineSpeed, Lazy<RunSpeed?>? candidateSpeed)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var baseList = baseline.ToList();
        var candidateList = candidate.ToList();
        var candidates = Index(candidateList, "candidate");
        var baseNames = Index(baseList, "baseline");
        var matched = new List<BenchmarkPair>();
        var onlyInBaseline = new List<string>();
        foreach (var b in baseList)
        {
            if (candidates.TryGetValue(b.FullName, out var c))
                matched.Add(new BenchmarkPair(b.FullName, b, c));
            else
                onlyInBaseline.Add(b.FullName);
        }
        var onlyInCandidate = candidateList.Select(c => c.FullName).Where(n => !baseNames.ContainsKey(n)).ToList();
        return new Comparison(matched, onlyInBaseline, onlyInCandidate, baselineSpeed is null ? RunSpeed.Of(baseList) : baselineSpeed.Value, candidateSpeed is null ? RunSpeed.Of(candidateList) : candidateSpeed.Value);
    }

    private static Dictionary<string, BenchmarkRecord> Index(IEnumerable<BenchmarkRecord> records, string side)
    {
        var index = new Dictionary<string, BenchmarkRecord>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (!index.TryAdd(r.FullName, r))
                throw new ArgumentException($"The {side} has FullName \"{r.FullName}\" twice; FullNames must be unique in a run.");
        }
        return index;
    }

    /// <summary>Parses the rules (<see cref="ThresholdRule.ParseMany"/>: comma lists allowed) and checks them.</summary>
    /// <exception cref="FormatException">A rule is malformed; the message quotes it and says the fix.</exception>
    public GateResult Check(params string[] rules) => Check(ThresholdRule.ParseMany(rules));

    /// <summary>
    /// Applies every rule to every matched benchmark. A rule fails a benchmark when its metric grew past the limit
    /// (and, for a <c>:significant</c> time rule, the slowdown is significant at <paramref name="alpha"/>). A metric
    /// missing on either side goes to <see cref="GateResult.NotComparable"/> with the side that lacks it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public GateResult Check(IEnumerable<ThresholdRule> rules, double alpha = Significance.DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var ruleList = rules.ToList();
        if (ruleList.Any(r => r is null))
            throw new ArgumentException("A rule is null.", nameof(rules));
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be between 0 and 1, e.g. 0.05.");

        bool timeRules = ruleList.Any(r => r.Field.IsSampled);
        // Each benchmark is checked on its own (in parallel for large runs), then the results are joined in
        // benchmark order, so the outcome is the same as a sequential check.
        var perPair = new (List<MetricChange> Changes, List<NotComparable> NotComparable)[Matched.Count];
        Parallel.For(0, Matched.Count, new ParallelOptions { MaxDegreeOfParallelism = Matched.Count < 512 ? 1 : -1 }, i =>
        {
            var pair = Matched[i];
            var changes = new List<MetricChange>(ruleList.Count);
            var notComparable = new List<NotComparable>();
            string name = BenchmarkKey.ShortName(pair.Candidate);
            // One test per benchmark serves every time rule (the samples are the same whatever the stat), and only
            // if something asks: a change within its limit never needs it.
            var (baseRounds, candidateRounds) = (pair.Baseline.Timing?.RoundNanoseconds, pair.Candidate.Timing?.RoundNanoseconds);
            var significance = !timeRules || baseRounds is null || candidateRounds is null ? null
                : new Lazy<Significance?>(() => Significance.OfSlowdown(baseRounds, candidateRounds, alpha), LazyThreadSafetyMode.ExecutionAndPublication);
            NoiseFloor? noiseFloor = null;
            bool floorComputed = false;
            // Both runs calibrated: time is judged at the baseline's machine speed (raw numbers stay in the table and the line).
            var (calibrated, raw) = timeRules ? CalibratedPair.Of(pair.Baseline, pair.Candidate, BaselineSpeed, CandidateSpeed) : (null, null);
            foreach (var rule in ruleList)
            {
                double? b = Metric.Value(pair.Baseline, rule.Field, rule.Stat);
                double? c = Metric.Value(pair.Candidate, rule.Field, rule.Stat);
                if (b is null || c is null)
                {
                    string side = b is null && c is null ? "either run" : b is null ? "the baseline" : "the candidate";
                    notComparable.Add(new NotComparable(rule, pair.FullName, name, $"not measured in {side}"));
                    continue;
                }
                if (rule.Field.IsSampled && calibrated is not null)
                {
                    var stat = CalibratedPair.JudgedStat(rule);
                    changes.Add(new MetricChange(rule, pair.FullName, name, calibrated.Value(stat, false), calibrated.Value(stat, true),
                        rule.Judgement == TimeJudgement.Significant ? new Lazy<Significance?>(() => calibrated.Significance(stat, alpha)) : null,
                        calibrated.FloorOf(stat))
                    {
                        Calibration = calibrated,
                        JudgedStat = stat,
                        RawBaseline = calibrated.Raw(stat, false),
                        RawCandidate = calibrated.Raw(stat, true),
                    });
                    continue;
                }
                if (rule.Judgement == TimeJudgement.Noise && !floorComputed)
                {
                    noiseFloor = NoiseFloor.Of(baseRounds, candidateRounds);
                    floorComputed = true;
                }
                // A :noise rule judges by the floor; a p-value beside it would answer the question it exists to avoid.
                bool timed = rule.Field.IsSampled && rule.Judgement != TimeJudgement.Noise;
                changes.Add(new MetricChange(rule, pair.FullName, name, b.Value, c.Value, timed ? significance : null,
                    rule.Judgement == TimeJudgement.Noise ? noiseFloor : null) { RawBecause = rule.Field.IsSampled ? raw : null });
                if (rule.SignificantOnly && rule.IsExceeded(b.Value, c.Value))
                    _ = significance?.Value; // the gate will ask: test here, on this pair's thread
            }
            perPair[i] = (changes, notComparable);
        });
        return new GateResult(ruleList, perPair.SelectMany(p => p.Changes).ToList(), perPair.SelectMany(p => p.NotComparable).ToList(),
            OnlyInBaseline, OnlyInCandidate, Matched.Count);
    }
}
