using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Benchmem.Cli.Plot;

/// <summary>
/// --open: shows the written plot in the default browser. $BROWSER wins (the Unix convention: a ':'-separated list of
/// commands, the first is used; <c>%s</c> stands for the file, else it goes last); otherwise xdg-open on Linux, open on
/// macOS, the shell's file association on Windows.
/// </summary>
public static class Browser
{
    /// <summary>How long a launcher may take to fail (xdg-open with no handler exits 3 at once) before it counts as started.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(3);

    public static int Open(string path, TextWriter stdout, TextWriter stderr)
    {
        var (file, arguments, shell) = Command(path);
        string shown = string.Join(' ', new[] { file }.Concat(arguments));
        try
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = shell };
            if (!shell)
            {
                foreach (var a in arguments)
                    start.ArgumentList.Add(a);
                // The browser may outlive this process: it must not hold our stdout (a pipe would never close) or read our stdin.
                start.RedirectStandardOutput = start.RedirectStandardError = start.RedirectStandardInput = true;
            }
            using var process = Process.Start(start) ?? throw new Win32Exception("no process started");
            if (!shell)
            {
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                process.StandardInput.Close();
            }
            if (process.WaitForExit(FailFast) && process.ExitCode != 0)
                return Failed($"{shown} exited with {process.ExitCode}");
        }
        catch (Win32Exception e)
        {
            return Failed($"could not start {file} ({e.Message})");
        }
        stdout.WriteLine($"benchmem: opened {path} with {file}");
        stdout.Flush();
        return ExitCodes.Ok;

        int Failed(string why)
        {
            stderr.WriteLine($"benchmem: --open: {why}; the plot is written: open {path} yourself, or set BROWSER to your browser's command (e.g. BROWSER=firefox).");
            stderr.Flush();
            return ExitCodes.BadInput;
        }
    }

    private static (string File, List<string> Arguments, bool Shell) Command(string path)
    {
        var browser = Environment.GetEnvironmentVariable("BROWSER")?.Split(Path.PathSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (browser is not null)
        {
            var words = browser.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            var args = words.Skip(1).Select(w => w.Replace("%s", path, StringComparison.Ordinal)).ToList();
            if (!browser.Contains("%s", StringComparison.Ordinal))
                args.Add(path);
            return (words[0], args, false);
        }
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return (path, [], true);
        return (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", [path], false);
    }
}
