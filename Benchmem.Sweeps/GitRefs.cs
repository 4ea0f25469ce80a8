using System.Text.RegularExpressions;
using Benchmem.Core.Processes;

namespace Benchmem.Sweeps;

/// <summary>A git ref the sweep runs: the name the user gave, the commit it named when the sweep started, and the run's label.</summary>
public sealed record GitRef(string Name, string Commit, string Label);

/// <summary>
/// <c>--ref</c>: each ref checked out in a worktree of its own (<c>git worktree add --detach</c>), so refs share no
/// obj/bin, the user's checkout (and its uncommitted changes) is never touched, and every ref builds the same project
/// path. Refs are resolved to commits before anything runs, so a branch that moves mid-sweep cannot split a run.
/// </summary>
internal sealed class GitRefs
{
    private static readonly Regex Unsafe = new(@"[^A-Za-z0-9._\-]+", RegexOptions.CultureInvariant);
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(5);

    private GitRefs(string root, string projectPath, IReadOnlyList<GitRef> refs)
    {
        Root = root;
        ProjectPath = projectPath;
        Refs = refs;
    }

    /// <summary>The repository's top folder (of the checkout holding the project).</summary>
    public string Root { get; }
    /// <summary>The project file relative to <see cref="Root"/>: the same path in every ref's worktree.</summary>
    public string ProjectPath { get; }
    public IReadOnlyList<GitRef> Refs { get; }

    /// <summary>Finds the repository around the project and resolves every ref; bad input is a <see cref="SweepInputException"/>.</summary>
    public static GitRefs Resolve(string projectFile, IReadOnlyList<string> names)
    {
        var dir = Path.GetDirectoryName(projectFile)!;
        var top = Git(dir, "rev-parse", "--show-toplevel");
        if (top is null)
            throw new SweepInputException($"--ref: {Path.GetFileName(projectFile)} is not in a git repository (git rev-parse --show-toplevel failed in {dir}); " +
                                          "give the project inside the repository whose refs to run.");
        var root = Path.GetFullPath(top.Trim());
        var refs = new List<GitRef>();
        foreach (var name in names)
        {
            if (name.StartsWith('-'))
                throw new SweepInputException($"--ref '{name}' is not a ref name; give a branch, tag or commit, e.g. --ref main --ref HEAD.");
            var commit = Git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", name + "^{commit}")?.Trim();
            if (string.IsNullOrEmpty(commit))
                throw new SweepInputException($"--ref {name}: no such branch, tag or commit in {root}; list them with `git -C {SweepResult.Quote(root)} branch -a` (a remote branch needs `git fetch` first).");
            var label = Unsafe.Replace(name, "-").Trim('-', '.');
            if (label.Length == 0)
                label = commit[..12];
            // main and origin/main → main, origin-main; two names for one label get the commit to tell them apart.
            if (refs.Any(r => r.Label.Equals(label, StringComparison.OrdinalIgnoreCase)))
                label = $"{label}-{commit[..8]}";
            refs.Add(new GitRef(name, commit, label));
        }
        return new GitRefs(root, Path.GetRelativePath(root, projectFile), refs);
    }

    /// <summary>
    /// Checks the ref out into <paramref name="destination"/> and returns the project file there, or the reason it
    /// could not (the project may not exist at an older ref). Relative local feeds in the checkout's nuget.config files
    /// are resolved against the user's checkout, where untracked feed folders (a packed artifacts/ folder) live.
    /// </summary>
    public (string? ProjectFile, string? Failure) CheckOut(GitRef gitRef, string destination, TextWriter log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var add = ChildProcess.Run(new ChildProcessStart
        {
            FileName = "git", Arguments = ["-C", Root, "worktree", "add", "--detach", "--force", destination, gitRef.Commit], Timeout = GitTimeout,
        });
        log.WriteLine($"$ git -C {SweepResult.Quote(Root)} worktree add --detach --force {SweepResult.Quote(destination)} {gitRef.Commit}");
        log.WriteLine((add.StandardOutput + add.StandardError).TrimEnd());
        if (!add.Succeeded)
            return (null, $"git worktree add failed: {FirstLine(add.StandardError) ?? $"exit {add.ExitCode}"}");
        var project = Path.Combine(destination, ProjectPath);
        if (!File.Exists(project))
            return (null, $"{ProjectPath.Replace('\\', '/')} does not exist at {gitRef.Name} ({gitRef.Commit[..12]})");
        foreach (var config in Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(f).Equals("nuget.config", StringComparison.OrdinalIgnoreCase)))
        {
            var original = Path.Combine(Root, Path.GetRelativePath(destination, config));
            ProjectCopy.CopyNuGetConfig(config, config, Path.GetDirectoryName(original));
        }
        return (project, null);
    }

    /// <summary>Unregisters and deletes a worktree (kept ones stay registered: `git worktree list` shows them).</summary>
    public void Remove(string destination)
    {
        ChildProcess.Run(new ChildProcessStart { FileName = "git", Arguments = ["-C", Root, "worktree", "remove", "--force", destination], Timeout = GitTimeout });
        ChildProcess.Run(new ChildProcessStart { FileName = "git", Arguments = ["-C", Root, "worktree", "prune"], Timeout = GitTimeout });
    }

    private static string? Git(string directory, params string[] arguments)
    {
        try
        {
            var result = ChildProcess.Run(new ChildProcessStart { FileName = "git", Arguments = ["-C", directory, .. arguments], Timeout = GitTimeout });
            return result.Succeeded ? result.StandardOutput : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new SweepInputException("--ref needs git on PATH, which could not be started; install git, or sweep package versions with --package.");
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
}
