using System.Runtime.CompilerServices;

namespace Benchmem.Core.Timing;

/// <summary>
/// The numbers Benchmem itself reads of a timing sample (every round, outliers included): the run's table, compare,
/// the gate, plots and the results file's Benchmem.Timing. Bit-identical to <see cref="Statistics"/>'s (RoundSummaryTests
/// and MetricTests check this on thousands of samples). Not <see cref="Statistics"/> itself: its confidence interval
/// (a Student-t quantile), percentiles, outlier arrays and higher moments cost ~50 µs per sample, most of a
/// 10,000-benchmark comparison, and nothing here reads them. Computed once per timing (<see cref="Results.TimingResult.Summary"/>).
/// </summary>
public sealed record RoundSummary(int N, double Min, double Q1, double Median, double Q3, double Max, double Mean, double StandardDeviation)
{
    /// <summary>Operations per second, 1e9 / Mean; 0 when Mean &lt;= 0 (possible after overhead subtraction).</summary>
    public double OperationsPerSecond => Mean > 0 ? 1e9 / Mean : 0;

    /// <summary>pytest-benchmark's "Outliers" column, <c>sd;iqr</c>: values strictly outside Mean ± StandardDeviation,
    /// then strictly outside Q1 - 1.5 IQR .. Q3 + 1.5 IQR. Kept from construction: it needs the values.</summary>
    public required string OutliersText { get; init; }

    /// <summary>Null for an empty sample or one with NaN or infinity: such a sample cannot be summarised, and is
    /// treated as not measured rather than throw mid-comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RoundSummary? Of(double[]? values)
    {
        if (values is null || values.Length == 0 || !Array.TrueForAll(values, double.IsFinite))
            return null;
        // Quartiles exactly as Statistics gets them from Perfolizer's Quartiles (type 7), without building a Sample.
        var sorted = values.ToArray();
        Array.Sort(sorted);
        // Perfolizer's Moments.Create without skewness and kurtosis: the same sums in the same order (the values as
        // given), and Math.Pow(d, 2) rather than d * d, which can differ in the last bit.
        int n = values.Length;
        double sum = 0;
        foreach (double v in values)
            sum += v;
        double mean = sum / n;
        double squares = 0;
        foreach (double v in values)
            squares += Math.Pow(v - mean, 2);
        double variance = n == 1 ? 0 : squares / (n - 1);
        double sd = Math.Sqrt(variance);
        double q1 = Quantile.Type7(sorted, 0.25), q3 = Quantile.Type7(sorted, 0.75);

        // As Statistics counts them (StdDevOutliers, IqrOutliers), over the values in their order.
        double sdLow = mean - sd, sdHigh = mean + sd;
        double iqr = q3 - q1, iqrLow = q1 - 1.5 * iqr, iqrHigh = q3 + 1.5 * iqr;
        int sdOutliers = 0, iqrOutliers = 0;
        foreach (double v in values)
        {
            if (v < sdLow || v > sdHigh)
                sdOutliers++;
            if (v < iqrLow || v > iqrHigh)
                iqrOutliers++;
        }
        return new RoundSummary(n, Quantile.Type7(sorted, 0), q1, Quantile.Type7(sorted, 0.5), q3, Quantile.Type7(sorted, 1), mean, sd)
        {
            OutliersText = $"{sdOutliers};{iqrOutliers}",
        };
    }
}
