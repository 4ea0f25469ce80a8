using System.CommandLine;
using Benchmem.Sweeps;

namespace Benchmem.Cli.Commands;

/// <summary>
/// <c>benchmem sweep --package NAME VERSION… --project PATH [--framework TFM…] [--memory] [--out DIR] [--test-arg ARG…]</c>:
/// the <see cref="Sweep"/> API on the command line. Exit 0 when every run produced results, 1 when some failed (listed
/// at the end; the others' results stand), 2 on bad input or when no run produced results.
/// </summary>
public static class SweepCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var package = new Option<string[]>("--package")
        {
            Description = "The NuGet package, then the versions to run, in order: --package Newtonsoft.Json 12.0.3 13.0.1 13.0.4.",
            HelpName = "NAME VERSION...",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var project = new Option<string>("--project")
        {
            Description = "The test project (.csproj, or its folder). Each run builds its own copy; the project itself is not touched.",
            HelpName = "PATH",
            Required = true,
        };
        var frameworks = new Option<string[]>("--framework", "-f")
        {
            Description = "Also sweep these target frameworks (dotnet test -f); each version runs on each. Labels get -TFM.",
            HelpName = "TFM...",
            AllowMultipleArgumentsPerToken = true,
        };
        var memory = new Option<bool>("--memory")
        {
            Description = "Memory passes for every benchmark (Benchmem.Enabled=true).",
        };
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Folder for <label>.json and <label>.log per run (default: benchmem-sweep).",
            HelpName = "DIR",
        };
        var testArgs = new Option<string[]>("--test-arg")
        {
            Description = "Run settings passed after `--` to every dotnet test, e.g. --test-arg Benchmem.Repeats=3 \"NUnit.Where=cat == Perf\".",
            HelpName = "ARG...",
            AllowMultipleArgumentsPerToken = true,
        };
        var keep = new Option<bool>("--keep-copies")
        {
            Description = "Keep each run's copy of the project (printed at the end) to look into a failed build.",
        };
        var command = new Command("sweep", "Run a test project's benchmarks once per version of a NuGet package (and per target framework), each in its own copy, writing <out>/<label>.json. Exit 0 all ran, 1 some failed, 2 bad input or none ran.")
        {
            package, project, frameworks, memory, output, testArgs, keep,
        };
        command.SetAction(parse =>
        {
            var named = (parse.GetValue(package) ?? []).SelectMany(Split).ToList();
            var outDir = parse.GetValue(output) ?? "benchmem-sweep";
            var work = parse.GetValue(keep)
                ? Path.Combine(Path.GetTempPath(), "benchmem-sweep", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}")
                : null;
            var sweep = new Sweep
            {
                Package = named.FirstOrDefault() ?? "",
                Versions = named.Skip(1).ToList(),
                Project = parse.GetValue(project) ?? "",
                Frameworks = (parse.GetValue(frameworks) ?? []).SelectMany(Split).ToList(),
                Memory = parse.GetValue(memory),
                OutDirectory = outDir,
                TestArguments = parse.GetValue(testArgs) ?? [],
                WorkDirectory = work,
                KeepCopies = work is not null,
                Progress = stdout,
            };
            // Bad input is a SweepInputException, which the tool's one error boundary reports like any other.
            return Report(sweep.Run(), work, stdout, stderr);
        });
        return command;
    }

    private static IEnumerable<string> Split(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Report(SweepResult result, string? work, TextWriter stdout, TextWriter stderr)
    {
        var ok = result.Succeeded;
        stdout.WriteLine();
        stdout.WriteLine($"benchmem: sweep done: {ok.Count} of {result.Runs.Count} run(s) succeeded; results in {result.OutDirectory}.");
        foreach (var run in ok)
            stdout.WriteLine($"  {run.Label}  {run.JsonPath}");
        if (work is not null)
            stdout.WriteLine($"  copies kept in {work}");
        if (result.CompareCommand is { } compare)
        {
            stdout.WriteLine("Next:");
            stdout.WriteLine("  " + compare);
            stdout.WriteLine("  " + result.PlotCommand);
        }
        else if (result.PlotCommand is { } plot)
        {
            stdout.WriteLine("Next:");
            stdout.WriteLine("  " + plot);
        }
        stdout.Flush();
        var failed = result.Failed;
        if (failed.Count == 0)
            return ExitCodes.Ok;
        stderr.WriteLine($"benchmem: {failed.Count} of {result.Runs.Count} run(s) failed:");
        foreach (var run in failed)
            stderr.WriteLine($"  {run.Label}: {BenchmemCli.OneLine(run.Reason ?? run.Status.ToString())} (log: {run.LogPath})");
        stderr.Flush();
        return ok.Count == 0 ? ExitCodes.BadInput : ExitCodes.SomeRunsFailed;
    }
}
