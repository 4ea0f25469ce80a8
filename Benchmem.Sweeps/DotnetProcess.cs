using Benchmem.Core.Processes;

namespace Benchmem.Sweeps;

/// <summary>Runs the `dotnet` commands of a sweep through the one child-process runner.</summary>
internal static class DotnetProcess
{
    /// <summary>The machine's environment, less what would split the runs, plus the sweep's own variables.</summary>
    public static Dictionary<string, string?> EnvironmentFor(IReadOnlyDictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // The results path comes from the sweep's run settings; an outer BENCHMEM_JSON would not win over it, but
            // it must not reach the runs either.
            ["BENCHMEM_JSON"] = null,
        };
        foreach (var (key, value) in environment)
            variables[key] = value;
        return variables;
    }

    /// <summary>One command with its output captured (a short query such as msbuild -getProperty).</summary>
    public static ChildProcessResult Capture(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout) =>
        ChildProcess.Run(new ChildProcessStart
        {
            FileName = "dotnet", Arguments = arguments, WorkingDirectory = workingDirectory, Environment = EnvironmentFor(environment), Timeout = timeout,
        });

    /// <summary>
    /// One command with everything it prints appended to the run's log; the exit code, or null when the command ran
    /// past <paramref name="timeout"/> and was stopped.
    /// </summary>
    public static int? Run(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment,
        TextWriter log, TimeSpan timeout)
    {
        lock (log)
        {
            log.WriteLine("$ dotnet " + string.Join(' ', arguments.Select(SweepResult.Quote)));
            log.Flush();
        }
        var result = ChildProcess.Run(new ChildProcessStart
        {
            FileName = "dotnet", Arguments = arguments, WorkingDirectory = workingDirectory, Environment = EnvironmentFor(environment), Timeout = timeout,
            OnLine = line => { lock (log) log.WriteLine(line); },
        });
        lock (log)
        {
            log.WriteLine(result.TimedOut ? $"(stopped after {timeout.TotalMinutes:0.#} min)" : $"(exit {result.ExitCode})");
            log.Flush();
        }
        return result.ExitCode;
    }
}
