using System.Diagnostics;

namespace Benchmem.Core.Sweeps;

/// <summary>Runs one `dotnet` command of a sweep, appending everything it prints to the run's log.</summary>
internal static class DotnetProcess
{
    /// <summary>The machine's environment, less what would split the runs, plus the sweep's own variables.</summary>
    public static void SetEnvironment(ProcessStartInfo psi, IReadOnlyDictionary<string, string?> environment)
    {
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        // The results path comes from the sweep's run settings; an outer BENCHMEM_JSON would not win over it, but
        // it must not reach the runs either.
        psi.Environment.Remove("BENCHMEM_JSON");
        foreach (var (key, value) in environment)
        {
            if (value is null)
                psi.Environment.Remove(key);
            else
                psi.Environment[key] = value;
        }
    }

    /// <summary>The exit code, or null when the command ran past <paramref name="timeout"/> and was stopped.</summary>
    public static int? Run(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment,
        TextWriter log, TimeSpan timeout)
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
        SetEnvironment(psi, environment);

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
