namespace Benchmem.Cli.Plot.Views;

/// <summary>--facet: the runs split into one panel per value of a dim (or method, type, group, namespace), every run
/// keeping the same label.</summary>
public static class Facets
{
    public static IReadOnlyList<(string? Title, IReadOnlyList<PlotRun> Runs)> Split(IReadOnlyList<PlotRun> runs, string? facet, List<string> notes)
    {
        if (facet is null)
            return [(null, runs)];
        var all = runs.SelectMany(r => r.Records).ToList();
        int lacking = PlotData.Count(all.Where(r => PlotData.ValueOf(r, facet) is null));
        if (lacking > 0)
            notes.Add($"{lacking} benchmark(s) without dim {facet} left out");
        return PlotData.DistinctValues(all, facet)
            .Select(value => ((string?)$"{facet}={value}",
                (IReadOnlyList<PlotRun>)runs.Select(r => r with { Records = r.Records.Where(b => PlotData.ValueOf(b, facet) == value).ToList() }).ToList()))
            .ToList();
    }
}
