namespace Benchmem.Core.Settings;

/// <summary>
/// One range check of an options record, as data: the property it guards, how to read the value, whether the value is
/// in range, and why not. The engines validate with these rules, and the NUnit attributes build their failure messages
/// from the same rules, so a range is written once and no caller takes .NET's exception text apart.
/// </summary>
public sealed record OptionRule<T>(string Property, Func<T, object> Value, Func<T, bool> Valid, string Reason);

public static class OptionRule
{
    /// <summary>The first rule <paramref name="options"/> break, or null when all hold.</summary>
    public static OptionRule<T>? FirstBroken<T>(IEnumerable<OptionRule<T>> rules, T options) => rules.FirstOrDefault(r => !r.Valid(options));

    /// <summary>Throws ArgumentOutOfRangeException naming the property, its value and the reason for the first rule broken.</summary>
    public static void Check<T>(IEnumerable<OptionRule<T>> rules, T options)
    {
        if (FirstBroken(rules, options) is { } broken)
            throw new ArgumentOutOfRangeException(broken.Property, broken.Value(options), broken.Reason);
    }
}
