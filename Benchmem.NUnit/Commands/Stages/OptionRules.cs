using Benchmem.Core.Memory;
using Benchmem.Core.Settings;
using Benchmem.Core.Timing;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// The attributes' range failures, built from the engines' own rules (<see cref="TimingOptions.Rules"/>,
/// <see cref="MemoryOptions.Rules"/>), so the message is made here and not taken apart from .NET's exception text.
/// </summary>
internal static class OptionRules
{
    public static IReadOnlyList<OptionRule<TimingOptions>> Timing => TimingOptions.Rules;

    public static IReadOnlyList<OptionRule<MemoryOptions>> Memory => MemoryOptions.Rules;

    /// <summary>"[Benchmark(MinRounds = 0)] is out of range: MinRounds must be between 1 and 1,000,000."</summary>
    public static string Message<T>(this OptionRule<T> rule, string attribute, T options) =>
        $"[{attribute}({rule.Property} = {rule.Value(options)})] is out of range: {rule.Reason}";

    /// <summary>The first rule <paramref name="options"/> break, as the test's failure message; null when all hold.</summary>
    public static string? FirstError<T>(IEnumerable<OptionRule<T>> rules, string attribute, T options) =>
        OptionRule.FirstBroken(rules, options)?.Message(attribute, options);
}
