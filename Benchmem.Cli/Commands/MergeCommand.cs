using System.CommandLine;
using Benchmem.Cli.Inputs;
using Benchmem.Cli.Merge;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem merge SHARD.json… -o OUT.json [--prefer last] [--recover]</c>.</summary>
public static class MergeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var shards = new Argument<string[]>("SHARD.json")
        {
            Description = "Shard result files to join, or directories (all their *.json files, in name order).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The merged results file to write (atomically). Title and host info come from the first shard.",
            Required = true,
            HelpName = "OUT.json",
        };
        var prefer = new Option<string?>("--prefer")
        {
            Description = "When two shards hold the same FullName, keep the later (last) or the earlier (first) one. Without it, that is an error.",
            HelpName = "last|first",
        };
        var recover = new Option<bool>("--recover")
        {
            Description = "Also take the journals (*.journal) interrupted runs left beside their results files: every benchmark that finished is kept.",
        };
        var command = new Command("merge", "Join shard result files from a CI matrix into one run (or recover an interrupted run's journals).")
        {
            shards, output, prefer, recover,
        };
        command.SetAction(parse =>
        {
            var policy = parse.GetValue(prefer) switch
            {
                null => DuplicatePolicy.Error,
                "last" => DuplicatePolicy.Last,
                "first" => DuplicatePolicy.First,
                var other => throw new UsageException($"--prefer '{other}' is not a choice; use --prefer last (keep the later shard's benchmark) or --prefer first."),
            };
            var outPath = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(outPath) || Directory.Exists(outPath))
                throw new UsageException($"-o/--output '{outPath}' is not a file path; give the merged file's path, e.g. -o merged.json.");
            var arguments = parse.GetValue(shards) ?? [];
            bool recovering = parse.GetValue(recover);
            var journals = Journals(arguments, recovering);
            var rest = arguments.Where(a => !a.EndsWith(".journal", StringComparison.Ordinal)
                                            && !(recovering && Directory.Exists(a) && Directory.GetFiles(a, "*.json").Length == 0)).ToList();
            var files = rest.Count == 0 ? [] : RunInputs.Expand(rest, "merge", exclude: outPath);
            var scratch = Path.Combine(Path.GetTempPath(), $"benchmem-recover-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                if (journals.Count > 0)
                {
                    Directory.CreateDirectory(scratch);
                    var recovered = JournalRecovery.ToShards(journals, scratch);
                    stdout.WriteLine($"benchmem: recovered {recovered.Benchmarks} finished benchmark(s) from {recovered.Journals} journal(s) of interrupted runs"
                        + (recovered.BrokenLines > 0 ? $"; {recovered.BrokenLines} line(s) cut short by the crash dropped." : "."));
                    files = [.. files, .. recovered.Shards];
                    if (files.Count == 0)
                        throw new UsageException($"merge --recover: the journal(s) hold no finished benchmark ({string.Join(", ", journals)}); nothing to write.");
                }
                return Merged(stdout, ShardMerger.Merge(files, outPath, policy), policy);
            }
            finally
            {
                if (Directory.Exists(scratch))
                    Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }

    /// <summary>The journals among the arguments (and, with --recover, inside directories); a journal without --recover is refused.</summary>
    private static List<string> Journals(IReadOnlyList<string> arguments, bool recovering)
    {
        var journals = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument.EndsWith(".journal", StringComparison.Ordinal))
            {
                if (!recovering)
                    throw new UsageException($"{argument} is the journal of an interrupted run, not a results file; add --recover to keep the benchmarks it holds.");
                journals.Add(argument);
            }
            else if (recovering && Directory.Exists(argument))
                journals.AddRange(Directory.GetFiles(argument, "*.journal").Order(StringComparer.Ordinal));
        }
        return journals;
    }

    private static int Merged(TextWriter stdout, MergeSummary summary, DuplicatePolicy policy)
    {
        var replaced = summary.Replaced == 0 ? ""
            : policy == DuplicatePolicy.Last ? $" ({summary.Replaced} duplicate(s) taken from the later shard)"
            : $" ({summary.Replaced} duplicate(s) taken from the earlier shard)";
        stdout.WriteLine($"benchmem: merged {summary.Shards} shard(s), {summary.Benchmarks} benchmark(s) into {summary.Output}{replaced}.");
        return ExitCodes.Ok;
    }
}
