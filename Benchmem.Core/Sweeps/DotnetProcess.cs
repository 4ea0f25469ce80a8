using System.Diagnostics;

namespace Benchmem.Core.Sweeps;

/// <summary>Runs one `dotnet` command of a sweep, appending everything it prints to the run's log.</summary>
internal static class DotnetProcess
{
    /// <summary>The exit code, or null when the command ran past <paramref name="timeout"/> and was stopped.</summary>
    public static int? Run(IReadOnlyList<string> arguments, string workingDirectory, TextWriter log, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        // The results path and the memory switch come from the sweep's run settings; an outer value of the same
        // setting in the environment must not leak in and split the runs.
        psi.Environment.Remove("BENCHMEM_JSON");

        lock (log)
        {
            log.WriteLine("$ dotnet " + string.Join(' ', arguments.Select(SweepResult.Quote)));
            log.Flush();
        }
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            lock (log)
            {
                log.WriteLine($"(stopped after {timeout.TotalMinutes:0.#} min)");
                log.Flush();
            }
            return null;
        }
        p.WaitForExit(); // drains the output events
        lock (log)
        {
            log.WriteLine($"(exit {p.ExitCode})");
            log.Flush();
        }
        return p.ExitCode;
    }
}
