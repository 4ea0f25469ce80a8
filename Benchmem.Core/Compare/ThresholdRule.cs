using System.Globalization;
using System.Text.RegularExpressions;
using Benchmem.Core.Units;

namespace Benchmem.Core.Compare;

/// <summary>How a rule's limit is expressed.</summary>
public enum ThresholdKind
{
    /// <summary><c>peak:10%</c>: fails when the candidate exceeds the baseline by more than N percent of it.</summary>
    Percent,
    /// <summary><c>peak:10MiB</c>, <c>time:50us</c>, <c>allocations:100</c>: fails when the candidate exceeds the
    /// baseline by more than N (bytes, nanoseconds or a count).</summary>
    Absolute,
}

/// <summary>How a time rule tells a real slowdown from noise, once the change is past its limit (the rule's third
/// part). Issue "time gate" (machine-speed calibration) builds on <see cref="Noise"/>.</summary>
public enum TimeJudgement
{
    /// <summary><c>time:5%</c>: the size of the change alone decides; the p-value is reported beside it.</summary>
    Size,
    /// <summary><c>time:5%:significant</c>: also significant in a one-sided Mann-Whitney test of the two runs'
    /// rounds (<see cref="Significance"/>). Tells a change from round-to-round noise, not from a machine that
    /// changed speed between the runs.</summary>
    Significant,
    /// <summary><c>time:5%:noise</c>: the change of the medians must also exceed the noise floor measured from the
    /// two runs themselves (<see cref="NoiseFloor"/>): the spread of each run's medians over the course of the run.</summary>
    Noise,
}

/// <summary>
/// One regression threshold, written the same way in the API (<c>FailOn("peak:10%")</c>), the inline gate
/// (<c>Benchmem.CompareFail=peak:10%,allocations:5%</c>) and the CLI (<c>--fail-on peak:10%</c>), so a rule copied
/// from one place works in the others.
/// </summary>
/// <remarks>
/// <para>Grammar: <c>FIELD[.STAT]:LIMIT[:significant|:noise]</c>.</para>
/// <list type="bullet">
/// <item><c>FIELD</c>: a <see cref="MetricField"/>: <c>peak</c>, <c>allocated</c>, <c>allocations</c>, <c>retained</c>,
/// <c>rss</c>, <c>gen0</c>, <c>gen1</c>, <c>gen2</c>, <c>time</c> (case-insensitive).</item>
/// <item><c>.STAT</c>, time only: <c>time.min</c>, <c>time.max</c>, <c>time.mean</c>, <c>time.median</c>; plain
/// <c>time</c> is the median. Memory fields take no stat: they compare the headline pass.</item>
/// <item><c>LIMIT</c>: <c>N%</c> for any field; or an amount: bytes for <c>peak</c>, <c>allocated</c>,
/// <c>retained</c>, <c>rss</c> (<c>B</c>, <c>KiB</c>/<c>MiB</c>/<c>GiB</c> = powers of 2, <c>KB</c>/<c>MB</c>/<c>GB</c>
/// = powers of 10, always with a unit); <c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c> or <c>s</c> for <c>time</c>; a
/// plain number for the counts <c>allocations</c>, <c>gen0</c>, <c>gen1</c> and <c>gen2</c>. N is 0 or more; <c>peak:0%</c> fails on any growth.</item>
/// <item><c>:significant</c>, time only (<c>time:5%:significant</c>): fail only when the slowdown is also
/// statistically significant (one-sided Mann-Whitney on the two timing samples, alpha 0.05). Without it a time rule
/// fails on the size of the change alone and the p-value is reported beside it. Memory numbers are exact, not
/// sampled, so they take no significance test.</item>
/// <item><c>:noise</c>, time only (<c>time:10%:noise</c>): fail only when the change of the medians is also larger
/// than the noise floor of the two runs (<see cref="NoiseFloor"/>), which widens when the machine drifted during
/// either run.</item>
/// </list>
/// <para>Only growth fails: a limit is how much larger the candidate may be; exactly at the limit passes.</para>
/// </remarks>
public sealed partial record ThresholdRule
{
    /// <summary>The suffix that makes a time rule fail only on a statistically significant slowdown.</summary>
    public const string SignificantSuffix = "significant";
    /// <summary>The suffix that makes a time rule fail only on a change above the runs' own noise floor.</summary>
    public const string NoiseSuffix = "noise";

    /// <summary>Every third part a time rule may have, with what it selects: the grammar's one list of options.</summary>
    public static readonly IReadOnlyList<(string Suffix, TimeJudgement Judgement)> Options =
        [(SignificantSuffix, TimeJudgement.Significant), (NoiseSuffix, TimeJudgement.Noise)];

    public required MetricField Field { get; init; }
    /// <summary>The timing statistic compared (time rules); <see cref="Stat.Median"/> for memory fields, which ignore it.</summary>
    public Stat Stat { get; init; } = Stat.Median;
    /// <summary>Time rules: the statistic was written (<c>time.median</c>); a plain <c>time</c> rule on calibrated runs
    /// compares the fastest round instead (<see cref="CalibratedPair.JudgedStat"/>).</summary>
    public bool StatGiven { get; init; }
    public required ThresholdKind Kind { get; init; }
    /// <summary>Percent for <see cref="ThresholdKind.Percent"/>; otherwise bytes, nanoseconds or a count, by field.</summary>
    public required double Limit { get; init; }
    /// <summary>Time rules only: what else a change past the limit must show to fail (<see cref="TimeJudgement"/>).</summary>
    public TimeJudgement Judgement { get; init; } = TimeJudgement.Size;
    /// <summary>Time rules only: fail only when the change is statistically significant.</summary>
    public bool SignificantOnly => Judgement == TimeJudgement.Significant;

    /// <summary>The field as written in reports: <c>peak</c>, <c>time</c>, <c>time.min</c>.</summary>
    public string Label => Field.IsSampled && (StatGiven || Stat != Stat.Median) ? $"{Field.Name}.{Metric.Name(Stat)}" : Field.Name;

    /// <summary>True when growing from <paramref name="baseline"/> to <paramref name="candidate"/> breaks this limit
    /// (regardless of significance, which needs the samples: see <see cref="Comparison.Check(IEnumerable{ThresholdRule}, double)"/>).</summary>
    public bool IsExceeded(double baseline, double candidate)
    {
        if (!(candidate > baseline))
            return false; // only growth fails
        // A tolerance of a few ulps: 10% of 100 must not fail at 110 because (110 - 100) / 100 * 100 rounds up.
        double limit = Limit + Math.Max(Math.Abs(Limit), 1) * 1e-9;
        return Kind == ThresholdKind.Percent
            ? Metric.ChangePercent(baseline, candidate) > limit // from 0: +inf, so any growth fails
            : candidate - baseline > limit;
    }

    /// <summary>The canonical text, which parses back to an equal rule: <c>peak:10%</c>, <c>peak:10MiB</c>,
    /// <c>time.min:50us:significant</c>. Field and stat are lowercase and amounts use the largest unit that
    /// writes them exactly, so two spellings of one rule print the same.</summary>
    public override string ToString()
    {
        string limit = Kind == ThresholdKind.Percent ? Number(Limit) + "%" : Metric.Kind(Field) switch
        {
            MetricKind.Bytes => Bytes(Limit),
            MetricKind.Time => Time(Limit),
            _ => Number(Limit),
        };
        return $"{Label}:{limit}" + (Judgement == TimeJudgement.Size ? "" : ":" + Options.First(o => o.Judgement == Judgement).Suffix);
    }

    private static readonly (long Size, string Unit)[] SizeUnits =
        [(1L << 40, "TiB"), (1_000_000_000_000, "TB"), (1L << 30, "GiB"), (1_000_000_000, "GB"), (1L << 20, "MiB"),
         (1_000_000, "MB"), (1L << 10, "KiB"), (1_000, "KB")];

    private static string Bytes(double bytes)
    {
        long whole = (long)bytes;
        foreach (var (size, unit) in SizeUnits)
        {
            if (whole >= size && whole % size == 0)
                return Number(whole / size) + unit;
        }
        return Number(whole) + "B";
    }

    private static string Time(double ns)
    {
        foreach (var (perUnit, unit) in new[] { (1e9, "s"), (1e6, "ms"), (1e3, "us") })
        {
            double value = ns / perUnit;
            // Exact to a thousandth of the unit, so 1.5ms stays 1.5ms but 1234567ns is not shortened to 1.235ms.
            if (value >= 1 && Math.Abs(value * 1000 - Math.Round(value * 1000)) < 1e-6)
                return Number(Math.Round(value, 3)) + unit;
        }
        return Number(ns) + "ns";
    }

    private static string Number(double value) => value.ToString("0.###############", CultureInfo.InvariantCulture);

    // Digits with an optional fraction, then whatever unit follows; the unit is judged per field below.
    [GeneratedRegex(@"^(?<num>-?[0-9]+(?:\.[0-9]+)?)\s*(?<unit>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Amount();

    /// <summary>Parses one rule.</summary>
    /// <exception cref="FormatException">The message quotes the rule and says how to fix it, e.g.
    /// <c>'peak:10' has no unit: write peak:10% or peak:10MiB</c>.</exception>
    public static ThresholdRule Parse(string text) =>
        TryParse(text, out var rule, out string error) ? rule : throw new FormatException(error);

    public static bool TryParse(string? text, out ThresholdRule rule) => TryParse(text, out rule, out _);

    public static bool TryParse(string? text, out ThresholdRule rule, out string error)
    {
        rule = null!;
        string rawText = text ?? "";
        string t = rawText.Trim();
        string example = "write FIELD:N% or FIELD:N<unit>, e.g. peak:10%, allocated:1MiB or time:5%";
        if (t.Length == 0)
            return Fail(out error, $"'{rawText}' is empty: {example}");

        string[] parts = t.Split(':');
        if (parts.Length < 2)
            return Fail(out error, $"'{t}' has no ':': {example}");
        if (parts.Length > 3)
            return Fail(out error, $"'{t}' has too many ':': {example}, with :{SignificantSuffix} or :{NoiseSuffix} after a time rule");

        // FIELD[.STAT]
        string head = parts[0].Trim();
        string fieldName = head, statName = "";
        // metric.NAME is a field of its own (a run's Bench.Metric), not FIELD.STAT.
        int dot = head.StartsWith(MetricField.CustomPrefix, StringComparison.OrdinalIgnoreCase) ? -1 : head.IndexOf('.');
        if (dot >= 0)
        {
            fieldName = head[..dot];
            statName = head[(dot + 1)..];
        }
        if (fieldName.Length == 0)
            return Fail(out error, $"'{t}' has no field: {example}");
        if (!Metric.TryParseField(fieldName, out var field))
            return Fail(out error, $"'{t}': {Metric.UnknownField(fieldName)}");
        string name = Metric.Name(field);

        var stat = Stat.Median;
        if (dot >= 0)
        {
            if (!field.IsSampled)
                return Fail(out error, $"'{t}': {name} takes no statistic, it compares the headline memory pass: write {name}:{parts[1].Trim()}");
            if (!Metric.TryParseStat(statName, out stat) || !field.Stats.Contains(stat) || stat == Stat.StdDev)
                return Fail(out error, $"'{t}': unknown statistic '{statName}' for time: use time.min, time.max, time.mean or time.median");
        }
        string label = dot >= 0 ? $"{name}.{Metric.Name(stat)}" : name;

        // :significant, :noise
        var judgement = TimeJudgement.Size;
        if (parts.Length == 3)
        {
            string option = parts[2].Trim();
            int known = Options.ToList().FindIndex(o => o.Suffix.Equals(option, StringComparison.OrdinalIgnoreCase));
            if (known < 0)
                return Fail(out error, $"'{t}': unknown option '{option}': the options are :{SignificantSuffix} and :{NoiseSuffix}, e.g. time:5%:{SignificantSuffix}");
            if (!field.IsSampled)
                return Fail(out error, $"'{t}': only time rules take :{Options[known].Suffix}; memory is measured exactly, not sampled: write {name}:{parts[1].Trim()}");
            judgement = Options[known].Judgement;
        }

        // LIMIT
        string limitText = parts[1].Trim();
        string unitHint = Metric.Kind(field) switch
        {
            MetricKind.Bytes => $"{label}:10% or {label}:10MiB",
            MetricKind.Time => $"{label}:5% or {label}:5ms",
            _ => $"{label}:5% or {label}:100",
        };
        if (limitText.Length == 0)
            return Fail(out error, $"'{t}' has no limit: write {unitHint}");
        var match = Amount().Match(limitText);
        if (!match.Success)
            return Fail(out error, $"'{t}': '{limitText}' is not a number with a unit: write {unitHint}");
        string number = match.Groups["num"].Value, unit = match.Groups["unit"].Value;
        if (number.StartsWith('-'))
            return Fail(out error, $"'{t}': the limit is negative; only growth fails, so write how much growth is allowed, e.g. {unitHint}");

        double limit;
        var kind = ThresholdKind.Absolute;
        if (unit == "%")
        {
            kind = ThresholdKind.Percent;
            limit = double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            if (!double.IsFinite(limit))
                return Fail(out error, $"'{t}': the limit is too large: write a percentage such as {label}:10%");
        }
        else
        {
            switch (Metric.Kind(field))
            {
                case MetricKind.Bytes:
                    if (unit.Length == 0)
                        return Fail(out error, $"'{t}' has no unit: write {label}:{number}% or {label}:{number}MiB");
                    if (IsTimeUnit(unit))
                        return Fail(out error, $"'{t}': {name} is a size: write {label}:{number}% or a size such as {label}:{number}MiB");
                    if (!ByteSize.TryParse(limitText, out long bytes, out string sizeError))
                        return Fail(out error, $"'{t}': {sizeError}");
                    limit = bytes;
                    break;
                case MetricKind.Time:
                    if (unit.Length == 0)
                        return Fail(out error, $"'{t}' has no unit: write {label}:{number}% or {label}:{number}ms");
                    if (!IsTimeUnit(unit))
                        return Fail(out error, $"'{t}': time takes ns, us, ms or s: write {label}:{number}ms or {label}:{number}%");
                    if (!TimeFormat.TryParse(limitText, out double ns, out string timeError))
                        return Fail(out error, $"'{t}': {timeError}");
                    limit = ns;
                    break;
                default:
                    if (unit.Length > 0)
                        return Fail(out error, $"'{t}': {name} is a count and takes no unit: write {label}:{number}% or {label}:{number}");
                    limit = double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                    if (!double.IsFinite(limit))
                        return Fail(out error, $"'{t}': the limit is too large: use fewer digits");
                    break;
            }
        }

        rule = new ThresholdRule { Field = field, Stat = stat, StatGiven = dot >= 0, Kind = kind, Limit = limit, Judgement = judgement };
        error = "";
        return true;
    }

    /// <summary>
    /// Every rule in the arguments, each of which may be a comma-separated list (<c>"peak:10%,allocations:5%"</c>,
    /// as run settings and <c>--fail-on</c> give them). Empty items are skipped, so a trailing comma is harmless.
    /// </summary>
    /// <exception cref="FormatException">For the first bad rule, with <see cref="Parse"/>'s message.</exception>
    public static IReadOnlyList<ThresholdRule> ParseMany(params string[] rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var parsed = new List<ThresholdRule>();
        foreach (string list in rules)
        {
            foreach (string item in (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                parsed.Add(Parse(item));
        }
        return parsed;
    }

    // Lowercase only, as TimeFormat reads them; "MS" or "S" then fall through to the size parser's message.
    private static bool IsTimeUnit(string unit) => unit is "ns" or "us" or "\u00B5s" or "\u03BCs" or "ms" or "s";

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }
}
