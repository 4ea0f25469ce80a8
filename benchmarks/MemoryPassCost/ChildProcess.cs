using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Benchmem.Core.Memory;

namespace MemoryPassCost;

/// <summary>What a child run gave back: its numbers (null on failure), why not, and its wall time seen from outside.</summary>
internal sealed record ChildOutcome(ProcessNumbers? Numbers, string? Error, double WallNs);

/// <summary>
/// Re-launches this program with <c>--child</c>: with the allocation profiler (the memory host), or without it but
/// with the same DOTNET_TieredCompilation=0 (the control, to tell the profiler's slowdown from the JIT mode's).
/// </summary>
internal static class ChildProcess
{
    public const string Flag = "--child";
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static ChildOutcome Run(string role, string? profilerPath, IEnumerable<string> forwardedArgs, TimeSpan timeout)
    {
        var psi = SelfStartInfo();
        psi.ArgumentList.Add(Flag);
        psi.ArgumentList.Add(role);
        foreach (var a in forwardedArgs)
            psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        // What dotnet run / vstest / MSBuild leave in the environment is not the child's business; nor is a profiler
        // this process may itself have been started with.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("VSTEST_", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("CORECLR_", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        if (profilerPath is not null)
            foreach (var (k, v) in AllocationCounter.EnvironmentFor(profilerPath))
                psi.Environment[k] = v;
        // As Benchmem's memory host: fully optimized code from the first call, no background re-JIT during a pass.
        psi.Environment["DOTNET_TieredCompilation"] = "0";

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var child = new Process { StartInfo = psi };
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        var watch = Stopwatch.StartNew();
        try
        {
            child.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ChildOutcome(null, $"cannot start {psi.FileName}: {e.Message}", 0);
        }
        child.StandardInput.Close();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        if (!child.WaitForExit(timeout))
        {
            try { child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            child.WaitForExit();
            return new ChildOutcome(null, $"timed out after {timeout.TotalSeconds:F0} s and was killed; stderr: {Tail(stderr)}", watch.Elapsed.TotalNanoseconds);
        }
        child.WaitForExit(); // drains the asynchronous readers
        double wall = watch.Elapsed.TotalNanoseconds;
        string? json;
        lock (stdout)
            json = stdout.ToString().Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (child.ExitCode != 0 || json is null)
            return new ChildOutcome(null, $"exit code {child.ExitCode}, no result; stderr: {Tail(stderr)}", wall);
        try
        {
            return new ChildOutcome(JsonSerializer.Deserialize<ProcessNumbers>(json, Json), null, wall);
        }
        catch (JsonException e)
        {
            return new ChildOutcome(null, $"unreadable result ({e.Message}): {json}", wall);
        }
    }

    /// <summary>The same program: its apphost directly, or <c>dotnet exec</c> with its dll when started through dotnet.</summary>
    private static ProcessStartInfo SelfStartInfo()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string dll = typeof(ChildProcess).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var psi = new ProcessStartInfo(process);
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add(dll);
            return psi;
        }
        return new ProcessStartInfo(process);
    }

    private static string Tail(StringBuilder text)
    {
        string s;
        lock (text)
            s = text.ToString().Trim();
        return s.Length == 0 ? "(empty)" : s.Length > 2000 ? "..." + s[^2000..] : s;
    }
}
