using System.CommandLine;
using Benchmem.Cli.Inputs;
using Benchmem.Cli.Merge;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem merge SHARD.json… -o OUT.json [--prefer last]</c>.</summary>
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
        var command = new Command("merge", "Join shard result files from a CI matrix into one run.")
        {
            shards, output, prefer,
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
            var files = RunInputs.Expand(parse.GetValue(shards) ?? [], "merge", exclude: outPath);
            var summary = ShardMerger.Merge(files, outPath, policy);
            var replaced = summary.Replaced == 0 ? ""
                : policy == DuplicatePolicy.Last ? $" ({summary.Replaced} duplicate(s) taken from the later shard)"
                : $" ({summary.Replaced} duplicate(s) taken from the earlier shard)";
            stdout.WriteLine($"benchmem: merged {summary.Shards} shard(s), {summary.Benchmarks} benchmark(s) into {summary.Output}{replaced}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
