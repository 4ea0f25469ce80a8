namespace Benchmem.Core.Compare;

/// <summary>Output of <see cref="ComparisonTable.Render(IReadOnlyList{ValueTuple{string, Results.BenchmarkRun}}, TableOptions)"/>.</summary>
public enum TableFormat
{
    /// <summary>Aligned plain text for terminals and CI logs (no ANSI unless <see cref="TableOptions.Highlight"/> adds it).</summary>
    Text,
    /// <summary>A GitHub-flavoured markdown table, for PR comments and the Actions step summary.</summary>
    Markdown,
    /// <summary>RFC 4180 CSV: raw numbers in invariant culture, units in the headers, for spreadsheets and scripts.</summary>
    Csv,
}

/// <summary>Row order inside a section.</summary>
public enum TableSort
{
    /// <summary>By benchmark name, numbers in names compared as numbers (<c>n: 20</c> before <c>n: 100</c>).</summary>
    Name,
    /// <summary>By the first column's value in the first run that has it, smallest first.</summary>
    Value,
    /// <summary>By the largest change from the first run to the last over the shown columns, worst regression first.</summary>
    Change,
}

/// <summary>Which timing statistic the time column shows; <see cref="All"/> shows min, max, mean, stddev and median.</summary>
public enum TableStat
{
    Median,
    Min,
    Max,
    Mean,
    StdDev,
    All,
}

/// <summary>How a cell stands among the runs of its benchmark, for <see cref="TableOptions.Highlight"/>.</summary>
public enum CellRank
{
    /// <summary>The lowest value of the column (or, with <see cref="TableOptions.Diff"/>, a decrease).</summary>
    Best,
    /// <summary>The highest value of the column (or, with <see cref="TableOptions.Diff"/>, an increase).</summary>
    Worst,
}

/// <summary>What <see cref="ComparisonTable"/> shows and how; every default reads well without options.</summary>
public sealed record TableOptions
{
    public static IReadOnlyList<MetricField> DefaultColumns { get; } =
        [MetricField.Time, MetricField.Peak, MetricField.Allocated, MetricField.Allocations];

    /// <summary>Metrics to show, in order; a column no run measured is left out.</summary>
    public IReadOnlyList<MetricField> Columns { get; init; } = DefaultColumns;

    /// <summary>The timing statistic; memory columns always show the headline pass.</summary>
    public TableStat Stat { get; init; } = TableStat.Median;

    /// <summary>Show the first run's values, then each later run as the change against it in percent, instead of
    /// values with <c>(N.NN)</c> multipliers against the best run.</summary>
    public bool Diff { get; init; }

    public TableSort Sort { get; init; } = TableSort.Name;

    /// <summary>
    /// Split into sections by <c>group</c> (the benchmark's Group), <c>type</c>, <c>method</c>, <c>namespace</c>, or
    /// a dim name such as <c>n</c>. Null: one section.
    /// </summary>
    public string? GroupBy { get; init; }

    /// <summary>
    /// A dim to spread across columns: rows become the benchmark without that dim, and each metric gets one column
    /// per dim value (<c>peak n=1000</c>, <c>peak n=10000</c>), so runs are compared along it side by side.
    /// Benchmarks without the dim are left out and named under the table.
    /// </summary>
    public string? Pivot { get; init; }

    public TableFormat Format { get; init; } = TableFormat.Text;

    /// <summary>
    /// Text format only: wraps a cell's text (value and multiplier, without padding) given its rank, e.g. in ANSI
    /// green for <see cref="CellRank.Best"/> and red for <see cref="CellRank.Worst"/>. Called only where a column
    /// has at least two different values. Null (the default) keeps the output plain, as redirected output should be.
    /// </summary>
    public Func<string, CellRank, string>? Highlight { get; init; }

    /// <summary><c>text</c> (or <c>table</c>), <c>md</c> (or <c>markdown</c>), <c>csv</c>; case-insensitive.</summary>
    /// <exception cref="FormatException">Names the choices.</exception>
    public static TableFormat ParseFormat(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "text" or "table" => TableFormat.Text,
        "md" or "markdown" => TableFormat.Markdown,
        "csv" => TableFormat.Csv,
        _ => throw new FormatException($"unknown format '{text}': use text, md or csv"),
    };

    /// <summary><c>min</c>, <c>max</c>, <c>mean</c>, <c>median</c>, <c>stddev</c> or <c>all</c>; case-insensitive.</summary>
    public static TableStat ParseStat(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "median" => TableStat.Median,
        "min" => TableStat.Min,
        "max" => TableStat.Max,
        "mean" => TableStat.Mean,
        "stddev" => TableStat.StdDev,
        "all" => TableStat.All,
        _ => throw new FormatException($"unknown statistic '{text}': use min, max, mean, median, stddev or all"),
    };

    /// <summary><c>name</c>, <c>value</c> or <c>change</c>; case-insensitive.</summary>
    public static TableSort ParseSort(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "name" => TableSort.Name,
        "value" => TableSort.Value,
        "change" => TableSort.Change,
        _ => throw new FormatException($"unknown sort '{text}': use name, value or change"),
    };

    /// <summary>A comma-separated list such as <c>time,peak</c> (repeats collapse); throws <see cref="FormatException"/>
    /// naming the fields for an unknown one.</summary>
    public static IReadOnlyList<MetricField> ParseColumns(params string[] lists) =>
        lists.SelectMany(l => (l ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(Metric.ParseField).Distinct().ToList();
}
