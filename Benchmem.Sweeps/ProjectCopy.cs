using System.Xml.Linq;

namespace Benchmem.Sweeps;

/// <summary>
/// The files a project needs to build somewhere else, and the copy itself.
/// <para>
/// Why copies rather than building in place with per-version output paths: a per-version BaseIntermediateOutputPath
/// must be set before the SDK props are imported (a project or Directory.Build.props that sets it, or an artifacts
/// layout, defeats it), two versions would still share the project's obj/project.assets.json unless every tool
/// honours the override, and a run must never touch the user's own obj/bin. A copy gives each version its own
/// everything by construction.
/// </para>
/// <para>
/// What is copied: the project's folder, the folders of the projects it references (transitively; literal paths
/// only, anything else is refused with a message before any run), and, from every folder above them up to the
/// repository root (the first folder with .git) or the file system root, the files MSBuild, NuGet and the SDK pick
/// up by walking up: Directory.Build.props/.targets, Directory.Packages.props, nuget.config, global.json,
/// .editorconfig. Each lands at the same place relative to the copy root (their common ancestor), so every relative
/// path between them still holds. Relative package sources in a nuget.config are made absolute, since the copy
/// lives elsewhere. bin/, obj/, .git/, .vs/ and TestResults/ are not copied.
/// </para>
/// </summary>
internal sealed class ProjectCopy
{
    private static readonly string[] WalkUpFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "nuget.config", "global.json", ".editorconfig"];

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
        { "bin", "obj", ".git", ".vs", "TestResults" };

    private ProjectCopy(string projectFile, string root, IReadOnlyList<string> projectFolders, IReadOnlyList<string> walkUpFiles, HashSet<string> exclude)
    {
        ProjectFile = projectFile;
        Root = root;
        ProjectFolders = projectFolders;
        WalkUpFilesFound = walkUpFiles;
        _exclude = exclude;
    }

    private readonly HashSet<string> _exclude;

    public string ProjectFile { get; }
    /// <summary>The common ancestor of everything copied; the copy mirrors the tree below it.</summary>
    public string Root { get; }
    public IReadOnlyList<string> ProjectFolders { get; }
    public IReadOnlyList<string> WalkUpFilesFound { get; }

    /// <summary>Finds what to copy for <paramref name="projectFile"/>; <paramref name="exclude"/> folders (the sweep's output and work folders) are never copied.</summary>
    public static ProjectCopy Discover(string projectFile, params string[] exclude)
    {
        projectFile = Path.GetFullPath(projectFile);
        var projects = new List<string>();
        Collect(projectFile, projects);
        var folders = projects.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal).ToList();
        // A folder inside another copied folder comes along with it.
        folders = folders.Where(f => !folders.Any(o => o != f && IsUnder(f, o))).ToList();

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            {
                foreach (var file in dir.EnumerateFiles())
                {
                    if (WalkUpFiles.Contains(file.Name, StringComparer.OrdinalIgnoreCase))
                        files.Add(file.FullName);
                }
                if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                    break;
            }
        }
        var root = CommonAncestor(folders.Concat(files.Select(f => Path.GetDirectoryName(f)!)));
        return new ProjectCopy(projectFile, root, folders, files.ToList(),
            exclude.Select(e => Path.TrimEndingDirectorySeparator(Path.GetFullPath(e))).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Copies into <paramref name="destination"/> (created; must not exist yet) and returns the copied project file.</summary>
    public string CopyTo(string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var folder in ProjectFolders)
            CopyFolder(folder, Map(folder, destination));
        foreach (var file in WalkUpFilesFound)
        {
            var target = Map(file, destination);
            if (File.Exists(target))
                continue; // already inside a copied project folder
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (string.Equals(Path.GetFileName(file), "nuget.config", StringComparison.OrdinalIgnoreCase))
                CopyNuGetConfig(file, target);
            else
                File.Copy(file, target);
        }
        return Map(ProjectFile, destination);
    }

    /// <summary>The copied path of an original path below <see cref="Root"/>.</summary>
    public string Map(string original, string destination) =>
        Path.Combine(destination, Path.GetRelativePath(Root, original));

    private void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var to = Path.Combine(target, Path.GetFileName(file));
            if (string.Equals(Path.GetFileName(file), "nuget.config", StringComparison.OrdinalIgnoreCase))
                CopyNuGetConfig(file, to);
            else
                File.Copy(file, to, overwrite: true);
        }
        foreach (var dir in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(dir);
            if (SkippedFolders.Contains(name) || _exclude.Contains(dir))
                continue;
            if ((File.GetAttributes(dir) & FileAttributes.ReparsePoint) != 0)
                continue; // a symlinked folder could loop or reach far outside; not part of a project's sources
            CopyFolder(dir, Path.Combine(target, name));
        }
    }

    /// <summary>Copies a nuget.config with relative local package sources (and package folders) made absolute, against
    /// <paramref name="baseDirectory"/> (default: the source's folder). Source and target may be the same file.</summary>
    internal static void CopyNuGetConfig(string source, string target, string? baseDirectory = null)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(source, LoadOptions.PreserveWhitespace);
        }
        catch (System.Xml.XmlException)
        {
            if (!string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal))
                File.Copy(source, target, overwrite: true); // NuGet will report it; not ours to judge
            return;
        }
        var baseDir = baseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(source))!;
        foreach (var section in doc.Root?.Elements() ?? [])
        {
            var name = section.Name.LocalName;
            if (name != "packageSources" && name != "config" && name != "fallbackPackageFolders")
                continue;
            foreach (var add in section.Elements().Where(e => e.Name.LocalName == "add"))
            {
                var key = (string?)add.Attribute("key") ?? "";
                var value = add.Attribute("value");
                if (value is null || (name == "config" && key is not ("globalPackagesFolder" or "repositoryPath")))
                    continue;
                if (IsLocalRelative(value.Value))
                    value.Value = Path.GetFullPath(Path.Combine(baseDir, value.Value));
            }
        }
        using var stream = File.Create(target);
        doc.Save(stream, SaveOptions.DisableFormatting);
    }

    private static bool IsLocalRelative(string value) =>
        value.Length > 0 && !value.Contains("://", StringComparison.Ordinal) && !value.Contains('%') && !value.Contains('$')
        && !Path.IsPathRooted(value);

    /// <summary>The project and, transitively, every project it references by a literal path.</summary>
    private static void Collect(string projectFile, List<string> into)
    {
        if (into.Contains(projectFile, StringComparer.Ordinal))
            return;
        into.Add(projectFile);
        XDocument doc;
        try
        {
            doc = XDocument.Load(projectFile);
        }
        catch (System.Xml.XmlException e)
        {
            throw new SweepInputException($"{projectFile}: not a valid project file ({e.Message}).");
        }
        var dir = Path.GetDirectoryName(projectFile)!;
        foreach (var reference in doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
        {
            var include = (string?)reference.Attribute("Include");
            if (include is null)
                continue;
            foreach (var item in include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (item.IndexOfAny(['$', '@', '%', '*', '?']) >= 0)
                    throw new SweepInputException(
                        $"{projectFile}: ProjectReference '{item}' is not a literal path; the sweep copies referenced projects by their paths, so write it as a relative path (e.g. ../Lib/Lib.csproj).");
                var path = Path.GetFullPath(Path.Combine(dir, item.Replace('\\', '/')));
                if (!File.Exists(path))
                    throw new SweepInputException($"{projectFile}: ProjectReference '{item}' does not exist ({path}); fix the reference so the project builds where it is first.");
                Collect(path, into);
            }
        }
    }

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string CommonAncestor(IEnumerable<string> folders)
    {
        string? common = null;
        foreach (var folder in folders)
        {
            if (common is null)
            {
                common = folder;
                continue;
            }
            while (common != folder && !IsUnder(folder, common))
                common = Path.GetDirectoryName(common) ?? throw new InvalidOperationException("no common folder");
        }
        return common ?? throw new InvalidOperationException("nothing to copy");
    }
}
