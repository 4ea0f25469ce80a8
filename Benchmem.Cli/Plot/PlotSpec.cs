namespace Benchmem.Cli.Plot;

/// <summary>What to plot, resolved from the options: the view, the metric and the dims given roles.</summary>
/// <param name="X">--x: the dim on the scaling view's x axis (null = pick the one numeric dim that varies).</param>
/// <param name="Color">--color: series (scaling) or points (scatter) share a colour per value of this dim.</param>
/// <param name="Facet">--facet: one panel per value of this dim.</param>
/// <param name="Pivot">--pivot: already applied by <see cref="PlotData.Prepare"/>; kept out of benchmark keys.</param>
public sealed record PlotSpec(PlotView View, PlotMetric Metric, string? X = null, string? Color = null, string? Facet = null, string? Pivot = null)
{
    /// <summary>Dims that are not part of a benchmark's identity in this plot.</summary>
    public IReadOnlyCollection<string> RoleDims(params string?[] more) =>
        new[] { Facet, Pivot }.Concat(more).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
