using System.Diagnostics;
using System.Text;

namespace Benchmem.NUnit.Tests.Infrastructure;

public sealed record ProcessResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n{Output}";
}

/// <summary>Runs a real process with stdout and stderr drained together, stdin closed, and a kill on timeout.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string file, IEnumerable<string> arguments, string workingDirectory,
        IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        // The outer test host's own variables must not leak into the nested run.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("VSTEST_", StringComparison.Ordinal)
                     || k.StartsWith("TESTINGPLATFORM_", StringComparison.Ordinal) || k.StartsWith("BENCHMEM_", StringComparison.Ordinal)
                     || k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
            psi.Environment[k] = v;

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time:\n{output}");
        }
        p.WaitForExit();
        lock (output)
            return new ProcessResult(p.ExitCode, output.ToString(), watch.Elapsed);
    }
}
