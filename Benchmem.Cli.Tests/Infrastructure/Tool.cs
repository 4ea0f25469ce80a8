using System.Diagnostics;
using System.Reflection;

namespace Benchmem.Cli.Tests.Infrastructure;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Lines(Stderr);
    public string[] StdoutLines => Lines(Stdout);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";
}

/// <summary>Runs the real tool, `dotnet Benchmem.Cli.dll ARGS`, as a separate process with output redirected.</summary>
public static class Tool
{
    /// <summary>The tool's dll: stamped into this assembly by the project file (same configuration and framework).</summary>
    public static string Dll { get; } = FindDll();

    private static string FindDll()
    {
        var path = typeof(Tool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BenchmemCliDll").Value!;
        if (!File.Exists(path))
            throw new FileNotFoundException($"The benchmem tool was not built at {path}; build Benchmem.Cli (the test project references it).", path);
        return path;
    }

    public static CliResult Run(params string[] args) => Run(args, workingDirectory: null, environment: null);

    /// <param name="dll">Another build of the tool to run instead (e.g. a copy without its native libraries).</param>
    public static CliResult Run(IEnumerable<string> args, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, string? dll = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(dll ?? Dll);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        // A known environment: no colour switches from the machine running the tests.
        start.Environment.Remove("NO_COLOR");
        start.Environment.Remove("FORCE_COLOR");
        start.Environment.Remove("BENCHMEM_TRACE");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
                start.Environment[k] = v;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"benchmem {string.Join(' ', args)} did not finish within 60 s");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
