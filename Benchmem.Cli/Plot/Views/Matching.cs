using Benchmem.Core.Compare;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Plot.Views;

/// <summary>One benchmark across runs: its record in each run (null where a run lacks it).</summary>
public sealed record MatchedRow(string Key, string Name, BenchmarkRecord?[] Records);

/// <summary>Lines up the same benchmark in every run, by its key without the dims that play a role in the plot.</summary>
public static class Matching
{
    public static List<MatchedRow> Rows(IReadOnlyList<PlotRun> runs, IReadOnlyCollection<string> without)
    {
        var rows = new Dictionary<string, MatchedRow>(StringComparer.Ordinal);
        for (int i = 0; i < runs.Count; i++)
        {
            foreach (var record in runs[i].Records)
            {
                string key = BenchmarkKey.Without(record, without);
                if (!rows.TryGetValue(key, out var row))
                    rows[key] = row = new MatchedRow(key, BenchmarkKey.ShortName(record, without), new BenchmarkRecord?[runs.Count]);
                row.Records[i] ??= record;
            }
        }
        return rows.Values.OrderBy(r => r.Name, NaturalOrder.Instance).ToList();
    }

    /// <summary>How many benchmarks could not be compared, for the subtitle.</summary>
    public static void NoteUnmatched(List<MatchedRow> rows, IReadOnlyList<PlotRun> runs, List<string> notes)
    {
        int onlyBase = rows.Count(r => r.Records[0] is not null && r.Records.Skip(1).All(x => x is null));
        int noBase = rows.Count(r => r.Records[0] is null);
        if (onlyBase > 0)
            notes.Add($"{onlyBase} benchmark(s) only in {runs[0].Label}");
        if (noBase > 0)
            notes.Add($"{noBase} benchmark(s) not in {runs[0].Label}");
    }

    /// <summary>
    /// --clip F on the change views: a benchmark whose value in a later run is more than F times (or less than 1/F of)
    /// the baseline's is left out and named in a note, so one outlier does not flatten every other change.
    /// </summary>
    public static List<MatchedRow> Clip(List<MatchedRow> rows, PlotSpec spec, List<string> notes)
    {
        if (spec.Clip is not { } factor)
            return rows;
        double? ValueOf(BenchmarkRecord? record) => record is null ? null : spec.Metric.Read(record)?.Value;
        bool Beyond(MatchedRow row) => ValueOf(row.Records[0]) is > 0 and double baseline
                                       && row.Records.Skip(1).Select(ValueOf).OfType<double>().Any(v => v / baseline > factor || v / baseline < 1 / factor);
        var dropped = rows.Where(Beyond).ToList();
        if (dropped.Count > 0)
            notes.Add($"--clip {factor:0.###}: {dropped.Count} benchmark(s) changed beyond {factor:0.###}× left out ({PlotData.Describe(dropped.Select(r => r.Name).ToList())})");
        return rows.Except(dropped).ToList();
    }
}
