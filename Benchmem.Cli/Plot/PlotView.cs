namespace Benchmem.Cli.Plot;

/// <summary>What a plot shows. Picked from the number of runs unless <c>--view</c> names one (pytest-benchmem's rule).</summary>
public enum PlotView
{
    /// <summary>One run: the metric against a numeric dim, a line per series, min…max whiskers.</summary>
    Scaling,
    /// <summary>Two runs: the baseline's value on x, candidate/baseline on y, coloured by the absolute change.</summary>
    Scatter,
    /// <summary>Two or more runs: each benchmark's change from the first run in the metric's own unit, ranked.</summary>
    Compare,
    /// <summary>Three or more runs: a heatmap of every run's fold change against the first.</summary>
    Sweep,
}

public static class PlotViews
{
    public static IReadOnlyList<PlotView> All { get; } = [PlotView.Scaling, PlotView.Scatter, PlotView.Compare, PlotView.Sweep];

    public static string Name(PlotView view) => view.ToString().ToLowerInvariant();

    public static string List => string.Join(", ", All.Select(Name));

    public static PlotView Parse(string text)
    {
        foreach (var view in All)
        {
            if (string.Equals(Name(view), text.Trim(), StringComparison.OrdinalIgnoreCase))
                return view;
        }
        throw new UsageException($"--view: unknown view '{text}'; use one of {List} (or leave it out: 1 run gives scaling, 2 scatter, 3 or more sweep).");
    }

    /// <summary>The default for this many runs (with --pivot, the pivot dim's values count as runs).</summary>
    public static PlotView ForRuns(int runs) => runs switch
    {
        <= 1 => PlotView.Scaling,
        2 => PlotView.Scatter,
        _ => PlotView.Sweep,
    };
}
