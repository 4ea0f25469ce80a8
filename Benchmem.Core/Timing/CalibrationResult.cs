namespace Benchmem.Core.Timing;

/// <summary>
/// The calibration samples taken while one benchmark was timed (the results file's <c>Benchmem.Calibration</c>):
/// sample k is workload <c>Workloads[Workload[k]]</c>, timed just before round <c>BeforeRound[k]</c> of the benchmark
/// (= the number of rounds taken so far; the rounds' count for the samples after the last round), at
/// <c>Nanoseconds[k]</c> per operation of the workload.
/// </summary>
public sealed class CalibrationResult
{
    /// <summary><see cref="CalibrationWorkload.Version"/> of the workloads that took the samples.</summary>
    public required int Version { get; init; }
    /// <summary>The workloads' names, in the order <see cref="Workload"/> indexes them.</summary>
    public required string[] Workloads { get; init; }
    public required int[] Workload { get; init; }
    public required int[] BeforeRound { get; init; }
    public required double[] Nanoseconds { get; init; }
    /// <summary>Wall time spent calibrating (the samples and the re-warming rounds after them), ms: the cost.</summary>
    public double Milliseconds { get; init; }

    public int Count => Nanoseconds.Length;

    /// <summary>The problem with the arrays (lengths differ, an index out of range, a time not positive), or null.
    /// The reader turns it into a malformed-file error; the engine never writes one.</summary>
    public string? Problem(int rounds)
    {
        if (Workload.Length != Nanoseconds.Length || BeforeRound.Length != Nanoseconds.Length)
            return $"Workload, BeforeRound and Nanoseconds have {Workload.Length}, {BeforeRound.Length} and {Nanoseconds.Length} entries; expected one each per sample";
        for (int k = 0; k < Count; k++)
        {
            if (Workload[k] < 0 || Workload[k] >= Workloads.Length)
                return $"Workload[{k}] is {Workload[k]}; expected an index into Workloads (0 to {Workloads.Length - 1})";
            if (BeforeRound[k] < 0 || BeforeRound[k] > rounds)
                return $"BeforeRound[{k}] is {BeforeRound[k]}; expected a round index from 0 to the {rounds} rounds";
            if (!(Nanoseconds[k] > 0) || !double.IsFinite(Nanoseconds[k]))
                return $"Nanoseconds[{k}] is {Nanoseconds[k]}; expected a positive time";
        }
        return null;
    }
}
