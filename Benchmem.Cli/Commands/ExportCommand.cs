using System.CommandLine;
using Benchmem.Cli.Inputs;
using Benchmem.Cli.Output;
using Benchmem.Core.Exporters;
using Benchmem.Core.Reporting;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Commands;

/// <summary>
/// <c>benchmem export RUN.json --to github-action-benchmark|bencher [-o FILE [--force]]</c>, and
/// <c>benchmem export RUN… --format long-csv</c>: the tidy table of one or more runs (every sample a row, every dim a column).
/// </summary>
public static class ExportCommand
{
    public const string LongCsv = "long-csv";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string[]>("RUN.json")
        {
            Description = "Benchmem results files or BenchmarkDotNet full JSON exports (a directory: all its *.json runs); --to takes one.",
            Arity = ArgumentArity.OneOrMore,
        };
        var to = new Option<string?>("--to")
        {
            Description = "github-action-benchmark (its customSmallerIsBetter tool: time, peak, allocated, allocations) or bencher (Bencher Metric Format).",
            HelpName = "github-action-benchmark|bencher",
        };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "long-csv: one row per run × benchmark × metric × sample (timing round or memory pass), every dim a column — for pandas, R, Excel.",
            HelpName = LongCsv,
        };
        var labels = new Option<string[]>("--label", "-l") { Description = "long-csv: the run column's value per run, in order (default: the file names).", HelpName = "LABEL" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (atomically) instead of stdout.", HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace the -o file when it exists." };
        var command = new Command("export", "Convert runs for a benchmark dashboard (github-action-benchmark, Bencher), memory included, or into one tidy CSV table.")
        {
            input, to, format, labels, output, force,
        };
        command.SetAction(parse =>
        {
            var (dashboard, tidy) = (parse.GetValue(to), parse.GetValue(format));
            if (dashboard is null && tidy is null)
                throw new UsageException($"give --to github-action-benchmark|bencher (a dashboard's format), or --format {LongCsv} (the tidy table).");
            if (dashboard is not null && tidy is not null)
                throw new UsageException($"--to and --format are two different exports: give one of them.");
            var files = RunInputs.Expand(parse.GetValue(input)!, "export");
            var outPath = parse.GetValue(output);
            if (outPath is not null && files.FirstOrDefault(f => string.Equals(Path.GetFullPath(f), Path.GetFullPath(outPath), StringComparison.Ordinal)) is { } same)
                throw new UsageException($"-o {outPath} is a results file being read; write the export to another file.");
            if (tidy is not null)
            {
                if (!string.Equals(tidy.Trim(), LongCsv, StringComparison.OrdinalIgnoreCase))
                    throw new UsageException($"--format: unknown format '{tidy}': use {LongCsv} (or --to for a dashboard's format).");
                var runs = RunInputs.Load(files, parse.GetValue(labels) ?? []);
                return OutputFile.Write(stdout, LongTable.Csv([.. runs.Select(r => (r.Label, r.Run))]), outPath, parse.GetValue(force), files[0], "export.csv");
            }
            if (parse.GetValue(labels) is { Length: > 0 })
                throw new UsageException("-l/--label names the runs of --format long-csv; a --to export has no run column.");
            DashboardFormat chosen;
            try
            {
                chosen = DashboardExport.Parse(dashboard!);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--to: {e.Message}.");
            }
            if (files.Count != 1)
                throw new UsageException($"--to exports one run, and {files.Count} were given; export them one by one, or use --format {LongCsv} for several.");
            var run = BenchmarkRun.Load(files[0]);
            return OutputFile.Write(stdout, DashboardExport.Render(run, chosen), outPath, parse.GetValue(force), files[0], "export");
        });
        return command;
    }
}
