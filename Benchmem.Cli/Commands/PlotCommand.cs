using System.CommandLine;
using Benchmem.Cli.Inputs;
using Benchmem.Cli.Plot;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem plot RUNS…</c>: scaling, scatter, compare and sweep views as offline HTML, PNG or SVG.</summary>
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
            Description = "Where to write: .html (interactive, works offline: plotly.js is inlined), .png or .svg (static). Default: benchmem-<view>.html in the current directory.",
            HelpName = "FILE",
        };
        var command = new Command("plot", "Plot runs: how cost grows with a dim (scaling), what changed between two runs (scatter, compare), or across many (sweep). Writes offline HTML, PNG or SVG.")
        {
            runs, view, columns, x, color, facet, where, pivot, labels, output,
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
                Output = NonEmpty("-o/--output", parse.GetValue(output), "a file ending in .html, .png or .svg"),
            };
            // The output's format is checked before any file is read: a typo costs nothing.
            var format = PlotRunner.FormatOf(request.Output ?? "plot.html");
            var files = RunInputs.Expand(parse.GetValue(runs) ?? [], "plot");
            request = request with { Runs = RunInputs.Load(files, parse.GetValue(labels) ?? []) };
            return PlotRunner.Run(request, format, stdout);
        });
        return command;
    }

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
}
