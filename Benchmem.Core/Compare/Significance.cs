using System.Globalization;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Benchmem.Core.Compare;

/// <summary>
/// Whether a candidate's timing rounds are slower than the baseline's beyond noise: a one-sided Mann-Whitney U test
/// (Perfolizer 0.6.1, as BenchmarkDotNet's statistical-test column uses) on the two samples of ns/op.
/// </summary>
/// <remarks>
/// One-sided (H1: the candidate's rounds tend to be larger) because only growth fails a gate; a speed-up is never
/// "significant" here. Mann-Whitney rather than a t-test because round times are skewed and have outliers, and
/// it needs no equal variances. A p-value below <see cref="Alpha"/> means such a difference would rarely appear if
/// the two runs timed the same code: the slowdown is real, not noise.
/// </remarks>
public sealed record Significance(double PValue, double Alpha)
{
    /// <summary>The usual 5% level: one false alarm in twenty comparisons of identical code.</summary>
    public const double DefaultAlpha = 0.05;

    public bool IsSignificant => PValue < Alpha;

    /// <summary><c>significant (p=0.003)</c> or <c>not significant (p=0.41)</c>.</summary>
    public override string ToString() => (IsSignificant ? "significant" : "not significant") + $" ({FormatP(PValue)})";

    /// <summary><c>p=0.41</c>, <c>p=0.045</c>, <c>p=0.003</c>, <c>p&lt;0.001</c>: about two significant digits, all a
    /// p-value supports, and enough to tell 0.045 from 0.05.</summary>
    public static string FormatP(double p) =>
        p < 0.001 ? "p<0.001"
        : p < 0.1 ? "p=" + p.ToString("F3", CultureInfo.InvariantCulture)
        : "p=" + p.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Tests whether <paramref name="candidate"/>'s values are larger than <paramref name="baseline"/>'s.
    /// Null when either sample is empty or not finite: there is nothing to test.</summary>
    public static Significance? OfSlowdown(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be between 0 and 1, e.g. 0.05.");
        if (baseline.Count == 0 || candidate.Count == 0 || !baseline.All(double.IsFinite) || !candidate.All(double.IsFinite))
            return null;
        // x = candidate, y = baseline, Greater: p = P(U >= observed | both samples from one distribution).
        var result = MannWhitneyTest.Instance.Perform(
            new Sample(candidate.ToArray()), new Sample(baseline.ToArray()), AlternativeHypothesis.Greater, Threshold.Zero);
        double p = result.PValue;
        return new Significance(Math.Clamp(p, 0, 1), alpha);
    }
}
