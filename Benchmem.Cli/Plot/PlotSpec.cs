namespace Benchmem.Cli.Plot;

/// <summary>What to plot, resolved from the options: the view, the metric and the dims given roles.</summary>
/// <param name="X">--x: the dim on the scaling view's x axis (null = pick the one numeric dim that varies).</param>
/// <param name="Color">--color: series (scaling) or points (scatter) share a colour per value of this dim.</param>
/// <param name="Facet">--facet: one panel per value of this dim.</param>
/// <param name="Pivot">--pivot: already applied by <see cref="PlotData.Prepare"/>; kept out of benchmark keys.</param>
/// <param name="Band">--band: scaling lines get a filled band of this spread instead of whiskers (null = whiskers).</param>
/// <param name="Clip">--clip: samples (scaling) or changes (scatter, compare, sweep) beyond this factor are left out.</param>
/// <param name="FreeAxes">--free-axes: each --facet panel gets its own unit, log decision and range.</param>
public sealed record PlotSpec(PlotView View, PlotMetric Metric, string? X = null, string? Color = null, string? Facet = null, string? Pivot = null,
                              BandKind? Band = null, double? Clip = null, bool FreeAxes = false)
{
    /// <summary>Dims that are not part of a benchmark's identity in this plot.</summary>
    public IReadOnlyCollection<string> RoleDims(params string?[] more) =>
        new[] { Facet, Pivot }.Concat(more).OfType<string>().ToHashSet(StringComparer.Ordinal);
}

/// <summary>--band: which spread the band spans.</summary>
public enum BandKind
{
    /// <summary>The metric's own whisker spread: min…max over the memory passes, Q1…Q3 of the timing rounds.</summary>
    Default,
    /// <summary>min…max of the samples (timing rounds or memory passes).</summary>
    MinMax,
    /// <summary>Q1…Q3 of the samples (type 7 quartiles).</summary>
    Quartiles,
}
