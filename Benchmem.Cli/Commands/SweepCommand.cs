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
        var refs = new Option<string[]>("--ref")
        {
            Description = "Instead of --package: git refs (branch, tag, commit) of the project's repository, each built in its own `git worktree` with the same project path: --ref main --ref HEAD. Labels are the ref names.",
            HelpName = "REF",
        };
        var pins = new Option<string[]>("--pin")
        {
            Description = "Pin another package to one exact version in every run (repeatable): --pin Newtonsoft.Json=13.0.3.",
            HelpName = "NAME=VERSION",
        };
        var interleave = new Option<int?>("--interleave")
        {
            Description = "With two versions or two refs: run them in alternation, N rounds each (A B, B A, A B, …), so the machine's slow and fast phases hit both alike; " +
                          "prints and writes <out>/interleaved.json: B/A per benchmark and metric with a 95% interval from the rounds. Files: <label>.round-N.json.",
            HelpName = "N",
        };
        var keep = new Option<bool>("--keep-copies")
        {
            Description = "Keep each run's copy of the project (printed at the end) to look into a failed build.",
        };
        var command = new Command("sweep", "Run a test project's benchmarks once per version of a NuGet package or per git ref (and per target framework), each in its own copy or worktree, writing <out>/<label>.json; --interleave alternates two of them. Exit 0 all ran, 1 some failed, 2 bad input or none ran.")
        {
            package, refs, pins, interleave, project, frameworks, memory, output, testArgs, keep,
        };
        command.SetAction(parse =>
        {
            var named = (parse.GetValue(package) ?? []).SelectMany(Split).ToList();
            if (parse.GetResult(package) is null && parse.GetResult(refs) is null)
                throw new UsageException("Option '--package' or '--ref' is required: the package versions to sweep (--package Newtonsoft.Json 12.0.3 13.0.1) or the git refs to run (--ref main --ref HEAD); see 'benchmem sweep --help'.");
            var outDir = parse.GetValue(output) ?? "benchmem-sweep";
            var work = parse.GetValue(keep)
                ? Path.Combine(Path.GetTempPath(), "benchmem-sweep", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}")
                : null;
            var sweep = new Sweep
            {
                Package = named.FirstOrDefault() ?? "",
                Versions = named.Skip(1).ToList(),
                Refs = (parse.GetValue(refs) ?? []).SelectMany(Split).ToList(),
                Pins = ParsePins(parse.GetValue(pins) ?? []),
                Interleave = parse.GetValue(interleave) ?? 0,
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

    /// <summary>--pin NAME=VERSION, repeatable (or comma-separated); the same package twice is a contradiction.</summary>
    private static Dictionary<string, string> ParsePins(IEnumerable<string> values)
    {
        var pins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pin in values.SelectMany(Split))
        {
            int eq = pin.IndexOf('=');
            if (eq <= 0 || eq == pin.Length - 1)
                throw new UsageException($"--pin {pin}: give NAME=VERSION, e.g. --pin Newtonsoft.Json=13.0.3.");
            var (name, version) = (pin[..eq].Trim(), pin[(eq + 1)..].Trim());
            if (pins.TryGetValue(name, out var earlier) && earlier != version)
                throw new UsageException($"--pin {name} given twice ({earlier} and {version}); pin each package once.");
            pins[name] = version;
        }
        return pins;
    }

    private static IEnumerable<string> Split(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The interleaved comparison: B / A per benchmark and metric, with the 95% interval from the rounds.</summary>
    private static void WriteInterleaved(SweepResult result, IReadOnlyList<InterleavedRatio> ratios, TextWriter stdout)
    {
        var (a, b) = (result.Runs[0], result.Runs[1]);
        stdout.WriteLine();
        stdout.WriteLine($"benchmem: interleaved {a.Label} (A) and {b.Label} (B), {a.Rounds.Count} round(s) each; B / A, geometric mean of the rounds' ratios [{Interleaving.Level * 100:0}% interval]:");
        if (ratios.Count == 0)
            stdout.WriteLine("  (no benchmark measured in every round of both sides)");
        int width = ratios.Count == 0 ? 0 : ratios.Max(r => r.Benchmark.Length);
        foreach (var group in ratios.GroupBy(r => r.Benchmark))
            foreach (var r in group)
                stdout.WriteLine($"  {(r == group.First() ? r.Benchmark : "").PadRight(width)}  {r.Metric,-11}  {r.Describe()}");
        stdout.WriteLine($"  (written to {result.InterleavedPath})");
    }

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
        if (result.Interleaved is { } ratios)
            WriteInterleaved(result, ratios, stdout);
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
