using System.CommandLine;
using Benchmem.Cli.Inputs;
using Benchmem.Cli.Output;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem compare A.json B.json [C.json…]</c>: the comparison table, and the gate with --fail-on.</summary>
public static class CompareCommand
{
    public static readonly string[] Stats = ["min", "max", "mean", "median", "stddev", "all"];
    public static readonly string[] Sorts = ["name", "value", "change"];
    public static readonly string[] Formats = ["table", "md", "csv"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var runs = new Argument<string[]>("RUN.json")
        {
            Description = "Result files to compare, baseline first (Benchmem results or BenchmarkDotNet full JSON exports); a directory means all its *.json runs in name order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var columns = new Option<string[]>("--columns")
        {
            Description = $"Metrics to show, comma-separated, from {string.Join(", ", Benchmem.Core.Compare.MetricField.All.OrderBy(f => !f.IsSampled).Select(f => f.Name))} (default: time,peak,allocated,allocations; a column no run measured is left out).",
            HelpName = "LIST",
        };
        var stat = new Option<string?>("--stat")
        {
            Description = "Timing statistic of the time column (default: median; all = min, max, mean, stddev and median). Memory columns show the headline pass.",
            HelpName = string.Join('|', Stats),
        };
        var diff = new Option<bool>("--diff")
        {
            Description = "Show the first run's values, then each later run's change against it in %, instead of (N.NN) multiples of the best.",
        };
        var pivot = new Option<string?>("--pivot")
        {
            Description = "Spread a dim across the columns (peak n=1000, peak n=10000, …); rows become the benchmark without it.",
            HelpName = "DIM",
        };
        var groupBy = new Option<string?>("--group-by")
        {
            Description = "Split the table into sections by group, type, method, namespace, or a dim such as n.",
            HelpName = "KEY",
        };
        var sort = new Option<string?>("--sort")
        {
            Description = "Row order inside a section: name (default; numbers as numbers), value (smallest first), change (worst growth from the first run to the last first).",
            HelpName = string.Join('|', Sorts),
        };
        var format = new Option<string?>("--format")
        {
            Description = "Output format on stdout (default: table).",
            HelpName = string.Join('|', Formats),
        };
        var csv = new Option<string?>("--csv")
        {
            Description = "Also write the comparison as CSV to this file.",
            HelpName = "FILE",
        };
        var labels = new Option<string[]>("--label", "-l")
        {
            Description = "A label per run, in order (repeat: -l main -l branch); default: the file names.",
            HelpName = "LABEL",
        };
        var failOn = new Option<string[]>("--fail-on")
        {
            Description = "Gate (repeatable, or comma-separated): exit 1 and list each benchmark that grew past the rule against the first run, e.g. peak:10%, allocated:1MiB, allocations:5%, time:5%, time.min:50us, time:5%:significant.",
            HelpName = "RULE",
        };
        var command = new Command("compare", "Compare runs: per benchmark, a row per run with (N.NN) multiples of the best. With --fail-on, a CI gate: exit 0 clean, 1 on a regression, 2 on bad input.")
        {
            runs, columns, stat, diff, pivot, groupBy, sort, format, csv, labels, failOn,
        };
        command.SetAction(parse =>
        {
            var request = new CompareRequest
            {
                Columns = SplitList(parse.GetValue(columns)),
                Stat = parse.GetValue(stat),
                Diff = parse.GetValue(diff),
                Pivot = NonEmpty("--pivot", parse.GetValue(pivot), "a dim name, e.g. --pivot n"),
                GroupBy = NonEmpty("--group-by", parse.GetValue(groupBy), "a grouping, e.g. --group-by group"),
                Sort = parse.GetValue(sort),
                Format = parse.GetValue(format) ?? "table",
                CsvFile = NonEmpty("--csv", parse.GetValue(csv), "a file path, e.g. --csv compare.csv"),
                Rules = parse.GetValue(failOn) ?? [],
            };
            // Options and rules first: a typo is reported before any file is read.
            var (table, rules) = CompareRunner.Parse(request);
            var files = RunInputs.Expand(parse.GetValue(runs) ?? [], "compare");
            // With --pivot one run is enough: its values of the dim are the runs compared (and gated).
            if (files.Count < (table.Pivot is null ? 2 : 1))
                throw new UsageException($"compare needs at least 2 runs, got {files.Count} ({string.Join(", ", files)}); give a baseline and a candidate, e.g. benchmem compare base.json new.json, or a directory holding 2 or more runs.");
            request = request with { Runs = RunInputs.Load(files, parse.GetValue(labels) ?? []) };
            return CompareRunner.Run(request, table, rules, stdout, stderr, Terminal.ForStdout());
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
        return value;
    }
}

/// <summary>A parsed, validated compare command line.</summary>
public sealed record CompareRequest
{
    public IReadOnlyList<LoadedRun> Runs { get; init; } = [];
    public IReadOnlyList<string> Columns { get; init; } = [];
    public string? Stat { get; init; }
    public bool Diff { get; init; }
    public string? Pivot { get; init; }
    public string? GroupBy { get; init; }
    public string? Sort { get; init; }
    public string Format { get; init; } = "table";
    public string? CsvFile { get; init; }
    public IReadOnlyList<string> Rules { get; init; } = [];
}
