namespace Benchmem.Core.Timing;

/// <summary>The one quantile estimator of the code: Hyndman-Fan type 7, the one BDN's statistics use (Perfolizer's
/// SimpleQuantileEstimator), numpy's default and Excel's PERCENTILE.INC.</summary>
public static class Quantile
{
    /// <summary>
    /// Perfolizer 0.6.1's HyndmanFanHelper.Evaluate for type 7 on sorted values: the 1-based real index
    /// h = (n - 1)p + 1, then linear interpolation between its neighbours, clamped to the sample. The same arithmetic
    /// in the same order, so the result is bit-identical to <see cref="Statistics"/>'s quartiles.
    /// </summary>
    public static double Type7(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
            throw new ArgumentException("A quantile of no values does not exist.", nameof(sorted));
        int n = sorted.Length;
        double h = (n - 1) * p + 1;
        int hFloor = (int)h;
        double fraction = h - hFloor;
        if (hFloor + 1 <= n)
            return At(sorted, hFloor) * (1 - fraction) + At(sorted, hFloor + 1) * fraction;
        return At(sorted, hFloor);
    }

    private static double At(double[] sorted, int oneBased)
    {
        int index = oneBased - 1;
        return index <= 0 ? sorted[0] : index >= sorted.Length ? sorted[^1] : sorted[index];
    }
}
