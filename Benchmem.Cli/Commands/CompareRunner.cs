using Benchmem.Cli.Inputs;
using Benchmem.Cli.Output;
using Benchmem.Core.Compare;
using Benchmem.Core.Results;
using Spectre.Console;

namespace Benchmem.Cli.Commands;

/// <summary>
/// Renders the comparison (Benchmem.Core.Compare's table) to stdout and, with rules, gates every later run against
/// the first. The gate report goes to stderr, so stdout stays the table, markdown or CSV a script asked for.
/// </summary>
public static class CompareRunner
{
    /// <summary>Option values parsed into the core's types; a bad one is a <see cref="UsageException"/> naming the option.</summary>
    public static (TableOptions Table, IReadOnlyList<ThresholdRule> Rules) Parse(CompareRequest request)
    {
        var table = new TableOptions
        {
            Columns = request.Columns.Count == 0 ? TableOptions.DefaultColumns : Wrap("--columns", () => TableOptions.ParseColumns([.. request.Columns]), "e.g. --columns time,peak"),
            Stat = request.Stat is null ? TableStat.Median : Wrap("--stat", () => TableOptions.ParseStat(request.Stat)),
            Sort = request.Sort is null ? TableSort.Name : Wrap("--sort", () => TableOptions.ParseSort(request.Sort)),
            Format = request.Format.Trim().ToLowerInvariant() is "table" or "text" or "md" or "markdown" or "csv"
                ? TableOptions.ParseFormat(request.Format)
                : throw new UsageException($"--format: unknown format '{request.Format}': use table, md or csv."),
            Diff = request.Diff,
            Pivot = request.Pivot,
            GroupBy = request.GroupBy,
        };
        var rules = Wrap("--fail-on", () => ThresholdRule.ParseMany([.. request.Rules]));
        return (table, rules);
    }

    public static int Run(CompareRequest request, TableOptions table, IReadOnlyList<ThresholdRule> rules,
                          TextWriter stdout, TextWriter stderr, Terminal terminal)
    {
        var runs = request.Runs.Select(r => (r.Label, r.Run)).ToList();
        if (ComparisonTable.DimProblem(runs, table, "--pivot", "--group-by") is { } problem)
            throw new UsageException(problem);
        if (table.Format == TableFormat.Text && terminal.Colour)
        {
            var console = terminal.CreateConsole(stdout);
            var best = new Style(Color.Green);
            var worst = new Style(Color.Red);
            table = table with { Highlight = (text, rank) => console.ToAnsi(new Text(text, rank == CellRank.Best ? best : worst)) };
        }
        stdout.Write(ComparisonTable.Render(runs, table));
        stdout.Flush();

        if (request.CsvFile is { } csvPath)
        {
            var csv = ComparisonTable.Render(runs, table with { Format = TableFormat.Csv, Highlight = null });
            try
            {
                AtomicFile.Write(csvPath, s =>
                {
                    using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
                    writer.Write(csv);
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--csv: cannot write {csvPath}: {e.Message} Choose a path in a writable folder.");
            }
        }

        if (rules.Count == 0)
            return ExitCodes.Ok;
        return table.Pivot is { } dim ? GatePivot(request.Runs, dim, rules, stderr) : Gate(request.Runs, rules, stderr);
    }

    /// <summary>
    /// --pivot with --fail-on: each run is gated along the dim — its later values against its first — so one run's
    /// A/B (impl=old against impl=new) gates CI without a second run.
    /// </summary>
    private static int GatePivot(IReadOnlyList<LoadedRun> runs, string dim, IReadOnlyList<ThresholdRule> rules, TextWriter stderr)
    {
        int exit = ExitCodes.Ok;
        foreach (var run in runs)
        {
            var spelled = BenchmarkKey.FindDim(BenchmarkKey.DimNames(run.Run.Benchmarks), dim) ?? dim;
            var (along, leftOut) = PivotRuns.Split(run.Run, spelled);
            if (along.Count < 2)
                throw new UsageException($"--pivot {dim} --fail-on: {run.Label} has {(along.Count == 0 ? "no benchmark with" : "one value of")} the dim {spelled}, "
                    + "so there is nothing to gate along it; give a dim with two or more values (the first is the baseline).");
            var gated = along.Select(a => new LoadedRun(run.Path, $"{run.Label} {a.Label}", a.Run)).ToList();
            if (Gate(gated, rules, stderr) == ExitCodes.Regression)
                exit = ExitCodes.Regression;
            if (leftOut.Count > 0)
                stderr.WriteLine($"benchmem: {run.Label}: not gated along {spelled} (no such dim): {string.Join(", ", leftOut)}");
        }
        stderr.Flush();
        return exit;
    }

    /// <summary>Every later run against the first; exit 1 when any regressed.</summary>
    private static int Gate(IReadOnlyList<LoadedRun> runs, IReadOnlyList<ThresholdRule> rules, TextWriter stderr)
    {
        var baseline = runs[0];
        bool failed = false;
        foreach (var candidate in runs.Skip(1))
        {
            var result = Comparison.Of(baseline.Run, candidate.Run).Check(rules);
            failed |= !result.Passed;
            var report = result.ToString().Split('\n');
            stderr.WriteLine($"benchmem: {candidate.Label} against {baseline.Label}: {report[0]}");
            foreach (var line in report.Skip(1))
                stderr.WriteLine("  " + line);
        }
        if (rules.Any(r => r.Field == MetricField.Time))
            stderr.WriteLine($"benchmem: time rules: {Core.Timing.WorkloadResult.OwnStatisticsNote}.");
        stderr.Flush();
        return failed ? ExitCodes.Regression : ExitCodes.Ok;
    }

    private static T Wrap<T>(string option, Func<T> parse, string? hint = null)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option}: {e.Message.TrimEnd('.')}{(hint is null ? "" : "; " + hint)}.");
        }
    }
}
