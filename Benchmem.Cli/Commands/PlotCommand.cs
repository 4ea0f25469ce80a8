using System.CommandLine;
using Benchmem.Cli.Inputs;
using Benchmem.Cli.Plot;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem plot RUNS…</c>: scaling, scatter, compare and sweep views as offline HTML, PNG, SVG, JPEG, WebP or PDF.</summary>
public static class PlotCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var runs = new Argument<string[]>("RUN.json")
        {
            Description = "Result files to plot, baseline first (Benchmem results or BenchmarkDotNet full JSON exports); a directory means all its *.json runs in name order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var view = new Option<string?>("--view")
        {
            Description = "What to draw (default by the number of runs: 1 scaling, 2 scatter, 3+ sweep): scaling = the metric against a numeric dim, one line per series with whiskers (memory: min…max over the passes; time: Q1…Q3 of the rounds); " +
                          "scatter = baseline on x, candidate/baseline on y, coloured by the absolute change; compare = changes against the first run in the metric's unit, ranked and labelled by %; sweep = fold-change heatmap against the first run.",
            HelpName = string.Join('|', PlotViews.All.Select(PlotViews.Name)),
        };
        var columns = new Option<string[]>("--columns")
        {
            Description = $"The metric to plot, one of {PlotMetric.List} (default: peak when the runs measured memory, else time). Time is the median per operation; memory the headline pass.",
            HelpName = "METRIC",
        };
        var x = new Option<string?>("--x")
        {
            Description = "scaling: the numeric dim on the x axis (default: each benchmark's numeric dim that varies, a panel per benchmark when they differ).",
            HelpName = "DIM",
        };
        var color = new Option<string?>("--color")
        {
            Description = "scaling and scatter: one colour per value of this dim, or of method, type, group or namespace (series of one value share it and differ by dash).",
            HelpName = "DIM",
        };
        var facet = new Option<string?>("--facet")
        {
            Description = "One panel per value of this dim, or of method, type, group or namespace (a grid in PNG/SVG, subplots in HTML).",
            HelpName = "DIM",
        };
        var where = new Option<string[]>("--where")
        {
            Description = "Keep only benchmarks whose dim (or method, type, group, namespace) has this value (a benchmark without that dim is left out); repeatable: different keys must all match, the same key twice means either value.",
            HelpName = "KEY=VALUE",
        };
        var pivot = new Option<string?>("--pivot")
        {
            Description = "Treat each value of this dim as a run (A/B within one run, e.g. --pivot impl); benchmarks are then matched without it.",
            HelpName = "DIM",
        };
        var labels = new Option<string[]>("--label", "-l")
        {
            Description = "A label per run, in order (repeat: -l main -l branch); default: the file names. Legends and axis titles use them.",
            HelpName = "LABEL",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Where to write: .html (interactive, works offline: plotly.js is inlined), .png, .svg, .jpg, .webp or .pdf (static). Default: benchmem-<view>.html in the current directory.",
            HelpName = "FILE",
        };
        var band = new Option<string?>("--band")
        {
            Description = "scaling: a filled band around each line instead of whiskers: the metric's own spread (memory min…max over the passes, time Q1…Q3 of the rounds), or minmax, or iqr (Q1…Q3).",
            HelpName = "minmax|iqr",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var logX = new Option<bool>("--log-x") { Description = "scaling, scatter: a logarithmic x axis (default: logarithmic when the values span two decades)." };
        var logY = new Option<bool>("--log-y") { Description = "scaling, scatter: a logarithmic y axis (default: logarithmic when the values span two decades)." };
        var linear = new Option<bool>("--linear") { Description = "scaling, scatter: both axes linear, whatever the data spans." };
        var yZero = new Option<bool>("--y-zero") { Description = "scaling, scatter: the y axis starts at zero (so a 5% change looks like 5%); makes it linear." };
        var freeAxes = new Option<bool>("--free-axes") { Description = "With --facet: each panel gets its own y range, unit and log decision (default: all panels share them)." };
        var clip = new Option<double?>("--clip")
        {
            Description = "Leave out outliers beyond this factor: scaling, timing rounds or memory passes above F × the benchmark's median (or below median / F) from the whiskers or band; " +
                          "scatter, compare, sweep: benchmarks whose value changed by more than F× (or to less than 1/F). Said under the title.",
            HelpName = "F",
        };
        var open = new Option<bool>("--open") { Description = "Open the written plot in the default browser ($BROWSER, else xdg-open / open / the Windows file association)." };
        var command = new Command("plot", "Plot runs: how cost grows with a dim (scaling), what changed between two runs (scatter, compare), or across many (sweep). Writes offline HTML, PNG or SVG.")
        {
            runs, view, columns, x, color, facet, where, pivot, labels, output, band, logX, logY, linear, yZero, freeAxes, clip, open,
        };
        command.SetAction(parse =>
        {
            var request = new PlotRequest
            {
                View = NonEmpty("--view", parse.GetValue(view), $"one of {PlotViews.List}") is { } v ? PlotViews.Parse(v) : null,
                Columns = SplitList(parse.GetValue(columns)),
                X = NonEmpty("--x", parse.GetValue(x), "a dim name, e.g. --x n"),
                Color = NonEmpty("--color", parse.GetValue(color), "a dim name, e.g. --color impl"),
                Facet = NonEmpty("--facet", parse.GetValue(facet), "a dim name, e.g. --facet impl"),
                Where = PlotData.ParseWhere(parse.GetValue(where) ?? []),
                Pivot = NonEmpty("--pivot", parse.GetValue(pivot), "a dim name, e.g. --pivot impl"),
                Output = NonEmpty("-o/--output", parse.GetValue(output), "a file ending in .html, .png, .svg, .jpg, .webp or .pdf"),
                Band = parse.GetResult(band) is null ? null : ParseBand(parse.GetValue(band)),
                LogX = parse.GetValue(logX),
                LogY = parse.GetValue(logY),
                Linear = parse.GetValue(linear),
                YZero = parse.GetValue(yZero),
                FreeAxes = parse.GetValue(freeAxes),
                Clip = parse.GetValue(clip) is { } f ? CheckClip(f) : null,
                Open = parse.GetValue(open),
            };
            // The output's format is checked before any file is read: a typo costs nothing.
            var format = PlotRunner.FormatOf(request.Output ?? "plot.html");
            var files = RunInputs.Expand(parse.GetValue(runs) ?? [], "plot");
            request = request with { Runs = RunInputs.Load(files, parse.GetValue(labels) ?? []) };
            return PlotRunner.Run(request, format, stdout, stderr);
        });
        return command;
    }

    private static BandKind ParseBand(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => BandKind.Default,
        "minmax" or "min-max" or "range" => BandKind.MinMax,
        "iqr" or "quartiles" => BandKind.Quartiles,
        // --band takes an optional value, so `--band run.json` reads the run as its value: say where to put it.
        _ when File.Exists(value) || Directory.Exists(value) =>
            throw new UsageException($"--band took '{value}' as its spread; put --band after the run files, or give it one: --band minmax or --band iqr."),
        _ => throw new UsageException($"--band '{value}' is not a spread; give --band alone (the metric's own spread), --band minmax or --band iqr."),
    };

    private static double CheckClip(double factor) => factor > 1 && double.IsFinite(factor) ? factor
        : throw new UsageException($"--clip {factor.ToString(System.Globalization.CultureInfo.InvariantCulture)}: give a factor above 1, e.g. --clip 10 (leave out what is more than 10× from the median).");

    private static IReadOnlyList<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static string? NonEmpty(string option, string? value, string example)
    {
        if (value is null)
            return null;
        if (string.IsNullOrWhiteSpace(value))
            throw new UsageException($"{option} is empty; give {example}.");
        return value.Trim();
    }
}

/// <summary>A parsed plot command line.</summary>
public sealed record PlotRequest
{
    public IReadOnlyList<LoadedRun> Runs { get; init; } = [];
    public PlotView? View { get; init; }
    public IReadOnlyList<string> Columns { get; init; } = [];
    public string? X { get; init; }
    public string? Color { get; init; }
    public string? Facet { get; init; }
    public IReadOnlyList<WhereFilter> Where { get; init; } = [];
    public string? Pivot { get; init; }
    public string? Output { get; init; }
    public BandKind? Band { get; init; }
    public bool LogX { get; init; }
    public bool LogY { get; init; }
    public bool Linear { get; init; }
    public bool YZero { get; init; }
    public bool FreeAxes { get; init; }
    public double? Clip { get; init; }
    public bool Open { get; init; }
}
