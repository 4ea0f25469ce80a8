using System.CommandLine;
using Benchmem.Cli.Output;
using Benchmem.Core.Exporters;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem export RUN.json --to github-action-benchmark|bencher [-o FILE [--force]]</c>.</summary>
public static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("RUN.json") { Description = "A Benchmem results file or a BenchmarkDotNet full JSON export." };
        var to = new Option<string>("--to")
        {
            Description = "github-action-benchmark (its customSmallerIsBetter tool: time, peak, allocated, allocations) or bencher (Bencher Metric Format).",
            Required = true,
            HelpName = "github-action-benchmark|bencher",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (atomically) instead of stdout.", HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace the -o file when it exists." };
        var command = new Command("export", "Convert one run for a benchmark dashboard, memory included: github-action-benchmark or Bencher.")
        {
            input, to, output, force,
        };
        command.SetAction(parse =>
        {
            DashboardFormat chosen;
            try
            {
                chosen = DashboardExport.Parse(parse.GetValue(to)!);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--to: {e.Message}.");
            }
            var path = parse.GetValue(input)!;
            var run = BenchmarkRun.Load(path);
            return OutputFile.Write(stdout, DashboardExport.Render(run, chosen), parse.GetValue(output), parse.GetValue(force), path, "export");
        });
        return command;
    }
}
