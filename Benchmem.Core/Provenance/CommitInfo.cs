using System.Diagnostics;

namespace Benchmem.Core.Provenance;

/// <summary>The git commit a run measured, so saved runs can be told apart later. Null outside a repository.</summary>
public sealed record CommitInfo(string Id, bool Dirty, string? Branch)
{
    public static CommitInfo? Read(string directory)
    {
        var id = Git(directory, "rev-parse HEAD");
        if (id is null)
            return null;
        var status = Git(directory, "status --porcelain --untracked-files=no");
        var branch = Git(directory, "rev-parse --abbrev-ref HEAD");
        return new CommitInfo(id, !string.IsNullOrEmpty(status), branch is null or "HEAD" ? null : branch);
    }

    private static string? Git(string directory, string arguments)
    {
        try
        {
            var psi = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var errTask = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(5000))
            {
                p.Kill(entireProcessTree: true);
                return null;
            }
            errTask.Wait();
            return p.ExitCode == 0 ? output.Trim() : null;
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
