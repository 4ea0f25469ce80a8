using Benchmem.Core.Memory;
using Benchmem.Core.Timing;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>What to measure for one benchmark: timing options, memory options and ceilings when memory is on.</summary>
internal sealed record BenchmarkPlan(
    TimingOptions Timing,
    MemoryOptions? Memory,
    IReadOnlyList<Ceiling> Ceilings,
    string? Group,
    bool Profile = false);

/// <summary>A plan, or why there is none: the message the test fails with (an invalid attribute value).</summary>
internal readonly record struct Planned(BenchmarkPlan? Plan, string? Error)
{
    public static Planned Of(BenchmarkPlan plan) => new(plan, null);
    public static Planned Invalid(string error) => new(null, error);
}
