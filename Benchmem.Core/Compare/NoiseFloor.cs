using System.Globalization;

namespace Benchmem.Core.Compare;

/// <summary>
/// How much a benchmark's median moves within a run while the code stays the same: the rounds, in the order they
/// were timed, cut into <see cref="Blocks"/> consecutive blocks; the floor is how far the slowest block's median
/// lies above the fastest's, in percent. Of two runs the larger floor counts. A <c>time:N%:noise</c> rule fails only
/// when the change of the medians exceeds both N% and this floor.
/// </summary>
/// <remarks>
/// <para>Why: rounds taken within a second are not independent samples of "the code's speed" when the machine
/// itself changes speed (shared CI runners, frequency scaling), so a significance test on rounds calls such drift a
/// regression. The blocks see that drift when it happens during a run: a run whose medians wandered by 30% cannot
/// support a 10% verdict, and the rule says so instead of failing.</para>
/// <para>What it cannot see: a machine that was uniformly slower during the whole of one run than during the
/// other. For that, compare several saved runs (<c>benchmem compare DIR</c> shows each run's median side by side)
/// or normalise by a calibration workload measured in the same run. The floor is computed from a series of per-round
/// values, so a calibrated series (round time ÷ calibration) can be passed the same way.</para>
/// </remarks>
public sealed record NoiseFloor(double Percent, int Rounds)
{
    /// <summary>Blocks the rounds are cut into: enough to see a trend across a run, and with the usual hundreds of
    /// rounds enough rounds per block for a stable median.</summary>
    public const int Blocks = 5;

    /// <summary>Fewest rounds with a floor: one per block.</summary>
    public const int MinRounds = Blocks;

    /// <summary>The floor of one run's rounds (in timing order), or null with fewer than <see cref="MinRounds"/>
    /// finite rounds, or a zero median: such a run cannot show its own noise.</summary>
    public static NoiseFloor? Of(IReadOnlyList<double>? rounds) =>
        PerBlock(rounds, Median) is { } medians && medians.Min() > 0 ? new NoiseFloor((medians.Max() / medians.Min() - 1) * 100, rounds!.Count) : null;

    /// <summary>
    /// The floor of the fastest round (<see cref="Stat.Min"/>, what a calibrated plain time rule compares): how far the
    /// second-fastest block's fastest round lies above the fastest block's, in percent. A fastest round that the rest
    /// of the run cannot come near (one lucky round, or code that got faster part-way) makes a high floor; a fastest
    /// round the run keeps reaching, a floor near zero. Null as for <see cref="Of(IReadOnlyList{double})"/>.
    /// </summary>
    public static NoiseFloor? OfFastest(IReadOnlyList<double>? rounds)
    {
        if (PerBlock(rounds, Fastest) is not { } fastest)
            return null;
        Array.Sort(fastest);
        return fastest[0] > 0 ? new NoiseFloor((fastest[1] / fastest[0] - 1) * 100, rounds!.Count) : null;
    }

    /// <summary>One value per block (in timing order), or null with fewer than <see cref="MinRounds"/> finite rounds.</summary>
    private static double[]? PerBlock(IReadOnlyList<double>? rounds, Func<IReadOnlyList<double>, int, int, double> value)
    {
        if (rounds is null || rounds.Count < MinRounds || !rounds.All(double.IsFinite))
            return null;
        var values = new double[Blocks];
        for (int b = 0; b < Blocks; b++)
        {
            var (start, end) = Block(rounds.Count, b);
            values[b] = value(rounds, start, end);
        }
        return values;
    }

    private static double Fastest(IReadOnlyList<double> values, int start, int end)
    {
        double fastest = double.PositiveInfinity;
        for (int i = start; i < end; i++)
            fastest = Math.Min(fastest, values[i]);
        return fastest;
    }

    /// <summary>The larger of the two runs' floors of the fastest round (null when either run cannot show one).</summary>
    public static NoiseFloor? OfFastest(IReadOnlyList<double>? baseline, IReadOnlyList<double>? candidate) =>
        (OfFastest(baseline), OfFastest(candidate)) is ({ } b, { } c) ? (b.Percent >= c.Percent ? b : c) : null;

    /// <summary>Rounds [start, end) of block <paramref name="block"/> of <paramref name="rounds"/> rounds: the one cut,
    /// shared with the floor of the fastest round.</summary>
    public static (int Start, int End) Block(int rounds, int block) =>
        ((int)((long)rounds * block / Blocks), (int)((long)rounds * (block + 1) / Blocks));

    /// <summary>The larger of the two runs' floors (null when either run cannot show one).</summary>
    public static NoiseFloor? Of(IReadOnlyList<double>? baseline, IReadOnlyList<double>? candidate) =>
        (Of(baseline), Of(candidate)) is ({ } b, { } c) ? (b.Percent >= c.Percent ? b : c) : null;

    /// <summary>A change (in percent) larger than the floor.</summary>
    // A billionth of a percent is arithmetic, not a change: the calibrated values are quotients of quotients.
    public bool IsExceededBy(double changePercent) => changePercent > Percent + 1e-9;

    /// <summary><c>noise floor 3.2%</c>.</summary>
    public override string ToString() => "noise floor " + Percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static double Median(IReadOnlyList<double> values, int start, int end)
    {
        var block = new double[end - start];
        for (int i = start; i < end; i++)
            block[i - start] = values[i];
        Array.Sort(block);
        int mid = block.Length / 2;
        return block.Length % 2 == 1 ? block[mid] : (block[mid - 1] + block[mid]) / 2;
    }
}
