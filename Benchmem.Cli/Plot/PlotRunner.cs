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
    Jpeg,
    Webp,
    Pdf,
}

/// <summary>Runs a plot request: prepare the runs, pick the view, build the figure, write it atomically.</summary>
public static class PlotRunner
{
    public static PlotFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" or ".htm" => PlotFormat.Html,
        ".png" => PlotFormat.Png,
        ".svg" => PlotFormat.Svg,
        ".jpg" or ".jpeg" => PlotFormat.Jpeg,
        ".webp" => PlotFormat.Webp,
        ".pdf" => PlotFormat.Pdf,
        var other => throw new UsageException($"-o {path}: {(other.Length == 0 ? "no file extension" : $"'{other}' is not a supported format")}; " +
                                              "end the name in .html (interactive, offline), .png, .svg, .jpg, .webp or .pdf (static images)."),
    };

    public static int Run(PlotRequest request, PlotFormat format, TextWriter stdout, TextWriter stderr)
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

        CheckAxisOptions(request, view, viewName);
        var metric = PlotMetric.Choose(request.Columns, records);
        if (!records.Any(r => metric.Read(r) is not null))
            throw new UsageException($"no benchmark in {Describe(runs)} measured {metric.Name} ({metric.HowToMeasure}); plot another metric with --columns ({PlotMetric.List}).");

        var spec = new PlotSpec(view, metric, request.X, color, facet, pivot, request.Band, request.Clip, request.FreeAxes);
        var figure = view switch
        {
            PlotView.Scaling => ScalingView.Build(runs, spec, notes),
            PlotView.Scatter => ScatterView.Build(runs, spec, notes),
            PlotView.Compare => CompareView.Build(runs, spec, notes),
            _ => SweepView.Build(runs, spec, notes),
        };
        // A facet value whose benchmarks were all left out (no x dim, not measured, not in both runs) is no panel:
        // the notes already say what was left out, and empty panels would only blank most of the image.
        figure = figure with
        {
            Subtitle = string.Join("; ", notes.Distinct()), Panels = figure.Panels.Where(HasData).Select(p => WithAxes(p, request)).ToList(),
            SharedY = facet is not null && !request.FreeAxes && view is PlotView.Scaling or PlotView.Scatter,
        };
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
                    case PlotFormat.Jpeg:
                        ImageRenderer.Write(figure, ImageFormat.Jpeg, stream);
                        break;
                    case PlotFormat.Webp:
                        ImageRenderer.Write(figure, ImageFormat.Webp, stream);
                        break;
                    case PlotFormat.Pdf:
                        ImageRenderer.Write(figure, ImageFormat.Pdf, stream);
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
            // JPEG, WebP and PDF need the same library; the message keeps the wording scripts may already match on.
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
        if (request.Open)
            return Browser.Open(Path.GetFullPath(path), stdout, stderr);
        return ExitCodes.Ok;
    }

    /// <summary>The axis options fit the view and one another; each contradiction is named with its fix.</summary>
    private static void CheckAxisOptions(PlotRequest request, PlotView view, string viewName)
    {
        bool axes = view is PlotView.Scaling or PlotView.Scatter;
        foreach (var (given, name) in new[] { (request.LogX, "--log-x"), (request.LogY, "--log-y"), (request.Linear, "--linear"), (request.YZero, "--y-zero") })
        {
            if (given && !axes)
                throw new UsageException($"{name} is for the scaling and scatter views, whose axes are numbers; this plot is {viewName}: drop {name}, or add --view scaling.");
        }
        if (request.Linear && (request.LogX || request.LogY))
            throw new UsageException($"--linear and {(request.LogX ? "--log-x" : "--log-y")} contradict each other; --linear makes both axes linear: drop one of them.");
        if (request.YZero && request.LogY)
            throw new UsageException("--y-zero and --log-y contradict each other: zero is not on a log axis; drop one of them.");
        if (request.Band is not null && view != PlotView.Scaling)
            throw new UsageException($"--band is for the scaling view (a band around each line); this plot is {viewName}: drop --band, or add --view scaling.");
        if (request.FreeAxes && request.Facet is null)
            throw new UsageException("--free-axes frees the axes of --facet panels, and there is no --facet; add --facet DIM, or drop --free-axes.");
        if (request.FreeAxes && view is not (PlotView.Scaling or PlotView.Scatter))
            throw new UsageException($"--free-axes is for the scaling and scatter views; {viewName} panels share no numeric y axis: drop --free-axes.");
    }

    /// <summary>--log-x, --log-y, --linear and --y-zero over the view's own choice (it goes logarithmic from two decades).</summary>
    private static Panel WithAxes(Panel panel, PlotRequest request)
    {
        if (panel.Heatmap is not null || panel.YCategories is not null)
            return panel;
        var x = panel.X with { Log = request.LogX || (!request.Linear && panel.X.Log) };
        var y = panel.Y with { Log = request.LogY || (!request.Linear && !request.YZero && panel.Y.Log), FromZero = request.YZero };
        if (x.Log)
            NoNonPositive(panel.Series.SelectMany(s => s.X), panel.X.Title, "--log-x", "x");
        if (y.Log)
            NoNonPositive(panel.Series.SelectMany(s => s.Y.Concat(s.YLow ?? []).Concat(s.YHigh ?? [])), panel.Y.Title, "--log-y", "y");
        return panel with { X = x, Y = y };
    }

    private static void NoNonPositive(IEnumerable<double> values, string title, string option, string axis)
    {
        if (values.Where(double.IsFinite).Where(v => v <= 0).Select(v => (double?)v).FirstOrDefault() is { } bad)
            throw new UsageException($"{option}: {title} has the value {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which a log axis cannot show; drop {option} (the {axis} axis goes logarithmic by itself when the data spans two decades).");
    }

    private static bool HasData(Panel panel) =>
        panel.Heatmap is { } heat ? heat.Rows.Count > 0 : panel.Series.Any(s => s.X.Any(double.IsFinite));

    private static string Describe(IReadOnlyList<PlotRun> runs) =>
        runs.Count == 1 ? runs[0].Label : $"{runs.Count} runs ({string.Join(", ", runs.Select(r => r.Label).Take(4))}{(runs.Count > 4 ? ", …" : "")})";
}
