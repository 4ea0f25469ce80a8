using Benchmem.Core.Results;

namespace Benchmem.Cli.Inputs;

/// <summary>A run read from a command-line argument, with the label it is shown under.</summary>
public sealed record LoadedRun(string Path, string Label, BenchmarkRun Run);

/// <summary>Turns run arguments (files, or directories meaning all their *.json runs in name order) into loaded runs.</summary>
public static class RunInputs
{
    /// <summary>
    /// Expands arguments into files: a directory stands for its *.json files in ordinal name order (the order of
    /// numbered saved runs); <paramref name="exclude"/> (e.g. merge's output) is skipped inside directories.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments, string command, string? exclude = null)
    {
        var excluded = exclude is null ? null : System.IO.Path.GetFullPath(exclude);
        var files = new List<string>();
        foreach (var arg in arguments)
        {
            if (!Directory.Exists(arg))
            {
                // The parser passes unknown option-like tokens through as arguments: say what they are.
                if (arg.StartsWith('-') && !File.Exists(arg))
                    throw new UsageException($"{arg}: unknown option; see 'benchmem {command} --help' (a file whose name starts with '-' is given as ./{arg}).");
                files.Add(arg);
                continue;
            }
            var inside = Directory.GetFiles(arg, "*.json")
                .Where(f => excluded is null || !string.Equals(System.IO.Path.GetFullPath(f), excluded, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (inside.Count == 0)
                throw new UsageException($"{arg}: directory has no *.json results files; give result files, or a directory of saved runs.");
            files.AddRange(inside);
        }
        return files;
    }

    /// <summary>Loads every file; labels are the given ones (one per run, in order) or derived from the file names.</summary>
    public static IReadOnlyList<LoadedRun> Load(IReadOnlyList<string> files, IReadOnlyList<string> labels)
    {
        if (labels.Count > 0 && labels.Count != files.Count)
            throw new UsageException($"{files.Count} run(s) but {labels.Count} label(s); give one -l/--label per run, in order ({Describe(files)}), or none.");
        foreach (var label in labels)
        {
            if (string.IsNullOrWhiteSpace(label))
                throw new UsageException("-l/--label: a label is empty; give each run a non-empty label.");
        }
        var duplicate = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new UsageException($"-l/--label: \"{duplicate.Key}\" labels two runs; give each run its own label.");
        var names = labels.Count > 0 ? labels : DefaultLabels(files);
        var runs = BenchmarkRun.LoadMany(files);
        return files.Select((f, i) => new LoadedRun(f, names[i], runs[i])).ToList();
    }

    /// <summary>File names without .json; where two runs share a file name, the paths as given instead.</summary>
    public static IReadOnlyList<string> DefaultLabels(IReadOnlyList<string> files)
    {
        var names = files.Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() == names.Count)
            return names;
        var paths = files.Select(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? f[..^5] : f).ToList();
        if (paths.Distinct(StringComparer.Ordinal).Count() == paths.Count)
            return paths;
        return paths.Select((p, i) => $"{p} #{i + 1}").ToList();
    }

    private static string Describe(IReadOnlyList<string> files) =>
        files.Count <= 4 ? string.Join(", ", files) : string.Join(", ", files.Take(3)) + $", … {files[^1]}";
}
