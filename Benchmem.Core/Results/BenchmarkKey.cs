using System.Globalization;

namespace Benchmem.Core.Results;

/// <summary>
/// How a benchmark is named and matched across runs once some of its dims become columns, axes, panels or runs, and
/// how dims are looked up and printed: one definition, so compare's tables, the gate, the plots and the run's own
/// table agree on every name.
/// </summary>
internal static class BenchmarkKey
{
    /// <summary><c>Namespace.Type.Method(other: dims)</c>: the benchmark's identity with <paramref name="dim"/> taken out.</summary>
    public static string Without(BenchmarkRecord record, string dim) => Build(record, d => d != dim);

    /// <summary><c>Namespace.Type.Method(other: dims)</c>: the benchmark's identity with <paramref name="dims"/> taken out.
    /// Two runs' records with the same key are the same benchmark.</summary>
    public static string Without(BenchmarkRecord record, IReadOnlyCollection<string> dims) => Build(record, d => !dims.Contains(d));

    /// <summary>A name without the benchmark's namespace, for people: <c>SortBenchmarks.Sort(n: 100)</c>.</summary>
    public static string StripNamespace(string name, string ns) =>
        ns.Length > 0 && name.StartsWith(ns + ".", StringComparison.Ordinal) ? name[(ns.Length + 1)..] : name;

    /// <summary><see cref="Without(BenchmarkRecord, IReadOnlyCollection{string})"/> without the namespace, for labels: <c>SortBenchmarks.Sort(n: 100)</c>.</summary>
    public static string ShortName(BenchmarkRecord record, IReadOnlyCollection<string> without) => StripNamespace(Without(record, without), record.Namespace);

    /// <summary>The record's FullName without its namespace.</summary>
    public static string ShortName(BenchmarkRecord record) => StripNamespace(record.FullName, record.Namespace);

    /// <summary>Every dim name the records have, once each, in ordinal order.</summary>
    public static IReadOnlyList<string> DimNames(IEnumerable<BenchmarkRecord> records) =>
        records.SelectMany(r => r.Dims.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>A dim as the records spell it: the exact name first, then ignoring case; null when none has it.</summary>
    public static string? FindDim(IReadOnlyList<string> dims, string name) =>
        dims.FirstOrDefault(d => d == name) ?? dims.FirstOrDefault(d => d.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A dim value as every view prints it: <c>10000</c>, <c>0.5</c>, <c>true</c>, <c>null</c>.</summary>
    public static string FormatDim(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The distinct dim values as printed, in the order every view lists them: numbers by value (1000 before
    /// 10000 whatever their text), then text naturally; null first.</summary>
    public static IReadOnlyList<string> OrderedDimValues(IEnumerable<object?> values)
    {
        var distinct = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var v in values)
            distinct.TryAdd(FormatDim(v), v);
        return distinct.OrderBy(kv => kv.Value, DimValueOrder.Instance).Select(kv => kv.Key).ToList();
    }

    /// <summary>Numbers before text, numbers by value, text naturally; null first.</summary>
    internal sealed class DimValueOrder : IComparer<object?>
    {
        public static readonly DimValueOrder Instance = new();

        public int Compare(object? x, object? y)
        {
            if (x is null || y is null)
                return (x is null ? 0 : 1) - (y is null ? 0 : 1);
            bool xn = x is long or double or int, yn = y is long or double or int;
            if (xn && yn)
                return Convert.ToDouble(x, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(y, CultureInfo.InvariantCulture));
            if (xn != yn)
                return xn ? -1 : 1;
            return Benchmem.Core.Compare.NaturalOrder.Instance.Compare(FormatDim(x), FormatDim(y));
        }
    }

    private static string Build(BenchmarkRecord record, Func<string, bool> keep)
    {
        string prefix = record.Namespace.Length > 0 ? $"{record.Namespace}.{record.Type}.{record.Method}" : $"{record.Type}.{record.Method}";
        var rest = record.Dims.Where(d => keep(d.Key)).Select(d => $"{d.Key}: {FormatDim(d.Value)}").ToList();
        return rest.Count == 0 ? prefix : $"{prefix}({string.Join(", ", rest)})";
    }
}
