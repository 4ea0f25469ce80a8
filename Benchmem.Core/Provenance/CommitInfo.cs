using Benchmem.Core.Processes;

namespace Benchmem.Core.Provenance;

/// <summary>The git commit a run measured, so saved runs can be told apart later. Null outside a repository.</summary>
public sealed record CommitInfo(string Id, bool Dirty, string? Branch)
{
    public static CommitInfo? Read(string directory)
    {
        var id = Git(directory, "rev-parse", "HEAD");
        if (id is null)
            return null;
        var status = Git(directory, "status", "--porcelain", "--untracked-files=no");
        var branch = Git(directory, "rev-parse", "--abbrev-ref", "HEAD");
        return new CommitInfo(id, !string.IsNullOrEmpty(status), branch is null or "HEAD" ? null : branch);
    }

    private static string? Git(string directory, params string[] arguments)
    {
        try
        {
            var result = ChildProcess.Run(new ChildProcessStart
            {
                FileName = "git", Arguments = arguments, WorkingDirectory = directory, Timeout = TimeSpan.FromSeconds(5),
            });
            return result.Succeeded ? result.StandardOutput.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
        catch (IOException)
        {
            return null;
        }
    }
}
