namespace Benchmem.Core.Text;

/// <summary>"Did you mean …?" hints for a mistyped name (a setting, a metric field), one rule for all of them.</summary>
internal static class Suggestion
{
    /// <summary>Edits (insert, delete, replace) past which a name is not taken for a typo of another.</summary>
    public const int MaxDistance = 2;

    /// <summary>The nearest of <paramref name="known"/> (case-insensitive) within <see cref="MaxDistance"/> edits of
    /// <paramref name="name"/>, or null when none is that close.</summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        string typed = name.Trim().ToLowerInvariant();
        var nearest = known.Select(k => (Name: k, Distance: Distance(k.ToLowerInvariant(), typed)))
            .OrderBy(k => k.Distance).FirstOrDefault();
        return nearest.Name is not null && nearest.Distance <= MaxDistance ? nearest.Name : null;
    }

    /// <summary><c> (did you mean peak?)</c>, or empty when no known name is close (<see cref="Nearest"/>).</summary>
    public static string Hint(string name, IEnumerable<string> known) =>
        Nearest(name, known) is { } nearest ? $" (did you mean {nearest}?)" : "";

    /// <summary>Levenshtein edit distance.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
