using System.Globalization;
using System.Runtime.CompilerServices;
using Benchmem.Core.Results;
using Benchmem.Core.Units;

namespace Benchmem.Core.Compare;

/// <summary>One value column: a metric, a timing statistic, and with a pivot one value of the pivot dim.</summary>
internal sealed record TableColumn(MetricField Field, Stat Stat, string? PivotValue, string Header, string CsvHeader);

/// <summary>One benchmark (with a pivot: one benchmark minus the pivot dim) and its values in every run.</summary>
internal sealed class TableRowData(string key, string name, BenchmarkRecord representative, int runs)
{
    /// <summary>FullName, or with a pivot the FullName without the pivot dim: unique, for CSV.</summary>
    public string Key { get; } = key;
    /// <summary>Key without the namespace, for people.</summary>
    public string Name { get; set; } = name;
    /// <summary>The first record seen for the row: decides its section.</summary>
    public BenchmarkRecord Representative { get; } = representative;
    /// <summary>Records by pivot value ("" without a pivot), one slot per run.</summary>
    public Dictionary<string, BenchmarkRecord?[]> Records { get; } = new(StringComparer.Ordinal);
    /// <summary>[column][run]; null where the run lacks the benchmark or did not measure the metric.</summary>
    public double?[][] Values { get; set; } = [];
    public bool[] InRun { get; } = new bool[runs];
    public string? SectionValue { get; set; }
    public object? SectionSortKey { get; set; }
}

internal sealed record TableSection(string? Title, string? Value, IReadOnlyList<TableRowData> Rows);

/// <summary>
/// What the three formats render: the rows matched across runs, the columns that have data, sections and order.
/// Built once so text, markdown and CSV can never disagree on which numbers are shown.
/// </summary>
internal sealed class TableModel
{
    private static readonly string[] Keys = ["group", "type", "method", "namespace"];

    public required IReadOnlyList<string> Labels { get; init; }
    public required IReadOnlyList<TableColumn> Columns { get; init; }
    public required IReadOnlyList<TableSection> Sections { get; init; }
    public required TableOptions Options { get; init; }
    /// <summary>The resolved GroupBy key (a dim's own spelling), or null.</summary>
    public string? GroupBy { get; init; }
    /// <summary>The resolved Pivot dim, or null.</summary>
    public string? Pivot { get; init; }
    /// <summary>With a pivot: names of the benchmarks left out because they lack the dim.</summary>
    public IReadOnlyList<string> NotPivoted { get; init; } = [];
    public int RowCount => Sections.Sum(s => s.Rows.Count);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TableModel Build(IReadOnlyList<(string Label, IReadOnlyList<BenchmarkRecord> Benchmarks)> runs, TableOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        if (runs.Count == 0)
            throw new ArgumentException("No runs to compare: give at least one (two or more to see differences).");
        var labels = runs.Select(r => r.Label).ToList();
        if (labels.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("A run has an empty label; give each run a name, e.g. its file name.");
        var duplicate = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two runs are labelled '{duplicate.Key}'; labels must tell the runs apart.");

        var all = runs.SelectMany(r => r.Benchmarks).ToList();
        var (pivot, groupBy, problem) = ResolveDims(all, options, nameof(TableOptions.Pivot), nameof(TableOptions.GroupBy));
        if (problem is not null)
            throw new ArgumentException(problem);

        var notPivoted = new List<string>();
        var rows = AssignRows(runs, pivot, notPivoted);
        var pivotValues = pivot is null ? [""] : OrderedPivotValues(runs, pivot);
        var columns = BuildColumns(options, pivot, pivotValues);

        // Values for every column, then only the columns some run measured: a BenchmarkDotNet export has no peak.
        // Rows are independent (and the statistics cache is thread-safe): in parallel, which pays off for large runs.
        Parallel.ForEach(rows, new ParallelOptions { MaxDegreeOfParallelism = rows.Count < 512 ? 1 : -1 }, row =>
        {
            var values = new double?[columns.Count][];
            for (int c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                var cells = new double?[runs.Count];
                if (row.Records.TryGetValue(column.PivotValue ?? "", out var records))
                {
                    for (int run = 0; run < cells.Length; run++)
                    {
                        if (records[run] is { } record)
                            cells[run] = Metric.Value(record, column.Field, column.Stat);
                    }
                }
                values[c] = cells;
            }
            row.Values = values;
        });
        var keep = Enumerable.Range(0, columns.Count).Where(c => rows.Any(r => r.Values[c].Any(v => v.HasValue))).ToList();
        columns = keep.Select(c => columns[c]).ToList();
        foreach (var row in rows)
            row.Values = keep.Select(c => row.Values[c]).ToArray();

        return new TableModel
        {
            Labels = labels,
            Columns = columns,
            Sections = BuildSections(rows, groupBy, options.Sort),
            Options = options,
            GroupBy = groupBy,
            Pivot = pivot,
            NotPivoted = notPivoted,
        };
    }

    /// <summary>
    /// The Pivot and GroupBy dims as the records spell them, or the first problem as a final message with the options
    /// named as the caller knows them (the API's property names, or the tool's flags).
    /// </summary>
    internal static (string? Pivot, string? GroupBy, string? Problem) ResolveDims(IReadOnlyCollection<BenchmarkRecord> records, TableOptions options,
        string pivotOption, string groupByOption)
    {
        string? pivot = null, groupBy = null, problem = null;
        if (options.Pivot is not null)
            pivot = ResolveDim(pivotOption, options.Pivot, records, allowKeys: false, ref problem);
        if (problem is null && options.GroupBy is not null)
            groupBy = ResolveDim(groupByOption, options.GroupBy, records, allowKeys: true, ref problem);
        return (pivot, groupBy, problem);
    }

    /// <summary>A dim name as the records spell it (exact first, then ignoring case), or one of the fixed keys.</summary>
    private static string? ResolveDim(string option, string name, IReadOnlyCollection<BenchmarkRecord> records, bool allowKeys, ref string? problem)
    {
        string trimmed = name.Trim();
        if (allowKeys && Keys.Contains(trimmed.ToLowerInvariant()))
            return trimmed.ToLowerInvariant();
        var dims = BenchmarkKey.DimNames(records);
        if (BenchmarkKey.FindDim(dims, trimmed) is { } found)
            return found;
        string choices = dims.Count == 0 ? "the runs have no dims" : "dims: " + string.Join(", ", dims);
        if (allowKeys)
            choices += "; or group, type, method, namespace";
        problem = $"{option} '{name}': no benchmark has a dim '{trimmed}' ({choices}).";
        return null;
    }

    private static List<TableRowData> AssignRows(IReadOnlyList<(string Label, IReadOnlyList<BenchmarkRecord> Benchmarks)> runs, string? pivot, List<string> notPivoted)
    {
        var left = new HashSet<string>(StringComparer.Ordinal);
        var rows = new Dictionary<string, TableRowData>(StringComparer.Ordinal);
        var order = new List<TableRowData>();
        for (int run = 0; run < runs.Count; run++)
        {
            foreach (var record in runs[run].Benchmarks)
            {
                string key = record.FullName, value = "";
                if (pivot is not null)
                {
                    // A benchmark without the dim has no place along it: left out, and named under the table.
                    if (!record.Dims.TryGetValue(pivot, out var v))
                    {
                        if (left.Add(record.FullName))
                            notPivoted.Add(BenchmarkKey.ShortName(record));
                        continue;
                    }
                    key = BenchmarkKey.Without(record, pivot);
                    value = BenchmarkKey.FormatDim(v);
                }
                // Two records landing in one cell (they differ only in arguments that are not dims): the later one
                // keeps its own FullName row rather than hide the first.
                if (rows.TryGetValue(key, out var existing) && existing.Records.TryGetValue(value, out var taken) && taken[run] is not null)
                    key = record.FullName;
                if (!rows.TryGetValue(key, out var row))
                {
                    row = new TableRowData(key, BenchmarkKey.StripNamespace(key, record.Namespace), record, runs.Count);
                    rows[key] = row;
                    order.Add(row);
                }
                if (!row.Records.TryGetValue(value, out var slots))
                    row.Records[value] = slots = new BenchmarkRecord?[runs.Count];
                slots[run] = record;
                row.InRun[run] = true;
            }
        }
        // Short names that collide (same type name in two namespaces) would read as one benchmark: keep those full.
        foreach (var clash in order.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var row in clash)
                row.Name = row.Key;
        }
        return order;
    }

    /// <summary>Numbers in numeric order (1000 before 10000 whatever their text), then text naturally.</summary>
    private static List<string> OrderedPivotValues(IReadOnlyList<(string Label, IReadOnlyList<BenchmarkRecord> Benchmarks)> runs, string pivot)
    {
        return [.. BenchmarkKey.OrderedDimValues(runs.SelectMany(r => r.Benchmarks)
            .Where(record => record.Dims.ContainsKey(pivot)).Select(record => record.Dims[pivot]))];
    }

    private static List<TableColumn> BuildColumns(TableOptions options, string? pivot, List<string> pivotValues)
    {
        var columns = new List<TableColumn>();
        foreach (var field in options.Columns.Distinct())
        {
            Stat[] stats = !field.IsSampled ? [Stat.Median] : options.Stat switch
            {
                // pytest-benchmark's column order.
                TableStat.All => [Stat.Min, Stat.Max, Stat.Mean, Stat.StdDev, Stat.Median],
                TableStat.Min => [Stat.Min],
                TableStat.Max => [Stat.Max],
                TableStat.Mean => [Stat.Mean],
                TableStat.StdDev => [Stat.StdDev],
                _ => [Stat.Median],
            };
            foreach (var stat in stats)
            {
                string header = field.IsSampled ? $"{field.Name} {Metric.Name(stat)}" : field.Name;
                foreach (string value in pivotValues)
                {
                    string name = pivot is null ? header : $"{header} {pivot}={value}";
                    string unit = field.Kind.RawUnit() is { Length: > 0 } raw ? $" ({raw})" : "";
                    columns.Add(new TableColumn(field, stat, pivot is null ? null : value, name, name + unit));
                }
            }
        }
        return columns;
    }

    private static List<TableSection> BuildSections(List<TableRowData> rows, string? groupBy, TableSort sort)
    {
        foreach (var row in rows)
        {
            var r = row.Representative;
            object? key = groupBy switch
            {
                null => null,
                "group" => r.Group,
                "type" => r.Type,
                "method" => r.Method,
                "namespace" => r.Namespace,
                _ => r.Dims.TryGetValue(groupBy, out var v) ? v ?? "null" : null,
            };
            row.SectionSortKey = key;
            row.SectionValue = key is null ? null : BenchmarkKey.FormatDim(key);
        }
        // Rows without the key first, as the run's own table puts ungrouped benchmarks first.
        return rows.GroupBy(r => r.SectionValue, StringComparer.Ordinal)
            .OrderBy(g => g.Key is not null)
            .ThenBy(g => g.First().SectionSortKey, BenchmarkKey.DimValueOrder.Instance)
            .Select(g => new TableSection(Title(groupBy, g.Key), g.Key, Sort(g.ToList(), sort)))
            .ToList();
    }

    private static string? Title(string? groupBy, string? value) => groupBy switch
    {
        null => null,
        "group" or "type" or "method" or "namespace" => value is null ? $"no {groupBy}" : $"{groupBy} '{value}'",
        _ => value is null ? $"no {groupBy}" : $"{groupBy}={value}",
    };

    private static List<TableRowData> Sort(List<TableRowData> rows, TableSort sort)
    {
        var byName = rows.OrderBy(r => r.Name, NaturalOrder.Instance).ThenBy(r => r.Key, StringComparer.Ordinal);
        return sort switch
        {
            TableSort.Value => rows.OrderBy(r => FirstValue(r) is null)
                .ThenBy(r => FirstValue(r) ?? 0)
                .ThenBy(r => r.Name, NaturalOrder.Instance).ThenBy(r => r.Key, StringComparer.Ordinal).ToList(),
            TableSort.Change => rows.Select(r => (Row: r, Change: LargestChange(r)))
                .OrderBy(x => x.Change is null)
                .ThenByDescending(x => x.Change ?? 0)
                .ThenBy(x => x.Row.Name, NaturalOrder.Instance).ThenBy(x => x.Row.Key, StringComparer.Ordinal)
                .Select(x => x.Row).ToList(),
            _ => byName.ToList(),
        };
    }

    /// <summary>The first column's value in the first run that has one.</summary>
    private static double? FirstValue(TableRowData row) =>
        row.Values.Length == 0 ? null : row.Values[0].FirstOrDefault(v => v.HasValue);

    /// <summary>The largest change from the first run to the last over the columns both measured.</summary>
    private static double? LargestChange(TableRowData row)
    {
        double? largest = null;
        foreach (var values in row.Values)
        {
            if (values.Length < 2 || values[0] is not { } first || values[^1] is not { } last)
                continue;
            double change = Metric.ChangePercent(first, last);
            if (largest is null || change > largest)
                largest = change;
        }
        return largest;
    }
}
