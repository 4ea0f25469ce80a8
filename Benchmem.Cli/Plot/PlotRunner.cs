using Benchmem.Cli.Commands;
using Benchmem.Cli.Plot.Rendering;
using Benchmem.Cli.Plot.Views;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Plot;

/// <summary>The output formats, by file extension.</summary>
public enum PlotFormat
{
    Html,
    Png,
    Svg,
}

/// <summary>Runs a plot request: prepare the runs, pick the view, build the figure, write it atomically.</summary>
public static class PlotRunner
{
    public static PlotFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" or ".htm" => PlotFormat.Html,
        ".png" => PlotFormat.Png,
        ".svg" => PlotFormat.Svg,
        var other => throw new UsageException($"-o {path}: {(other.Length == 0 ? "no file extension" : $"'{other}' is not a supported format")}; " +
                                              "end the name in .html (interactive, offline), .png or .svg (static images)."),
    };

    public static int Run(PlotRequest request, PlotFormat format, TextWriter stdout)
    {
        var notes = new List<string>();
        var runs = PlotData.Prepare(request.Runs, request.Where, request.Pivot, notes, out string? pivot);
        var records = runs.SelectMany(r => r.Records).ToList();
        var view = request.View ?? PlotViews.ForRuns(runs.Count);
        string viewName = PlotViews.Name(view);

        if (request.X is not null && view != PlotView.Scaling)
            throw new UsageException($"--x is for the scaling view; this plot is {viewName}: drop --x, or add --view scaling.");
        if (request.Color is not null && view is not (PlotView.Scaling or PlotView.Scatter))
            throw new UsageException($"--color is for the scaling and scatter views; this plot is {viewName}: drop --color, or use --facet {request.Color} for a panel per value.");
        string? facet = request.Facet is null ? null : PlotData.ResolveKey($"--facet {request.Facet}", request.Facet, records);
        string? color = request.Color is null ? null : PlotData.ResolveKey($"--color {request.Color}", request.Color, records);
        if (facet is not null && facet == pivot)
            throw new UsageException($"--facet {facet} and --pivot {pivot} name the same dim; a dim can be panels or runs, not both.");
        if (color is not null && (color == facet || color == pivot))
            throw new UsageException($"--color {color} is already {(color == facet ? "the --facet" : "the --pivot")} dim; colour by another dim, or drop --color.");

        var metric = PlotMetric.Choose(request.Columns, records);
        if (!records.Any(r => metric.Read(r) is not null))
            throw new UsageException($"no benchmark in {Describe(runs)} measured {metric.Name} ({metric.HowToMeasure}); plot another metric with --columns ({PlotMetric.List}).");

        var spec = new PlotSpec(view, metric, request.X, color, facet, pivot);
        var figure = view switch
        {
            PlotView.Scaling => ScalingView.Build(runs, spec, notes),
            PlotView.Scatter => ScatterView.Build(runs, spec, notes),
            PlotView.Compare => CompareView.Build(runs, spec, notes),
            _ => SweepView.Build(runs, spec, notes),
        };
        // A facet value whose benchmarks were all left out (no x dim, not measured, not in both runs) is no panel:
        // the notes already say what was left out, and empty panels would only blank most of the image.
        figure = figure with { Subtitle = string.Join("; ", notes.Distinct()), Panels = figure.Panels.Where(HasData).ToList() };
        if (figure.Panels.Count == 0)
            throw new UsageException($"nothing left to plot: {figure.Subtitle}; loosen --where, or pick another --facet or --x.");

        string path = request.Output ?? $"benchmem-{viewName}.html";
        try
        {
            AtomicFile.Write(path, stream =>
            {
                switch (format)
                {
                    case PlotFormat.Html:
                        HtmlRenderer.Write(figure, stream);
                        break;
                    case PlotFormat.Png:
                        ImageRenderer.Write(figure, ImageFormat.Png, stream);
                        break;
                    default:
                        ImageRenderer.Write(figure, ImageFormat.Svg, stream);
                        break;
                }
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"-o: cannot write {path}: {e.Message} Choose a path in a writable folder.");
        }
        catch (Exception e) when (format != PlotFormat.Html && e is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            // The package ships SkiaSharp's native library for the usual runtimes only (see Benchmem.Cli.csproj).
            throw new UsageException($"-o {path}: PNG and SVG need SkiaSharp's native library, which could not be loaded on " +
                                     $"{System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier} ({BenchmemCli.OneLine(e.Message)}); write .html instead.");
        }
        int series = figure.Panels.Sum(p => p.Heatmap is { } h ? h.Rows.Count : p.Series.Count);
        int points = figure.Panels.Sum(p => p.Heatmap is { } h ? h.Rows.Count * h.Columns.Count : p.Series.Sum(s => s.X.Count(double.IsFinite)));
        string what = view == PlotView.Sweep ? $"{series} benchmark(s) × {runs.Count - 1} run(s)" : $"{series} {(view == PlotView.Compare ? "run(s)" : "series")}, {points} point(s)";
        stdout.WriteLine($"benchmem: wrote {Path.GetFullPath(path)} ({viewName}: {figure.Title}; {what}{(figure.Panels.Count > 1 ? $", {figure.Panels.Count} panels" : "")})");
        if (notes.Count > 0)
            stdout.WriteLine($"benchmem: note: {figure.Subtitle}");
        stdout.Flush();
        return ExitCodes.Ok;
    }

    private static bool HasData(Panel panel) =>
        panel.Heatmap is { } heat ? heat.Rows.Count > 0 : panel.Series.Any(s => s.X.Any(double.IsFinite));

    private static string Describe(IReadOnlyList<PlotRun> runs) =>
        runs.Count == 1 ? runs[0].Label : $"{runs.Count} runs ({string.Join(", ", runs.Select(r => r.Label).Take(4))}{(runs.Count > 4 ? ", …" : "")})";
}
