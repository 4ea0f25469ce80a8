namespace Benchmem.Core.Compare;

/// <summary>
/// Orders strings with their digit runs compared as numbers, so <c>Sort(n: 20)</c> comes before <c>Sort(n: 100)</c>
/// as people expect; otherwise ordinal, so the order is the same on every machine and culture.
/// </summary>
internal sealed class NaturalOrder : IComparer<string?>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i, sj = j;
                while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                var a = x.AsSpan(si, i - si).TrimStart('0');
                var b = y.AsSpan(sj, j - sj).TrimStart('0');
                // More significant digits is larger; equal lengths compare digit by digit. No parsing: no overflow.
                if (a.Length != b.Length)
                    return a.Length.CompareTo(b.Length);
                int c = a.SequenceCompareTo(b);
                if (c != 0)
                    return c;
                continue;
            }
            if (x[i] != y[j])
                return x[i].CompareTo(y[j]);
            i++;
            j++;
        }
        int rest = (x.Length - i).CompareTo(y.Length - j);
        // "n: 01" and "n: 1" are equal as numbers: fall back to ordinal so the order stays total.
        return rest != 0 ? rest : string.CompareOrdinal(x, y);
    }
}
