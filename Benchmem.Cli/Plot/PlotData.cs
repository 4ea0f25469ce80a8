using System.Globalization;
using Benchmem.Cli.Inputs;
using Benchmem.Core.Compare;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Plot;

/// <summary>A run as a plot sees it: a label and its benchmarks (with --pivot, one value of the pivot dim).</summary>
public sealed record PlotRun(string Label, IReadOnlyList<BenchmarkRecord> Records);

/// <summary><c>--where KEY=VALUE</c>: a dim (or method, type, group, namespace) must have one of the values.</summary>
public sealed record WhereFilter(string Key, IReadOnlyList<string> Values);

/// <summary>
/// Turns loaded runs into the runs a view draws: <c>--where</c> filters, <c>--pivot</c> splits one run into one per
/// value of a dim. Also where the plot options resolve dims and order their values; a benchmark's key and a dim's text
/// come from Core's BenchmarkKey, as compare's do, so a plot and a table name everything alike.
/// </summary>
public static class PlotData
{
    /// <summary>Keys --where accepts besides dims, for benchmarks told apart by method rather than by a dim.</summary>
    public static readonly string[] RecordKeys = ["method", "type", "group", "namespace"];

    public static IReadOnlyList<WhereFilter> ParseWhere(IEnumerable<string> terms)
    {
        var byKey = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var term in terms)
        {
            int eq = term.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == term.Length - 1 || string.IsNullOrWhiteSpace(term[..eq]))
                throw new UsageException($"--where: '{term}' is not KEY=VALUE; write a dim and a value, e.g. --where n=1000 (repeat --where for more; the same key twice means either value).");
            string key = term[..eq].Trim(), value = term[(eq + 1)..].Trim();
            if (!byKey.TryGetValue(key, out var values))
            {
                byKey[key] = values = [];
                order.Add(key);
            }
            values.Add(value);
        }
        return order.Select(k => new WhereFilter(k, byKey[k])).ToList();
    }

    /// <summary>Applies the filters and the pivot. Throws <see cref="UsageException"/> naming the option when a key
    /// or dim does not exist or nothing is left.</summary>
    public static IReadOnlyList<PlotRun> Prepare(IReadOnlyList<LoadedRun> runs, IReadOnlyList<WhereFilter> where, string? pivot, List<string> notes, out string? pivotDim)
    {
        pivotDim = null;
        var all = runs.SelectMany(r => r.Run.Benchmarks).ToList();
        var resolved = where.Select(f => (Key: ResolveKey($"--where {f.Key}=…", f.Key, all), f.Values)).ToList();
        var filtered = runs.Select(r => new PlotRun(r.Label, r.Run.Benchmarks.Where(b => resolved.All(f => Matches(b, f.Key, f.Values))).ToList())).ToList();
        if (where.Count > 0 && filtered.All(r => r.Records.Count == 0))
        {
            var first = resolved[0];
            var values = DistinctValues(all, first.Key);
            throw new UsageException($"--where: no benchmark matches {string.Join(" and ", where.Select(f => $"{f.Key}={string.Join("|", f.Values)}"))}; " +
                                     $"values of {first.Key} are: {Describe(values)}.");
        }
        if (pivot is null)
            return filtered;

        string dim = pivotDim = ResolveDim("--pivot", pivot, filtered.SelectMany(r => r.Records).ToList());
        var result = new List<PlotRun>();
        var lacking = new List<BenchmarkRecord>();
        foreach (var run in filtered)
        {
            lacking.AddRange(run.Records.Where(r => !r.Dims.ContainsKey(dim)));
            foreach (var value in DistinctValues(run.Records, dim))
            {
                string label = runs.Count == 1 ? $"{dim}={value}" : $"{run.Label} {dim}={value}";
                result.Add(new PlotRun(label, run.Records.Where(r => r.Dims.TryGetValue(dim, out var v) && BenchmarkKey.FormatDim(v) == value).ToList()));
            }
        }
        if (lacking.Count > 0)
            notes.Add($"{Count(lacking)} benchmark(s) without dim {dim} left out");
        return result;
    }

    /// <summary>A dim name as the records spell it (exact, then ignoring case); otherwise a usage error listing the dims.</summary>
    public static string ResolveDim(string option, string name, IReadOnlyCollection<BenchmarkRecord> records)
    {
        string trimmed = name.Trim();
        var dims = BenchmarkKey.DimNames(records);
        if (BenchmarkKey.FindDim(dims, trimmed) is { } found)
            return found;
        throw new UsageException($"{option} {trimmed}: no benchmark has a dim '{trimmed}'; the benchmarks have dims: {DescribeDims(dims)}.");
    }

    public static string DescribeDims(IReadOnlyList<string> dims) => dims.Count == 0 ? "(none)" : string.Join(", ", dims);

    /// <summary>Numeric when every record that has the dim has a number there.</summary>
    public static bool IsNumeric(IEnumerable<BenchmarkRecord> records, string dim)
    {
        bool any = false;
        foreach (var r in records)
        {
            if (!r.Dims.TryGetValue(dim, out var v))
                continue;
            if (v is not (long or double or int))
                return false;
            any = true;
        }
        return any;
    }

    public static double ToDouble(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    /// <summary>Distinct formatted values of a dim (or record key): numbers by value, then text naturally.</summary>
    public static IReadOnlyList<string> DistinctValues(IEnumerable<BenchmarkRecord> records, string key)
    {
        var values = new List<object?>();
        foreach (var r in records)
        {
            if (TryGet(r, key, out var v))
                values.Add(v);
        }
        return BenchmarkKey.OrderedDimValues(values);
    }

    /// <summary>How many distinct benchmarks (by FullName) the records are: the same benchmark in three runs is one.</summary>
    public static int Count(IEnumerable<BenchmarkRecord> records) => records.Select(r => r.FullName).Distinct(StringComparer.Ordinal).Count();

    public static string Describe(IReadOnlyList<string> values) =>
        values.Count == 0 ? "(none)" : values.Count <= 12 ? string.Join(", ", values) : string.Join(", ", values.Take(10)) + $", … ({values.Count} in all)";

    /// <summary>A dim (as the records spell it) or one of <see cref="RecordKeys"/>: for --where, --facet and --color,
    /// so benchmarks told apart by method or type can be filtered, split and coloured too.</summary>
    public static string ResolveKey(string option, string key, IReadOnlyCollection<BenchmarkRecord> records)
    {
        var dims = BenchmarkKey.DimNames(records);
        if (BenchmarkKey.FindDim(dims, key) is { } found)
            return found;
        if (RecordKeys.Contains(key.ToLowerInvariant()))
            return key.ToLowerInvariant();
        throw new UsageException($"{option}: no benchmark has a dim '{key}'; the benchmarks have dims: {DescribeDims(dims)} (also: {string.Join(", ", RecordKeys)}).");
    }

    /// <summary>The record's value of a dim or record key, formatted; null when it has none.</summary>
    public static string? ValueOf(BenchmarkRecord record, string key) => TryGet(record, key, out var v) ? BenchmarkKey.FormatDim(v) : null;

    private static bool TryGet(BenchmarkRecord record, string key, out object? value)
    {
        if (record.Dims.TryGetValue(key, out value))
            return true;
        value = key switch
        {
            "method" => record.Method,
            "type" => record.Type,
            "group" => record.Group,
            "namespace" => record.Namespace,
            _ => null,
        };
        return RecordKeys.Contains(key) && value is not null;
    }

    private static bool Matches(BenchmarkRecord record, string key, IReadOnlyList<string> values)
    {
        if (!TryGet(record, key, out var v))
            return false;
        string text = BenchmarkKey.FormatDim(v);
        foreach (var wanted in values)
        {
            if (string.Equals(text, wanted, StringComparison.OrdinalIgnoreCase))
                return true;
            // 1e3 and 1000.0 name the same number as 1000.
            if (v is long or double or int && double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && ToDouble(v) == number)
                return true;
        }
        return false;
    }
}
