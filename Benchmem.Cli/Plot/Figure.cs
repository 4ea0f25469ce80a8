namespace Benchmem.Cli.Plot;

/// <summary>
/// What to draw, independent of the output format: the views build it, the HTML and image renderers draw it. Values
/// are already in the axis units (KiB, µs, …); hover texts carry the exact values in their natural units.
/// </summary>
public sealed record Figure
{
    public required string Title { get; init; }
    /// <summary>One panel, or one per value of the --facet dim.</summary>
    public required IReadOnlyList<Panel> Panels { get; init; }
    /// <summary>A line under the title: what was left out and why, or empty.</summary>
    public string Subtitle { get; init; } = "";
    /// <summary>Legend heading: the run(s) the lines come from.</summary>
    public string? LegendTitle { get; init; }
    /// <summary>Colour scale of per-point colours or of a heatmap, when the panels use one.</summary>
    public ColorScale? ColorScale { get; init; }
    /// <summary>--facet panels share one y range (not with --free-axes), so panels compare at a glance.</summary>
    public bool SharedY { get; init; }
}

/// <param name="FromZero">--y-zero: the axis starts at zero (linear axes only).</param>
public sealed record Axis(string Title, bool Log = false, bool FromZero = false);

/// <summary>
/// A diverging colour scale centred on zero, from -<see cref="Limit"/> (shrank, blue) to +<see cref="Limit"/> (grew,
/// red). A side the data does not reach is left off (nothing shrank: white to red), so the scale shows only what is there.
/// </summary>
public sealed record ColorScale(string Title, double Limit, IReadOnlyList<(double Value, string Label)> Ticks, bool Shrank = true, bool Grew = true)
{
    /// <summary>The ends of the scale drawn: -Limit or 0, and 0 or +Limit (both sides when neither is reached: no change).</summary>
    public (double Low, double High) Range => Shrank || Grew ? (Shrank ? -Limit : 0, Grew ? Limit : 0) : (-Limit, Limit);
}

public sealed record Panel
{
    /// <summary>The facet value ("impl=list"), or null for an unfaceted plot.</summary>
    public string? Title { get; init; }
    public required Axis X { get; init; }
    public required Axis Y { get; init; }
    public IReadOnlyList<Series> Series { get; init; } = [];
    /// <summary>Category names of a bar chart's y axis, bottom to top; the bars' Y values index into them.</summary>
    public IReadOnlyList<string>? YCategories { get; init; }
    public Heatmap? Heatmap { get; init; }
    /// <summary>A dashed reference line across the panel (ratio 1 on a scatter, no change).</summary>
    public double? ReferenceY { get; init; }
    /// <summary>Likewise, vertical (zero change on a compare bar chart).</summary>
    public double? ReferenceX { get; init; }
}

public enum SeriesKind
{
    /// <summary>Points joined in x order, with optional whiskers.</summary>
    Line,
    /// <summary>Points only; coloured per point when <see cref="Series.Colors"/> is set.</summary>
    Markers,
    /// <summary>Horizontal bars: X is the bar length, Y the category index.</summary>
    Bars,
}

public sealed record Series
{
    /// <summary>Legend entry: the run label, the benchmark and the dims that tell series apart.</summary>
    public required string Name { get; init; }
    public required SeriesKind Kind { get; init; }
    public required double[] X { get; init; }
    public required double[] Y { get; init; }
    /// <summary>Whisker ends (same unit as Y), or null for none.</summary>
    public double[]? YLow { get; init; }
    public double[]? YHigh { get; init; }
    /// <summary>--band: YLow…YHigh drawn as a filled band around the line instead of whiskers.</summary>
    public bool Band { get; init; }
    /// <summary>One line per point, shown on hover in HTML.</summary>
    public required string[] Hover { get; init; }
    /// <summary>Text drawn at each point (a compare bar's change in %), or null for none.</summary>
    public string[]? Labels { get; init; }
    /// <summary>Per-point values on the figure's <see cref="Figure.ColorScale"/>.</summary>
    public double[]? Colors { get; init; }
    /// <summary>Series sharing a colour group share a colour (--color DIM); null = a colour of its own.</summary>
    public string? ColorGroup { get; init; }
}

/// <summary>Rows × columns of values on the figure's colour scale, with a label per cell; NaN = missing.</summary>
public sealed record Heatmap(IReadOnlyList<string> Columns, IReadOnlyList<string> Rows, double[,] Values, string[,] Labels, string[,] Hover);
