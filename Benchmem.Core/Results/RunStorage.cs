using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Benchmem.Core.Errors;

namespace Benchmem.Core.Results;

/// <summary>
/// Saved runs, like pytest-benchmark's .benchmarks/: <c>&lt;root&gt;/&lt;machine&gt;/NNNN_&lt;name&gt;.json</c>, numbered in save order,
/// one folder per kind of machine so runs are only compared with runs from the same kind. A save never
/// overwrites: the number is taken with an exclusive create.
/// </summary>
public sealed partial class RunStorage(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>OS, runtime and architecture, e.g. "Linux-net10.0-X64".</summary>
    public static string MachineKey { get; } =
        $"{(OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "macOS" : OperatingSystem.IsLinux() ? "Linux" : "Other")}"
        + $"-net{System.Environment.Version.Major}.{System.Environment.Version.Minor}-{RuntimeInformation.ProcessArchitecture}";

    public string Folder => Path.Combine(Root, MachineKey);

    [GeneratedRegex(@"^(\d{4,})_(.+)\.json$")]
    private static partial Regex SavedName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex SafeName();

    public sealed record SavedRun(int Number, string Name, string Path);

    /// <summary>Saved runs of this machine, oldest first.</summary>
    public IReadOnlyList<SavedRun> List() => ListIn(Folder);

    /// <summary>Saved runs (NNNN_name.json) in one machine folder, oldest first; other files are not runs.</summary>
    public static IReadOnlyList<SavedRun> ListIn(string folder)
    {
        if (!Directory.Exists(folder))
            return [];
        return Directory.GetFiles(folder, "*.json")
            .Select(f => (File: f, Match: SavedName().Match(Path.GetFileName(f))))
            .Where(x => x.Match.Success)
            .Select(x => new SavedRun(int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), x.Match.Groups[2].Value, x.File))
            .OrderBy(r => r.Number)
            .ToList();
    }

    /// <summary>Checks a name given to Benchmem.Save; the message says what is allowed.</summary>
    public static string? ValidateName(string name) =>
        SafeName().IsMatch(name) ? null : $"'{name}' cannot be a saved run's name: use 1–100 letters, digits, '.', '_' or '-'";

    /// <summary>Copies <paramref name="resultsFile"/> into storage as the next NNNN_name.json and returns its path.</summary>
    public string Save(string resultsFile, string name)
    {
        if (ValidateName(name) is { } error)
            throw new ArgumentException(error, nameof(name));
        Directory.CreateDirectory(Folder);
        var bytes = File.ReadAllBytes(resultsFile);
        for (int number = List().Select(r => r.Number).DefaultIfEmpty(0).Max() + 1; ; number++)
        {
            var path = Path.Combine(Folder, $"{number:D4}_{name}.json");
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
                // another run took this number first: take the next one, never overwrite
            }
        }
    }

    /// <summary>
    /// The run to compare with: a path to a file, a saved run's number (e.g. 3 or 0003), or a saved run's name
    /// (the newest with that name); null means the newest saved run. Null result: nothing saved yet.
    /// </summary>
    public string? Resolve(string? reference)
    {
        if (reference is null)
            return List().LastOrDefault()?.Path;
        if (File.Exists(reference))
            return Path.GetFullPath(reference);
        var runs = List();
        if (int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return runs.FirstOrDefault(r => r.Number == number)?.Path
                ?? throw new ResultsFileException($"no saved run number {number} in {Folder} (saved: {Describe(runs)}).");
        return runs.LastOrDefault(r => r.Name == reference)?.Path
            ?? throw new ResultsFileException($"'{reference}' is neither a file nor a saved run in {Folder} (saved: {Describe(runs)}).");
    }

    private static string Describe(IReadOnlyList<SavedRun> runs) =>
        runs.Count == 0 ? "none" : string.Join(", ", runs.TakeLast(5).Select(r => $"{r.Number:D4}_{r.Name}"));
}
