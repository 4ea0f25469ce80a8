using System.Diagnostics;
using System.Reflection;

namespace Benchmem.NUnit.Tests.Infrastructure;

/// <summary>What one run of the tool printed (stdout and stderr apart: results go to one, failures to the other) and returned.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public string[] StdoutLines => Lines(Stdout);
    public string[] StderrLines => Lines(Stderr);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";
}

/// <summary>The real `benchmem` tool (Benchmem.Cli.dll, built beside this project), run as a separate process.</summary>
public static class BenchmemTool
{
    /// <summary>Stamped into this assembly by the project file (same configuration and framework).</summary>
    public static string Dll { get; } = typeof(BenchmemTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BenchmemCliDll").Value!;

    /// <summary>Runs `dotnet Benchmem.Cli.dll ARGS` with the sample suites' package folder, so nested builds restore the packed Benchmem.</summary>
    public static ToolResult Run(IEnumerable<string> arguments, string workingDirectory, TimeSpan? timeout = null)
    {
        if (!File.Exists(Dll))
            throw new FileNotFoundException($"The benchmem tool was not built at {Dll}; build Benchmem.Cli (this project references it).", Dll);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        // As ProcessRunner: the outer test host's variables must not leak into the nested builds and runs.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("VSTEST_", StringComparison.Ordinal)
                     || k.StartsWith("TESTINGPLATFORM_", StringComparison.Ordinal) || k.StartsWith("BENCHMEM_", StringComparison.Ordinal)
                     || k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["NUGET_PACKAGES"] = PackedPackages.PackageCache;
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // see SampleSuite.Dotnet
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["NO_COLOR"] = "1";

        var watch = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(8)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"benchmem {string.Join(' ', arguments)} did not finish in time:\n{stdout.Result}\n{stderr.Result}");
        }
        p.WaitForExit();
        return new ToolResult(p.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }
}
