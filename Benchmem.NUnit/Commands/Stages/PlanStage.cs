using Benchmem.Core.Memory;
using Benchmem.Core.Settings;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// Plan: the attributes' values over the run's settings (an attribute's value wins; the settings are the defaults),
/// validated. An out-of-range value is not an exception here but the message the test fails with.
/// </summary>
internal static class PlanStage
{
    /// <summary>Builds the plan from the attributes and run settings; an invalid value is returned as the failure message.</summary>
    public static Planned Plan(BenchmemSettings settings, TimingOptions timing, BenchMemAttribute? benchMem, string? group)
    {
        if (OptionRules.FirstError(OptionRules.Timing, "Benchmark", timing) is { } timingError)
            return Planned.Invalid(timingError);
        if (benchMem is null && !MemoryOn(settings))
            return Planned.Of(new BenchmarkPlan(timing, null, [], group));
        var memory = MemoryFor(settings, benchMem);
        if (OptionRules.FirstError(OptionRules.Memory, "BenchMem", memory) is { } memoryError)
            return Planned.Invalid(memoryError);
        var (ceilings, ceilingError) = benchMem is null ? ([], null) : Ceilings(benchMem);
        return ceilingError is not null
            ? Planned.Invalid(ceilingError)
            : Planned.Of(new BenchmarkPlan(timing, memory, ceilings, group, ProfileStore.Wants(settings, benchMem)));
    }

    /// <summary>The timing options of a [Benchmark]: what the attribute sets, over the suite-wide settings.</summary>
    public static TimingOptions TimingFor(BenchmarkAttribute attribute, BenchmemSettings settings) => new()
    {
        MinRounds = attribute.MinRoundsGiven ?? settings.MinRounds ?? BenchmarkAttribute.DefaultMinRounds,
        MaxTime = attribute.MaxTimeGiven ?? settings.TimingMaxTime ?? BenchmarkAttribute.DefaultMaxTime,
        MinTime = attribute.MinTime,
        Warmup = attribute.Warmup,
    };

    /// <summary>The timing options of Bench.Run: its maxTime over the suite-wide settings.</summary>
    public static TimingOptions TimingFor(double? maxTime, BenchmemSettings settings) => new()
    {
        MaxTime = maxTime ?? settings.TimingMaxTime ?? BenchmarkAttribute.DefaultMaxTime,
        MinRounds = settings.MinRounds ?? BenchmarkAttribute.DefaultMinRounds,
    };

    /// <summary>Memory passes for every [Benchmark] test: Benchmem.Enabled, or Benchmem.Profile (a profile is a memory pass's).</summary>
    public static bool MemoryOn(BenchmemSettings settings) => settings.Enabled || settings.Profile is not null || settings.Snapshot is not null;

    /// <summary>A [BenchMem]'s values over the run-level defaults (Benchmem.Repeats, .Warmup, .MemoryMaxTime, .Rss, .PrecisePeak).</summary>
    public static MemoryOptions MemoryFor(BenchmemSettings settings, BenchMemAttribute? attribute) => new()
    {
        // Any value the user gave, even a negative one, is the user's and is validated (never silently dropped).
        Repeats = attribute?.RepeatsGiven ?? settings.Repeats ?? BenchMemAttribute.DefaultRepeats,
        Warmup = attribute?.WarmupGiven ?? settings.Warmup ?? BenchMemAttribute.DefaultWarmup,
        Calls = attribute?.Calls ?? 1,
        Rss = attribute?.Rss == true || settings.Rss,
        MaxTime = settings.MemoryMaxTime ?? 10,
        PrecisePeak = attribute?.PrecisePeak == true || settings.PrecisePeak,
    };

    /// <summary>The ceilings a [BenchMem] sets, parsed; a malformed one is the failure message instead.</summary>
    public static (IReadOnlyList<Ceiling> Ceilings, string? Error) Ceilings(BenchMemAttribute attribute)
    {
        var ceilings = new List<Ceiling>();
        foreach (var (kind, text) in new[] { (CeilingKind.Peak, attribute.MaxPeak), (CeilingKind.Allocated, attribute.MaxAllocated), (CeilingKind.Retained, attribute.MaxRetained) })
        {
            if (text is null)
                continue;
            if (!ByteSize.TryParse(text, out var bytes, out var error))
                return ([], $"[BenchMem({kind.Property} = \"{text}\")]: {error}");
            ceilings.Add(new Ceiling(kind, bytes, text));
        }
        if (attribute.MaxAllocations < BenchMemAttribute.NoLimit)
            return ([], $"[BenchMem({nameof(BenchMemAttribute.MaxAllocations)} = {attribute.MaxAllocations})] is out of range: give a number of objects, 0 or more.");
        if (attribute.MaxAllocations >= 0)
            ceilings.Add(new Ceiling(CeilingKind.Allocations, attribute.MaxAllocations,
                attribute.MaxAllocations.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        return (ceilings, null);
    }
}
