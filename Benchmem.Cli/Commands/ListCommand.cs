using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using F = Benchmem.Core.Results.ResultsFields;

namespace Benchmem.Cli.Commands;

/// <summary>
/// <c>benchmem list [STORAGE]</c> (pytest-benchmark's <c>list</c>): the saved runs of a storage folder
/// (Benchmem.Storage, default <c>.benchmarks</c>) — per machine folder, each <c>NNNN_name.json</c> with its number,
/// name, date, commit, machine and benchmark count. A damaged file is listed as such, and the command exits 2.
/// </summary>
public static class ListCommand
{
    /// <summary>One saved run as listed; <see cref="Problem"/> when it could not be read.</summary>
    public sealed record Entry(string Folder, int Number, string Name, string? Date, string? Commit, string? Machine, int? Benchmarks, string? Problem);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var storage = new Argument<string>("STORAGE")
        {
            Description = "The saved-runs folder (Benchmem.Storage; default .benchmarks in the current folder), or one of its machine folders.",
            DefaultValueFactory = _ => ".benchmarks",
        };
        var command = new Command("list", "List the saved runs (Benchmem.Save / Autosave): number, name, date, commit, machine and benchmark count.") { storage };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(storage)!;
            var entries = Read(root);
            stdout.Write(Render(entries));
            stdout.Flush();
            var bad = entries.Where(e => e.Problem is not null).ToList();
            foreach (var e in bad)
                stderr.WriteLine($"benchmem: {Path.Combine(e.Folder, $"{e.Number:D4}_{e.Name}.json")}: {e.Problem}");
            stderr.Flush();
            return bad.Count > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Every saved run under <paramref name="root"/>: its machine folders (or, given one, that folder), oldest first.
    /// Throws <see cref="ResultsFileException"/> when the folder is missing or holds no saved runs.
    /// </summary>
    public static IReadOnlyList<Entry> Read(string root)
    {
        if (File.Exists(root))
            throw new ResultsFileException($"{root}: is a file; give the saved-runs folder (Benchmem.Storage, default .benchmarks), or use 'benchmem compare' for one file.");
        if (!Directory.Exists(root))
            throw new ResultsFileException($"{root}: no such directory; give the saved-runs folder (Benchmem.Storage, default .benchmarks in the test project), "
                + "after a run with Benchmem.Save=NAME or Benchmem.Autosave=true.");
        // A machine folder given directly holds the runs; the storage root holds one folder per machine kind.
        var folders = RunStorage.ListIn(root).Count > 0 ? [root] : Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToList();
        var entries = folders.SelectMany(f => RunStorage.ListIn(f).Select(run => Describe(f, run))).ToList();
        if (entries.Count == 0)
            throw new ResultsFileException($"{root}: no saved runs (NNNN_name.json) in it or its machine folders; save one with Benchmem.Save=NAME or Benchmem.Autosave=true.");
        return entries;
    }

    private static Entry Describe(string folder, RunStorage.SavedRun saved)
    {
        var name = Path.GetFileName(folder);
        try
        {
            var run = BenchmarkRun.Load(saved.Path); // the whole file, checked as compare would
            using var doc = JsonDocument.Parse(File.ReadAllBytes(saved.Path));
            string? date = null, commit = null, machine = null;
            if (doc.RootElement.TryGetProperty(F.Benchmem, out var block) && block.ValueKind == JsonValueKind.Object)
            {
                date = Text(block, F.RunBlock.Datetime) is { } d && DateTimeOffset.TryParse(d, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when)
                    ? when.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null;
                if (block.TryGetProperty(F.RunBlock.CommitInfo, out var c) && c.ValueKind == JsonValueKind.Object && Text(c, F.RunBlock.CommitId) is { } id)
                    commit = id[..Math.Min(7, id.Length)] + (c.TryGetProperty(F.RunBlock.CommitDirty, out var dirty) && dirty.ValueKind == JsonValueKind.True ? "-dirty" : "");
                if (block.TryGetProperty(F.RunBlock.MachineInfo, out var m) && m.ValueKind == JsonValueKind.Object)
                    machine = Text(m, F.RunBlock.Node);
            }
            return new Entry(folder, saved.Number, saved.Name, date, commit, machine ?? name, run.Benchmarks.Count, null);
        }
        catch (ResultsFileException e)
        {
            var reason = e.Message.StartsWith(saved.Path, StringComparison.Ordinal) ? e.Message[saved.Path.Length..].TrimStart(':', ' ') : e.Message;
            return new Entry(folder, saved.Number, saved.Name, null, null, name, null, reason);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Per machine folder a heading, then a row per run; "-" where a run does not say.</summary>
    public static string Render(IReadOnlyList<Entry> entries)
    {
        var header = new[] { "Number", "Name", "Date", "Commit", "Machine", "Benchmarks" };
        var rows = entries.Select(e => new[]
        {
            e.Number.ToString("D4", CultureInfo.InvariantCulture), e.Name, e.Date ?? "-", e.Commit ?? "-", e.Machine ?? "-",
            e.Problem is null ? e.Benchmarks!.Value.ToString("N0", CultureInfo.InvariantCulture) : "unreadable",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        var text = new System.Text.StringBuilder();
        foreach (var folder in entries.GroupBy(e => e.Folder))
        {
            text.Append(folder.Key).Append(':').Append('\n');
            text.Append("  ").Append(Line(header)).Append('\n');
            foreach (var (entry, i) in entries.Select((e, i) => (e, i)).Where(x => x.e.Folder == folder.Key))
                text.Append("  ").Append(Line(rows[i])).Append('\n');
        }
        return text.ToString();
    }
}
