using Benchmem.Core.Memory;
using Benchmem.Core.Timing;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// The ranges of the attribute values, as data: each rule names its property and says why a value is out of range,
/// so the failure message is built here and not taken apart from .NET's exception text. The ranges are the engines'
/// own (<see cref="TimingOptions.Validate"/>, <see cref="MemoryOptions.Validate"/>), which still guard every call.
/// </summary>
internal sealed record OptionRule<T>(string Property, Func<T, object> Value, Func<T, bool> Valid, string Reason)
{
    /// <summary>"[Benchmark(MinRounds = 0)] is out of range: MinRounds must be between 1 and 1,000,000."</summary>
    public string Message(string attribute, T options) => $"[{attribute}({Property} = {Value(options)})] is out of range: {Reason}";
}

internal static class OptionRules
{
    public static readonly IReadOnlyList<OptionRule<TimingOptions>> Timing =
    [
        new(nameof(TimingOptions.MinRounds), o => o.MinRounds, o => o.MinRounds is >= 1 and <= 1_000_000, "MinRounds must be between 1 and 1,000,000."),
        new(nameof(TimingOptions.MaxTime), o => o.MaxTime, o => o.MaxTime > 0 && !double.IsInfinity(o.MaxTime),
            "MaxTime must be a positive number of seconds, e.g. 1.0."),
        new(nameof(TimingOptions.MinTime), o => o.MinTime, o => o.MinTime >= 0 && !(o.MinTime > o.MaxTime),
            "MinTime must be 0 (automatic) or a number of seconds no larger than MaxTime."),
        new(nameof(TimingOptions.Warmup), o => o.Warmup, o => o.Warmup >= 0 && !double.IsInfinity(o.Warmup),
            "Warmup must be 0 or a positive number of seconds, e.g. 0.15."),
    ];

    public static readonly IReadOnlyList<OptionRule<MemoryOptions>> Memory =
    [
        new(nameof(MemoryOptions.Repeats), o => o.Repeats, o => o.Repeats is >= 0 and <= 1000, "Repeats must be 0 (adaptive) or between 1 and 1000."),
        new(nameof(MemoryOptions.Warmup), o => o.Warmup, o => o.Warmup is >= 0 and <= 1000, "Warmup must be between 0 and 1000 calls."),
        new(nameof(MemoryOptions.Calls), o => o.Calls, o => o.Calls is >= 1 and <= 1_000_000, "Calls must be between 1 and 1,000,000."),
        new(nameof(MemoryOptions.MaxTime), o => o.MaxTime, o => o.MaxTime > 0 && !double.IsInfinity(o.MaxTime), "MaxTime must be a positive number of seconds."),
    ];

    /// <summary>The first rule <paramref name="options"/> break, as the test's failure message; null when all hold.</summary>
    public static string? FirstError<T>(IEnumerable<OptionRule<T>> rules, string attribute, T options) =>
        rules.FirstOrDefault(r => !r.Valid(options))?.Message(attribute, options);
}
