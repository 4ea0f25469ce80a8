using System.CommandLine;
using Benchmem.Core.Snapshots;

namespace Benchmem.Cli.Commands;

/// <summary>
/// <c>benchmem accept [SNAPSHOT.json]</c>: takes the counts a run left beside the allocation snapshot (its pending file,
/// written when any benchmark's counts changed or were new) into the snapshot. Benchmarks the run did not measure (a
/// filtered run) keep their entries. Prints what changed.
/// </summary>
public static class AcceptCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("SNAPSHOT.json")
        {
            Description = "The allocation snapshot (Benchmem.Snapshot), default benchmem.lock.json in the current folder.",
            DefaultValueFactory = _ => "benchmem.lock.json",
        };
        var command = new Command("accept", "Take the last run's allocation counts (left beside the snapshot when they changed) into the allocation snapshot.")
        {
            input,
        };
        command.SetAction(parse =>
        {
            var path = Path.GetFullPath(parse.GetValue(input)!);
            var pendingPath = AllocationSnapshot.PendingPath(path);
            if (!File.Exists(pendingPath))
                throw new UsageException($"nothing to accept: no {pendingPath}. A run with Benchmem.Snapshot={Path.GetFileName(path)} leaves one only when "
                    + "a benchmark's counts changed or are new (a run that matches, or the first one, which writes the snapshot itself, leaves none).");
            var pending = AllocationSnapshot.Load(pendingPath);
            var current = File.Exists(path) ? AllocationSnapshot.Load(path) : new AllocationSnapshot();
            int changed = 0, added = 0;
            foreach (var (name, entry) in pending.Benchmarks)
            {
                if (!current.Benchmarks.TryGetValue(name, out var then))
                {
                    added++;
                    stdout.WriteLine($"new: {name}: {entry.Allocations:N0} allocations, {entry.AllocatedBytes:N0} B");
                }
                else if (AllocationSnapshot.Difference(then, entry) is { } difference)
                {
                    changed++;
                    stdout.WriteLine($"changed: {name}: {difference}");
                }
                current.Benchmarks[name] = entry;
            }
            current.Save(path);
            File.Delete(pendingPath);
            stdout.WriteLine($"Accepted {changed} changed and {added} new benchmark(s) into {path} ({current.Benchmarks.Count} in all).");
            return 0;
        });
        return command;
    }
}
