using System.CommandLine;
using Benchmem.Cli.Output;
using Benchmem.Core.Exporters;
using Benchmem.Core.Results;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem report RUN.json --format md|csv|html [-o FILE [--force]]</c>: one run's summary, as BDN writes it.</summary>
public static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("RUN.json") { Description = "A Benchmem results file or a BenchmarkDotNet full JSON export." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "md (GitHub markdown), csv (plain numbers: ns and bytes) or html.",
            DefaultValueFactory = _ => "md",
            HelpName = "md|csv|html",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (atomically) instead of stdout.", HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace the -o file when it exists." };
        var command = new Command("report", "One run's summary table (environment, Mean, Error, StdDev, Median, Allocated, memory), as BenchmarkDotNet's exporters write it.")
        {
            input, format, output, force,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(format)!;
            ReportFormat chosen;
            try
            {
                chosen = RunReport.Parse(name);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--format: {e.Message}.");
            }
            var path = parse.GetValue(input)!;
            var run = BenchmarkRun.Load(path);
            return OutputFile.Write(stdout, RunReport.Render(run, chosen), parse.GetValue(output), parse.GetValue(force), path, "report");
        });
        return command;
    }
}
