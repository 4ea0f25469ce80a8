using System.Globalization;
using ScottPlot;
using SkiaSharp;
using ScottPlotPlot = ScottPlot.Plot;

namespace Benchmem.Cli.Plot.Rendering;

public enum ImageFormat
{
    Png,
    Svg,
    Jpeg,
    Webp,
    /// <summary>One page the size of the image, in points (1 px = 1 pt), vector like the SVG.</summary>
    Pdf,
}

/// <summary>
/// A static image of the figure with ScottPlot: PNG for PR comments, SVG for READMEs and docs. Facet panels are laid
/// out in a grid on one canvas under a shared title. ScottPlot has no log axis, so log axes plot log10 of the values
/// with ticks labelled in the original numbers (its documented recipe).
/// </summary>
public static class ImageRenderer
{
    private const int HeaderHeight = 56;

    /// <summary>A sans-serif family this machine has (ScottPlot's own default falls back to a serif one on Linux).</summary>
    private static readonly Lazy<string> SansFont = new(() =>
        new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }.FirstOrDefault(f => SKFontManager.Default.GetFontFamilies().Contains(f)) ?? Fonts.Default);

    public static void Write(Figure figure, ImageFormat format, Stream output)
    {
        int n = figure.Panels.Count;
        int columns = n <= 1 ? 1 : Math.Min(n, n == 4 ? 2 : 3);
        int rows = (n + columns - 1) / columns;
        int panelWidth = n == 1 ? 1000 : 620;
        int panelHeight = figure.Panels.Max(PanelHeight);
        bool faceted = n > 1;
        int header = faceted ? HeaderHeight + (figure.Subtitle.Length > 0 ? 20 : 0) : 0;
        int width = columns * panelWidth, height = header + rows * panelHeight;

        var palette = new Palette();
        var plots = figure.Panels.Select(p => BuildPlot(figure, p, palette, faceted)).ToList();
        if (figure.SharedY && plots.Count > 1)
        {
            // Facet panels on one y range: the union of what each would show by itself.
            var limits = plots.Select(p => { p.Axes.AutoScale(); return p.Axes.GetLimits(); }).ToList();
            double bottom = limits.Min(l => l.Bottom), top = limits.Max(l => l.Top);
            foreach (var p in plots)
                p.Axes.SetLimitsY(bottom, top);
        }
        try
        {
            if (format is ImageFormat.Png or ImageFormat.Jpeg or ImageFormat.Webp)
            {
                using var surface = SKSurface.Create(new SKImageInfo(width, height));
                Draw(surface.Canvas);
                using var image = surface.Snapshot();
                // PNG is lossless whatever the quality; JPEG and WebP at 90 keep thin lines and small text legible.
                using var data = format switch
                {
                    ImageFormat.Png => image.Encode(SKEncodedImageFormat.Png, 100),
                    ImageFormat.Jpeg => image.Encode(SKEncodedImageFormat.Jpeg, 90),
                    _ => image.Encode(SKEncodedImageFormat.Webp, 90),
                } ?? throw new InvalidOperationException($"SkiaSharp could not encode {format} on this platform");
                data.SaveTo(output);
            }
            else if (format == ImageFormat.Pdf)
            {
                using var stream = new SKManagedWStream(output);
                using (var document = SKDocument.CreatePdf(stream))
                {
                    Draw(document.BeginPage(width, height));
                    document.EndPage();
                    document.Close();
                }
                stream.Flush();
            }
            else
            {
                using var stream = new SKManagedWStream(output);
                using (var canvas = SKSvgCanvas.Create(SKRect.Create(width, height), stream))
                    Draw(canvas);
                stream.Flush();
            }
        }
        finally
        {
            foreach (var plot in plots)
                plot.Dispose();
        }

        void Draw(SKCanvas canvas)
        {
            canvas.Clear(SKColors.White);
            if (faceted)
                DrawHeader(canvas, figure, width);
            for (int i = 0; i < plots.Count; i++)
            {
                // ScottPlot renders a second time when the first render moved the axes (auto limits, tick label
                // sizes); settling the layout off-screen first keeps every element once in the SVG.
                plots[i].RenderInMemory(panelWidth, panelHeight);
                float left = i % columns * panelWidth, top = header + i / columns * panelHeight;
                plots[i].Render(canvas, new PixelRect(left, left + panelWidth, top + panelHeight, top));
            }
        }
    }

    private static int PanelHeight(Panel panel)
    {
        if (panel.Heatmap is { } heat)
            return Math.Max(520, 180 + heat.Rows.Count * 28);
        if (panel.YCategories is { } categories)
            return Math.Max(520, 160 + categories.Count * Math.Max(1, panel.Series.Count) * 18);
        return 600;
    }

    private static void DrawHeader(SKCanvas canvas, Figure figure, int width)
    {
        using var typeface = SKTypeface.FromFamilyName(SansFont.Value, SKFontStyle.Bold);
        using var font = new SKFont(typeface, 20);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(figure.Title, width / 2f, 34, SKTextAlign.Center, font, paint);
        if (figure.Subtitle.Length > 0)
        {
            using var regular = SKTypeface.FromFamilyName(SansFont.Value);
            using var small = new SKFont(regular, 13);
            paint.Color = new SKColor(0x55, 0x55, 0x55);
            canvas.DrawText(figure.Subtitle, width / 2f, 56, SKTextAlign.Center, small, paint);
        }
    }

    private static ScottPlotPlot BuildPlot(Figure figure, Panel panel, Palette palette, bool faceted)
    {
        var plot = new ScottPlotPlot();
        // Panels share one canvas under the figure's title: each render fills only its own rectangle (by default
        // ScottPlot clears the whole canvas first, which left only the last panel and no title).
        plot.RenderManager.ClearCanvasBeforeEachRender = false;
        plot.Font.Set(SansFont.Value);
        string title = faceted ? panel.Title ?? "" : figure.Title + (figure.Subtitle.Length > 0 ? "\n" + figure.Subtitle : "");
        plot.Title(title, size: faceted ? 15 : 18);
        plot.XLabel(panel.X.Title, size: 14);
        plot.YLabel(panel.Y.Title, size: 14);

        if (panel.Heatmap is { } heat)
        {
            AddHeatmap(plot, heat, figure.ColorScale!);
            return plot;
        }
        var legend = new List<LegendItem>();
        foreach (var series in panel.Series)
        {
            var color = Color.FromHex(palette.For(series.ColorGroup ?? series.Name));
            switch (series.Kind)
            {
                case SeriesKind.Line:
                    AddLine(plot, panel, series, color, series.ColorGroup is null ? 0 : panel.Series.Where(s => s.ColorGroup == series.ColorGroup).ToList().IndexOf(series));
                    break;
                case SeriesKind.Markers:
                    AddMarkers(plot, panel, series, color, figure.ColorScale, legend);
                    break;
                default:
                    AddBars(plot, series, color, panel.Series.ToList().IndexOf(series), panel.Series.Count);
                    break;
            }
        }
        if (panel.ReferenceY is { } ry)
        {
            var line = plot.Add.HorizontalLine(panel.Y.Log ? Math.Log10(ry) : ry, 1, Colors.Gray, LinePattern.Dashed);
            line.ExcludeFromLegend = true;
        }
        if (panel.ReferenceX is { } rx)
        {
            var line = plot.Add.VerticalLine(panel.X.Log ? Math.Log10(rx) : rx, 1, Colors.Gray, LinePattern.Dashed);
            line.ExcludeFromLegend = true;
        }
        if (panel.X.Log)
            plot.Axes.Bottom.TickGenerator = LogTicks();
        if (panel.Y.Log)
            plot.Axes.Left.TickGenerator = LogTicks();
        if (panel.YCategories is { } categories)
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (int i = 0; i < categories.Count; i++)
                ticks.AddMajor(i, categories[i]);
            plot.Axes.Left.TickGenerator = ticks;
            // Room beside the longest bars for their % labels.
            plot.Axes.Margins(left: 0.12, right: 0.12, bottom: 0.02, top: 0.02);
        }
        if (panel.Y.FromZero)
        {
            // --y-zero: the data's own top (with ScottPlot's margin), from zero; a panel all below zero keeps zero on top.
            plot.Axes.AutoScale();
            var limits = plot.Axes.GetLimits();
            plot.Axes.SetLimitsY(Math.Min(0, limits.Bottom), Math.Max(0, limits.Top));
        }
        plot.Legend.ManualItems.AddRange(legend);
        plot.Legend.FontSize = 12;
        // Beside the data area, not in it: inside, it covered points (a scatter's biggest regression is often
        // top-left) and the top bars of a compare chart.
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static void AddLine(ScottPlotPlot plot, Panel panel, Series s, Color color, int dash)
    {
        double[] xs = Transform(s.X, panel.X.Log), ys = Transform(s.Y, panel.Y.Log);
        var scatter = plot.Add.Scatter(xs, ys, color);
        scatter.LegendText = s.Name;
        scatter.MarkerSize = 7;
        scatter.LineWidth = 2;
        scatter.LinePattern = dash switch { 0 => LinePattern.Solid, 1 => LinePattern.Dashed, _ => LinePattern.Dotted };
        if (s is { Band: true, YLow: { } bandLow, YHigh: { } bandHigh })
        {
            var fill = plot.Add.FillY(xs, Transform(bandLow, panel.Y.Log), Transform(bandHigh, panel.Y.Log));
            fill.FillStyle.Color = color.WithAlpha(0.22);
            fill.LineStyle.Width = 0;
        }
        else if (s.YLow is { } low && s.YHigh is { } high && low.Where((l, i) => l != high[i]).Any())
        {
            double[] lo = Transform(low, panel.Y.Log), hi = Transform(high, panel.Y.Log);
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, hi.Select((h, i) => h - ys[i]).ToArray(), lo.Select((l, i) => ys[i] - l).ToArray())
            {
                Color = color,
                CapSize = 6,
                LineWidth = 1.2f,
            };
            plot.Add.Plottable(bars);
        }
    }

    private static void AddMarkers(ScottPlotPlot plot, Panel panel, Series s, Color color, ColorScale? scale, List<LegendItem> legend)
    {
        double[] xs = Transform(s.X, panel.X.Log), ys = Transform(s.Y, panel.Y.Log);
        for (int i = 0; i < xs.Length; i++)
        {
            var c = s.Colors is { } values && scale is not null ? Diverging(values[i] / scale.Limit) : color;
            plot.Add.Marker(xs[i], ys[i], MarkerShape.FilledCircle, 11, c);
            // An outline, so a point that did not change (white on the colour scale) still shows on white.
            var outline = plot.Add.Marker(xs[i], ys[i], MarkerShape.OpenCircle, 11, Colors.Black.WithAlpha(0.55));
            outline.MarkerLineWidth = 1;
        }
        var legendColor = s.Colors is null ? color : Colors.Gray;
        legend.Add(new LegendItem { LabelText = s.Name, MarkerShape = MarkerShape.FilledCircle, MarkerSize = 10, MarkerFillColor = legendColor, MarkerLineColor = legendColor });
        if (s.Colors is { } deltas && scale is not null && deltas.Length > 0)
        {
            // The colour scale as legend entries for the sides the data reaches: what red and blue mean, how far
            // they go (no "blue: down to" when nothing shrank).
            double max = deltas.Max(), min = deltas.Min();
            if (max > 0)
                legend.Add(new LegendItem { LabelText = $"red: {scale.Title} up to {Signed(max)}", MarkerShape = MarkerShape.FilledCircle, MarkerSize = 10, MarkerFillColor = Diverging(max / scale.Limit), MarkerLineColor = Diverging(max / scale.Limit) });
            if (min < 0)
                legend.Add(new LegendItem { LabelText = $"blue: {scale.Title} down to {Signed(min)}", MarkerShape = MarkerShape.FilledCircle, MarkerSize = 10, MarkerFillColor = Diverging(min / scale.Limit), MarkerLineColor = Diverging(min / scale.Limit) });
            if (deltas.Any(d => d == 0))
                legend.Add(new LegendItem { LabelText = "white: no change", MarkerShape = MarkerShape.OpenCircle, MarkerSize = 10, MarkerLineColor = Colors.Black.WithAlpha(0.55) });
        }
    }

    private static void AddBars(ScottPlotPlot plot, Series s, Color color, int index, int count)
    {
        double size = 0.8 / count;
        var bars = new List<Bar>();
        for (int i = 0; i < s.X.Length; i++)
        {
            if (!double.IsFinite(s.X[i]))
                continue;
            bars.Add(new Bar
            {
                Position = s.Y[i] + (index - (count - 1) / 2.0) * size,
                Value = s.X[i],
                Size = size * 0.95,
                FillColor = color,
                LineWidth = 0,
                Orientation = Orientation.Horizontal,
            });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.LegendText = s.Name;
        if (s.Labels is { } labels)
        {
            // The change in %, just past each bar's end (left of a shrink, right of a growth).
            for (int i = 0; i < s.X.Length; i++)
            {
                if (!double.IsFinite(s.X[i]) || labels[i].Length == 0)
                    continue;
                var text = plot.Add.Text(labels[i], s.X[i], s.Y[i] + (index - (count - 1) / 2.0) * size);
                text.LabelAlignment = s.X[i] < 0 ? Alignment.MiddleRight : Alignment.MiddleLeft;
                text.LabelFontSize = 12;
                text.OffsetX = s.X[i] < 0 ? -4 : 4;
            }
        }
    }

    private static void AddHeatmap(ScottPlotPlot plot, Heatmap heat, ColorScale scale)
    {
        int rows = heat.Rows.Count, columns = heat.Columns.Count;
        // ScottPlot draws row 0 at the top; the figure's rows run bottom to top (as plotly's do).
        var values = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                values[r, c] = heat.Values[rows - 1 - r, c];
        var map = plot.Add.Heatmap(values);
        map.Colormap = new DivergingColormap();
        map.ManualRange = new ScottPlot.Range(-scale.Limit, scale.Limit);
        map.NaNCellColor = Colors.LightGray;
        map.Extent = new CoordinateRect(-0.5, columns - 0.5, -0.5, rows - 0.5);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                if (heat.Labels[r, c].Length == 0)
                    continue;
                var text = plot.Add.Text(heat.Labels[r, c], c, r);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 12;
                text.LabelFontColor = Math.Abs(heat.Values[r, c]) > scale.Limit * 0.6 ? Colors.White : Colors.Black;
            }
        }
        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < columns; c++)
            xTicks.AddMajor(c, heat.Columns[c]);
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int r = 0; r < rows; r++)
            yTicks.AddMajor(r, heat.Rows[r]);
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.HideGrid();
        var bar = plot.Add.ColorBar(map);
        bar.Label = scale.Title;
        var barTicks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (value, label) in scale.Ticks)
            barTicks.AddMajor(value, label);
        bar.Axis.TickGenerator = barTicks;
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
    }

    private static double[] Transform(double[] values, bool log) => log ? values.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray() : values;

    /// <summary>Major ticks at powers of ten labelled as numbers (0.001 … 1,000,000), minor ticks at 2…9.</summary>
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent =>
        {
            double value = Math.Pow(10, exponent);
            return value >= 1 ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("0.######", CultureInfo.InvariantCulture);
        },
    };

    /// <summary>+1,024, +20.5, -1.09: three significant digits or the whole number, never an exponent.</summary>
    private static string Signed(double value)
    {
        double size = Math.Abs(value);
        string format = size >= 100 ? "#,0" : size >= 10 ? "0.0" : size >= 1 ? "0.00" : "0.###";
        return (value > 0 ? "+" : "") + value.ToString(format, CultureInfo.InvariantCulture);
    }

    private static Color Diverging(double t)
    {
        var (r, g, b) = Palette.Diverging(t);
        return new Color(r, g, b);
    }

    private sealed class DivergingColormap : IColormap
    {
        public string Name => "benchmem diverging (RdBu)";

        // ScottPlot maps the range's low end to 0 and the high end to 1.
        public Color GetColor(double position) => Diverging(position * 2 - 1);
    }
}
