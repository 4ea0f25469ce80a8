using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.OutlierDetection;
using Perfolizer.Mathematics.QuantileEstimators;
using Pragmastat;

namespace Benchmem.Core.Timing;

/// <summary>
/// Summary statistics of one timing sample (ns per operation, one value per round), field for field the
/// numbers of BenchmarkDotNet 0.15.8's <c>BenchmarkDotNet.Mathematics.Statistics</c>. BenchmarkDotNet is not
/// referenced here: the constructor makes the same Perfolizer 0.6.1 calls in the same order, so the results
/// are bit-identical (Benchmem.Core.Tests/Timing/StatisticsParityTests checks this against BDN itself).
/// </summary>
/// <remarks>
/// BDN quirks kept on purpose, for parity:
/// <list type="bullet">
/// <item>Quartiles, median and percentiles are Hyndman-Fan type 7 (linear interpolation, like numpy's default
/// and Excel's PERCENTILE.INC), not the "median of halves" older BDN versions used.</item>
/// <item>Variance uses n-1, and is 0 (not NaN) when N = 1. Skewness and Kurtosis divide the population
/// (1/n) central moments by that sample variance to the power 1.5 and 2; Kurtosis is not excess kurtosis.
/// Both are NaN when all values are equal (0/0).</item>
/// <item>Moments are summed in the given order (BDN uses the unsorted values), outlier arrays are sorted.</item>
/// <item>The confidence interval is Student's t at 99.9%, and its Margin, Lower and Upper are NaN when N &lt;= 2.</item>
/// </list>
/// </remarks>
public sealed class Statistics
{
    /// <summary>What BDN's JSON export writes for <c>ConfidenceInterval.Level</c>: its default level
    /// <c>LegacyConfidenceLevel.L999</c> (99.9%) is the 13th enum member, and SimpleJson writes enums as numbers.</summary>
    public const int ConfidenceLevel999 = 12;

    private static readonly int[] PercentileRanks = [0, 25, 50, 67, 80, 85, 90, 95, 100];

    /// <summary>The sample in the given order.</summary>
    public double[] OriginalValues { get; }
    public int N { get; }
    public double Min { get; }
    public double LowerFence { get; }
    public double Q1 { get; }
    public double Median { get; }
    public double Mean { get; }
    public double Q3 { get; }
    public double UpperFence { get; }
    public double Max { get; }
    public double InterquartileRange { get; }
    /// <summary>Values below <see cref="LowerFence"/>, ascending.</summary>
    public double[] LowerOutliers { get; }
    /// <summary>Values above <see cref="UpperFence"/>, ascending.</summary>
    public double[] UpperOutliers { get; }
    /// <summary>Lower and upper outliers, ascending.</summary>
    public double[] AllOutliers { get; }
    public double StandardError { get; }
    public double Variance { get; }
    public double StandardDeviation { get; }
    public double Skewness { get; }
    public double Kurtosis { get; }
    public ConfidenceIntervalStats ConfidenceInterval { get; }
    public PercentileStats Percentiles { get; }

    // pytest-benchmark extras (its "Outliers" column is "sd;iqr" and its "OPS" column is 1 / mean).
    /// <summary>Values strictly outside Mean ± StandardDeviation (pytest-benchmark's <c>stddev_outliers</c>).</summary>
    public int StdDevOutliers { get; }
    /// <summary>Values strictly outside Q1 - 1.5 IQR .. Q3 + 1.5 IQR (pytest-benchmark's <c>iqr_outliers</c>). With
    /// BDN's type-7 quartiles these are exactly the Tukey fences, so this equals <c>AllOutliers.Length</c>.</summary>
    public int IqrOutliers { get; }
    public string OutliersText => $"{StdDevOutliers};{IqrOutliers}";
    /// <summary>Operations per second, 1e9 / Mean; 0 when Mean &lt;= 0 (possible after overhead subtraction).</summary>
    public double OperationsPerSecond => Mean > 0 ? 1e9 / Mean : 0;

    public Statistics(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        OriginalValues = values.ToArray();
        if (OriginalValues.Length == 0)
            throw new ArgumentException("Cannot compute statistics of an empty sample: at least one value is needed.", nameof(values));
        // BDN 0.15.8 no longer drops NaN (older versions did) and then returns meaningless numbers; reject instead.
        if (!Array.TrueForAll(OriginalValues, double.IsFinite))
            throw new ArgumentException("Cannot compute statistics of a sample that contains NaN or infinity.", nameof(values));

        // The same sequence of Perfolizer calls as BDN's Statistics(Sample) constructor.
        var sample = new Sample(OriginalValues);
        N = sample.Size;

        var quartiles = Quartiles.Create(sample); // SimpleQuantileEstimator = Hyndman-Fan type 7
        Min = quartiles.Min;
        Q1 = quartiles.Q1;
        Median = quartiles.Median;
        Q3 = quartiles.Q3;
        Max = quartiles.Max;
        InterquartileRange = quartiles.InterquartileRange;

        var moments = Moments.Create(sample); // over sample.Values, i.e. the original order
        Mean = moments.Mean;
        StandardDeviation = moments.StandardDeviation;
        Variance = moments.Variance;
        Skewness = moments.Skewness;
        Kurtosis = moments.Kurtosis;

        var tukey = TukeyOutlierDetector.Create(quartiles); // k = 1.5
        LowerFence = tukey.LowerFence;
        UpperFence = tukey.UpperFence;
        var sorted = sample.SortedValues;
        AllOutliers = sorted.Where(tukey.IsOutlier).ToArray();
        LowerOutliers = sorted.Where(tukey.IsLowerOutlier).ToArray();
        UpperOutliers = sorted.Where(tukey.IsUpperOutlier).ToArray();

        StandardError = StandardDeviation / Math.Sqrt(N);
        // BDN's LegacyConfidenceInterval: t-quantile with N-1 degrees of freedom at 99.9%, but NaN for N <= 2
        // (it does not trust a t-interval with one degree of freedom).
        double margin = N <= 2
            ? double.NaN
            : StandardError * new ConfidenceIntervalEstimator(N, Mean, StandardError).ZLevel(ConfidenceLevel.L999);
        ConfidenceInterval = new ConfidenceIntervalStats(N, Mean, StandardError, ConfidenceLevel999, margin, Mean - margin, Mean + margin);

        var p = PercentileRanks.Select(rank => (double)SimpleQuantileEstimator.Instance.Quantile(sample, rank / 100.0)).ToArray();
        Percentiles = new PercentileStats(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);

        double sdLow = Mean - StandardDeviation, sdHigh = Mean + StandardDeviation;
        StdDevOutliers = OriginalValues.Count(v => v < sdLow || v > sdHigh);
        double iqrLow = Q1 - 1.5 * InterquartileRange, iqrHigh = Q3 + 1.5 * InterquartileRange;
        IqrOutliers = OriginalValues.Count(v => v < iqrLow || v > iqrHigh);
    }
}

/// <summary>BDN's <c>LegacyConfidenceInterval</c>: Mean ± Margin at the 99.9% level (<see cref="Level"/> is BDN's
/// JSON value for it, <see cref="Statistics.ConfidenceLevel999"/>). Margin, Lower and Upper are NaN when N &lt;= 2.</summary>
public sealed record ConfidenceIntervalStats(int N, double Mean, double StandardError, int Level, double Margin, double Lower, double Upper);

/// <summary>BDN's <c>PercentileValues</c>: Hyndman-Fan type 7 percentiles of the sample.</summary>
public sealed record PercentileStats(double P0, double P25, double P50, double P67, double P80, double P85, double P90, double P95, double P100);
