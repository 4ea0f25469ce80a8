using Benchmem.Core.Memory;
using Benchmem.Core.Timing;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>What to measure for one benchmark: timing options, memory options and ceilings when memory is on.</summary>
internal sealed record BenchmarkPlan(
    TimingOptions Timing,
    MemoryOptions? Memory,
    IReadOnlyList<Ceiling> Ceilings,
    string? Group,
    bool Profile = false)
{
    /// <summary>[Benchmark(MaxMedian/MaxMean/MaxMin)]: judged on the timing rounds.</summary>
    public IReadOnlyList<TimeCeiling> TimeCeilings { get; init; } = [];

    /// <summary>False: memory passes only, no timing rounds ([Benchmark(Timing = false)] or Benchmem.Timing=false).</summary>
    public bool Timed { get; init; } = true;

    /// <summary>[Benchmark(Baseline = true)]: the benchmark its group's ratios divide by.</summary>
    public bool Baseline { get; init; }

    /// <summary>Lines for the test's output about the plan itself (ceilings a memory-only run does not judge).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A plan, or why there is none: the message the test fails with (an invalid attribute value).</summary>
internal readonly record struct Planned(BenchmarkPlan? Plan, string? Error)
{
    public static Planned Of(BenchmarkPlan plan) => new(plan, null);
    public static Planned Invalid(string error) => new(null, error);
}
