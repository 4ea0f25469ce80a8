using System.Globalization;

namespace Benchmem.Core.Compare;

/// <summary>
/// Whether a candidate's timing rounds are slower than the baseline's beyond round-to-round noise: a one-sided
/// Mann-Whitney U test on the two samples of ns/op.
/// </summary>
/// <remarks>
/// <para>One-sided (H1: the candidate's rounds tend to be larger) because only growth fails a gate; a speed-up is
/// never "significant" here. Mann-Whitney rather than a t-test because round times are skewed and have outliers,
/// and it needs no equal variances. A p-value below <see cref="Alpha"/> means such a difference would rarely appear
/// if all the rounds came from one distribution.</para>
/// <para>What it cannot tell: the rounds of one run are taken within about a second, the two runs minutes or days
/// apart. A machine that is slower for minutes (a shared CI runner, a busy neighbour) shifts all of one run's rounds
/// together, and the test calls that significant although the code is the same. It separates a change from the
/// noise *within* a run, not from drift *between* runs; <see cref="NoiseFloor"/> (<c>time:N%:noise</c>) is the
/// rule for that.</para>
/// <para>Computed here, not with Perfolizer 0.6.1's MannWhitneyTest, which returns NaN once
/// n1·n2·(n1+n2+1) overflows an int (about 1100 rounds each), exactly the fast benchmarks with many rounds:
/// the exact distribution of U for small samples without ties, else the normal approximation with the tie
/// correction of the variance and a continuity correction.</para>
/// </remarks>
public sealed record Significance
{
    /// <summary>The usual 5% level: one false alarm in twenty comparisons of identical code.</summary>
    public const double DefaultAlpha = 0.05;

    /// <summary>Largest n1·n2 for which the exact distribution is used (no ties): its cost grows as n1²·n2.</summary>
    public const int ExactLimit = 2500;

    /// <exception cref="ArgumentOutOfRangeException">A p-value outside [0, 1] or NaN: a NaN must never read as
    /// "not significant".</exception>
    public Significance(double pValue, double alpha)
    {
        if (!(pValue >= 0 && pValue <= 1))
            throw new ArgumentOutOfRangeException(nameof(pValue), pValue, "a p-value is between 0 and 1.");
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be between 0 and 1, e.g. 0.05.");
        PValue = pValue;
        Alpha = alpha;
    }

    public double PValue { get; }
    public double Alpha { get; }

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
        return new Significance(MannWhitneyGreater(candidate, baseline), alpha);
    }

    /// <summary>
    /// One-sided Mann-Whitney p-value P(U ≥ u | H0) for H1 "x tends to be larger than y", where
    /// u = #(x_i &gt; y_j) + ½·#(x_i = y_j). scipy.stats.mannwhitneyu(x, y, alternative='greater') computes the same
    /// (method 'exact' without ties, 'asymptotic' with use_continuity=True otherwise).
    /// </summary>
    public static double MannWhitneyGreater(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int n1 = x.Count, n2 = y.Count;
        if (n1 == 0 || n2 == 0)
            throw new ArgumentException("Both samples need at least one value.");
        var (u, tieTerm) = UStatistic(x, y);
        double p = tieTerm == 0 && (long)n1 * n2 <= ExactLimit
            ? ExactUpperTail(n1, n2, (long)Math.Round(u))
            : NormalUpperTail(n1, n2, u, tieTerm);
        return Math.Clamp(p, 0, 1);
    }

    /// <summary>U of x (average ranks for ties) and Σ(t³ − t) over the groups of tied values.</summary>
    private static (double U, double TieTerm) UStatistic(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n = n1 + y.Count;
        var all = new (double Value, bool IsX)[n];
        for (int i = 0; i < n1; i++)
            all[i] = (x[i], true);
        for (int j = 0; j < y.Count; j++)
            all[n1 + j] = (y[j], false);
        Array.Sort(all, (a, b) => a.Value.CompareTo(b.Value));
        double rankSumX = 0, tieTerm = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && all[end].Value == all[start].Value)
                end++;
            double averageRank = (start + 1 + end) / 2.0; // ranks start+1 … end
            for (int k = start; k < end; k++)
            {
                if (all[k].IsX)
                    rankSumX += averageRank;
            }
            double t = end - start;
            tieTerm += t * t * t - t;
            start = end;
        }
        return (rankSumX - n1 * (n1 + 1.0) / 2, tieTerm);
    }

    /// <summary>
    /// P(U ≥ u) from the exact null distribution without ties: the number of arrangements with U = k is the number
    /// of partitions of k into at most n1 parts none larger than n2, which satisfies
    /// c(m, n; k) = c(m − 1, n; k − n) + c(m, n − 1; k) (only additions, so no cancellation in doubles).
    /// </summary>
    private static double ExactUpperTail(int n1, int n2, long u)
    {
        int max = n1 * n2;
        if (u <= 0)
            return 1;
        if (u > max)
            return 0;
        // counts[m][k] for the current n, rows m = 0..n1; start from n = 0: only k = 0 has one arrangement.
        var counts = new double[n1 + 1][];
        for (int m = 0; m <= n1; m++)
        {
            counts[m] = new double[max + 1];
            counts[m][0] = 1;
        }
        for (int n = 1; n <= n2; n++)
        {
            // m ascending: row m - 1 already holds c(m - 1, n), row m still c(m, n - 1).
            for (int m = 1; m <= n1; m++)
            {
                var row = counts[m];
                var below = counts[m - 1];
                for (int k = m * n; k >= n; k--)
                    row[k] += below[k - n];
            }
        }
        var final = counts[n1];
        double tail = 0, total = 0;
        for (int k = 0; k <= max; k++)
        {
            total += final[k];
            if (k >= u)
                tail += final[k];
        }
        return tail / total;
    }

    /// <summary>The normal approximation: mean n1·n2/2, variance n1·n2/12·((N + 1) − Σ(t³ − t)/(N(N − 1))), and
    /// U lowered by ½ (the continuity correction) before standardising.</summary>
    private static double NormalUpperTail(int n1, int n2, double u, double tieTerm)
    {
        double n = (double)n1 + n2;
        double mean = (double)n1 * n2 / 2;
        double variance = (double)n1 * n2 / 12 * (n + 1 - tieTerm / (n * (n - 1)));
        if (!(variance > 0))
            return 1; // every value is the same: no evidence of any difference
        double z = (u - mean - 0.5) / Math.Sqrt(variance);
        return 0.5 * Erfc(z / Math.Sqrt(2));
    }

    /// <summary>
    /// The complementary error function, with fractional error below 1.2e-7 everywhere (the Chebyshev fit of
    /// Numerical Recipes, 2nd ed., §6.2 "erfcc"); .NET has none.
    /// </summary>
    internal static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
