using Benchmem.Core.Results;

namespace Benchmem.Core.Compare;

/// <summary>
/// The comparison of two or more runs, pytest-benchmem style: per benchmark, one row per run, a column per metric
/// with its <c>(N.NN)</c> multiple of the best run (or, with <see cref="TableOptions.Diff"/>, the change against the
/// first run). As aligned text, a GitHub markdown table, or CSV.
/// </summary>
/// <remarks>
/// Layout: one table per section (one section unless <see cref="TableOptions.GroupBy"/>); each benchmark is a block
/// of consecutive rows, its name on the first and the run label on each. Every line carries one benchmark and one
/// run, so a diff of two renderings shows exactly what changed and <c>grep</c> finds a benchmark's block.
/// Output ends with <c>\n</c> (text, markdown) or CRLF (CSV, as RFC 4180 says) and is culture-invariant.
/// </remarks>
public static class ComparisonTable
{
    /// <summary>Renders loaded runs; the first is the baseline for <see cref="TableOptions.Diff"/>.</summary>
    /// <exception cref="ArgumentException">No runs, a duplicate or empty label, or a GroupBy/Pivot dim no benchmark
    /// has (the message lists the dims there are).</exception>
    public static string Render(IReadOnlyList<(string Label, BenchmarkRun Run)> runs, TableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Render(runs.Select(r => (r.Label, r.Run.Benchmarks)).ToList(), options);
    }

    /// <summary>
    /// The first <see cref="TableOptions.Pivot"/> or <see cref="TableOptions.GroupBy"/> dim no benchmark has, as the
    /// final message with the options named as the caller knows them (the tool: --pivot, --group-by); null when both
    /// exist. <see cref="Render(IReadOnlyList{ValueTuple{string, BenchmarkRun}}, TableOptions?)"/> says the same with the property names.
    /// </summary>
    internal static string? DimProblem(IReadOnlyList<(string Label, BenchmarkRun Run)> runs, TableOptions options, string pivotOption, string groupByOption) =>
        TableModel.ResolveDims(runs.SelectMany(r => r.Run.Benchmarks).ToList(), options, pivotOption, groupByOption).Problem;

    /// <summary>Renders runs held as records (e.g. the current session's), labelled.</summary>
    public static string Render(IReadOnlyList<(string Label, IReadOnlyList<BenchmarkRecord> Benchmarks)> runs, TableOptions? options = null)
    {
        options ??= new TableOptions();
        var model = TableModel.Build(runs, options);
        return options.Format switch
        {
            TableFormat.Markdown => MarkdownTableWriter.Write(model),
            TableFormat.Csv => CsvTableWriter.Write(model),
            _ => TextTableWriter.Write(model),
        };
    }
}
