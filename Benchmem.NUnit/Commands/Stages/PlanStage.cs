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
    public static Planned Plan(BenchmemSettings settings, TimingOptions timing, BenchMemAttribute? benchMem, string? group,
        BenchmarkAttribute? benchmark = null)
    {
        if (OptionRules.FirstError(OptionRules.Timing, "Benchmark", timing) is { } timingError)
            return Planned.Invalid(timingError);
        // Memory-only: no timing rounds, so memory passes even without [BenchMem] (else nothing would be measured).
        bool timed = settings.Timing && benchmark?.Timing != false;
        var (timeCeilings, timeError, timeNote) = benchmark is null ? ([], null, null) : TimeCeilings(benchmark, timed, settings);
        if (timeError is not null)
            return Planned.Invalid(timeError);
        IReadOnlyList<string> notes = timeNote is null ? [] : [timeNote];
        if (benchMem is null && !MemoryOn(settings) && timed)
            return Planned.Of(new BenchmarkPlan(timing, null, [], group) { TimeCeilings = timeCeilings, Baseline = benchmark?.Baseline == true, Notes = notes });
        var memory = MemoryFor(settings, benchMem);
        if (OptionRules.FirstError(OptionRules.Memory, "BenchMem", memory) is { } memoryError)
            return Planned.Invalid(memoryError);
        var (ceilings, ceilingError) = benchMem is null ? ([], null) : Ceilings(benchMem);
        return ceilingError is not null
            ? Planned.Invalid(ceilingError)
            : Planned.Of(new BenchmarkPlan(timing, memory, ceilings, group, ProfileStore.Wants(settings, benchMem))
                { TimeCeilings = timeCeilings, Timed = timed, Baseline = benchmark?.Baseline == true, Notes = notes });
    }

    /// <summary>
    /// The time ceilings a [Benchmark] sets, parsed; a malformed one, or one beside its own Timing = false, is the failure
    /// message. Under Benchmem.Timing=false (a memory-only run of a suite that also has time ceilings) they are not
    /// judged, and the note says so in the test's output.
    /// </summary>
    public static (IReadOnlyList<TimeCeiling> Ceilings, string? Error, string? Note) TimeCeilings(BenchmarkAttribute attribute, bool timed, BenchmemSettings settings)
    {
        var ceilings = new List<TimeCeiling>();
        foreach (var (property, stat, read) in TimeCeiling.Kinds)
        {
            if (read(attribute) is not { } text)
                continue;
            if (!TimeFormat.TryParse(text, out var ns, out var error))
                return ([], $"[Benchmark({property} = \"{text}\")]: {error}.", null);
            if (!attribute.Timing)
                return ([], $"[Benchmark({property} = \"{text}\", Timing = false)]: a time ceiling needs timing rounds, which Timing = false turns off: drop one of them.", null);
            ceilings.Add(new TimeCeiling(stat, property, ns, text));
        }
        if (!timed && ceilings.Count > 0)
            return ([], null, $"Benchmem: {string.Join(", ", ceilings.Select(c => $"{c.Property} = \"{c.Text}\""))} not judged: "
                + $"Benchmem.Timing=false ({settings.Sources.GetValueOrDefault("Timing", "a run setting")}) takes no timing rounds.");
        return (ceilings, null, null);
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
    public static bool MemoryOn(BenchmemSettings settings) => settings.Enabled || settings.Profile is not null || !settings.Timing || settings.Snapshot is not null;

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
        Isolated = attribute?.Isolate == true,
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
