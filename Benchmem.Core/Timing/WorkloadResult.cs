using Perfolizer.Mathematics.OutlierDetection;
using Pragmastat;

namespace Benchmem.Core.Timing;

/// <summary>
/// The rounds BenchmarkDotNet 0.15.8 keeps for its <c>Statistics</c> (its "Workload Result" measurements) under its
/// default <c>OutlierMode.RemoveUpper</c>: rounds above the Tukey upper fence (Q3 + 1.5 IQR, type-7 quartiles) of all
/// rounds are dropped, and a round under 0.1 ns in total is read as 0 (BDN's "suspiciously small" noise rule).
/// BDN applies the fence to whole-round totals (ns per round, not per operation), so this does too: per-operation
/// values are derived afterwards as BDN does, total / operations, so the numbers are bit-identical to BDN's.
/// Benchmem has already subtracted its overhead from each round; a shift moves the fence with the values, so only
/// the order of subtraction differs from BDN (which subtracts after the fence), not which rounds are kept.
/// </summary>
public sealed class WorkloadResult
{
    private WorkloadResult(double[] totals, bool[] kept, double[] perOperation, long operations)
    {
        RoundTotals = totals;
        Kept = kept;
        PerOperation = perOperation;
        Operations = operations;
    }

    /// <summary>
    /// Which statistics Benchmem's own table and gates use, said wherever they are shown: every round, outliers included
    /// (pytest-benchmark's way, and what the significance test needs), unlike the results file's BDN Statistics.
    /// </summary>
    public const string OwnStatisticsNote =
        "times are over every round, outliers included; the results file's Statistics leave upper outliers out, as BenchmarkDotNet does";

    /// <summary>Each round's total nanoseconds (per-operation time × operations), in round order: BDN's "Workload Actual".</summary>
    public double[] RoundTotals { get; }
    /// <summary>Whether each round survived the upper-outlier rule.</summary>
    public bool[] Kept { get; }
    /// <summary>Nanoseconds per operation of the kept rounds, in round order: the sample of BDN's Statistics.</summary>
    public double[] PerOperation { get; }
    public long Operations { get; }
    public int UpperOutliersRemoved => Kept.Count(k => !k);

    private Statistics? _statistics;

    /// <summary>The statistics BDN writes for this sample, computed once.</summary>
    public Statistics Statistics => LazyInitializer.EnsureInitialized(ref _statistics, () => new Statistics(PerOperation));

    /// <summary>The workload result of a measured timing; rounds read from a BDN export are its result already.</summary>
    public static WorkloadResult Of(Results.TimingResult timing) =>
        Of(timing.RoundNanoseconds, Math.Max(1, timing.IterationsPerRound), removeOutliers: !timing.OutliersRemoved);

    public static WorkloadResult Of(IReadOnlyList<double> roundNanosecondsPerOperation, long operations, bool removeOutliers = true)
    {
        ArgumentNullException.ThrowIfNull(roundNanosecondsPerOperation);
        if (roundNanosecondsPerOperation.Count == 0)
            throw new ArgumentException("Cannot select the workload result of no rounds.", nameof(roundNanosecondsPerOperation));
        if (operations < 1)
            throw new ArgumentOutOfRangeException(nameof(operations), operations, "A round has at least one operation.");
        var totals = roundNanosecondsPerOperation.Select(v => v * operations).ToArray();
        // The same Perfolizer calls as BDN's Statistics(values) and its IsActualOutlier(value, RemoveUpper).
        var tukey = TukeyOutlierDetector.Create(new Sample(totals));
        var kept = totals.Select(t => !removeOutliers || !tukey.IsUpperOutlier(t)).ToArray();
        var perOperation = new List<double>(totals.Length);
        for (int i = 0; i < totals.Length; i++)
        {
            if (!kept[i])
                continue;
            double value = Math.Max(0, totals[i]);
            if (value < 0.1)
                value = 0;
            perOperation.Add(value / operations);
        }
        return new WorkloadResult(totals, kept, perOperation.ToArray(), operations);
    }
}
