using System.Diagnostics;

namespace Benchmem.Core.Processes;

/// <summary>
/// What to start: the program, its arguments (passed one by one, never re-split by a shell), the folder it runs in,
/// the environment it gets and how long it may take. The child inherits this process's environment less
/// <see cref="RemoveInherited"/>, then <see cref="Environment"/> is applied on top (a null value removes a variable).
/// </summary>
internal sealed record ChildProcessStart
{
    public required string FileName { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>Null: this process's current folder.</summary>
    public string? WorkingDirectory { get; init; }
    /// <summary>Variables set (or, with a null value, removed) for the child, after <see cref="RemoveInherited"/>.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    /// <summary>Inherited variables the child must not see, by name (e.g. a whole prefix such as the test host's own).</summary>
    public Func<string, bool>? RemoveInherited { get; init; }
    /// <summary>Past it the child and everything it started are killed; null: no limit.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>
    /// Null: stdout and stderr are captured whole into the result. Otherwise every line of either, as it arrives
    /// (called from the two reader threads, possibly at once), and nothing is kept: for long build logs.
    /// </summary>
    public Action<string>? OnLine { get; init; }
}

/// <summary>How a child ended. <see cref="ExitCode"/> is null when it ran past its time limit and was killed.</summary>
internal sealed record ChildProcessResult(int? ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool TimedOut => ExitCode is null;
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// The one way Benchmem starts a child process (git, dotnet build/test, the memory host): stdin closed, so a child
/// that asks for input ends instead of waiting; output captured or streamed; on timeout the whole process tree
/// killed, so no grandchild (an MSBuild node, a test host) keeps running or holds the output open.
/// A program that cannot be started throws what <see cref="Process.Start()"/> throws (Win32Exception when it is not
/// installed); the caller decides whether that is an error.
/// </summary>
internal static class ChildProcess
{
    /// <summary>How long to wait for the output to close after killing a tree: a detached grandchild could hold it forever.</summary>
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(5);

    public static ChildProcessResult Run(ChildProcessStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var psi = new ProcessStartInfo(start.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (start.WorkingDirectory is not null)
            psi.WorkingDirectory = start.WorkingDirectory;
        foreach (var argument in start.Arguments)
            psi.ArgumentList.Add(argument);
        if (start.RemoveInherited is { } remove)
        {
            foreach (var key in psi.Environment.Keys.Where(remove).ToList())
                psi.Environment.Remove(key);
        }
        foreach (var (key, value) in start.Environment)
        {
            if (value is null)
                psi.Environment.Remove(key);
            else
                psi.Environment[key] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        Task<string> stdout = Task.FromResult(""), stderr = Task.FromResult("");
        var streamed = new TaskCompletionSource[] { new(), new() };
        if (start.OnLine is { } onLine)
        {
            process.OutputDataReceived += (_, e) => Line(e.Data, onLine, streamed[0]);
            process.ErrorDataReceived += (_, e) => Line(e.Data, onLine, streamed[1]);
        }
        process.Start();
        process.StandardInput.Close();
        if (start.OnLine is not null)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        else
        {
            stdout = process.StandardOutput.ReadToEndAsync();
            stderr = process.StandardError.ReadToEndAsync();
        }
        var output = start.OnLine is not null ? Task.WhenAll(streamed.Select(s => s.Task)) : Task.WhenAll(stdout, stderr);

        bool exited = start.Timeout is { } timeout ? process.WaitForExit(timeout) : WaitForever(process);
        if (!exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended between the timeout and the kill.
            }
            process.WaitForExit(DrainAfterKill);
            output.Wait(DrainAfterKill);
            return new ChildProcessResult(null, Completed(stdout), Completed(stderr), watch.Elapsed);
        }
        output.Wait();
        process.WaitForExit(); // the exit code is final only after the output events are done
        return new ChildProcessResult(process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }

    private static bool WaitForever(Process process)
    {
        process.WaitForExit();
        return true;
    }

    private static void Line(string? line, Action<string> onLine, TaskCompletionSource done)
    {
        if (line is null)
            done.TrySetResult(); // end of that stream
        else
            onLine(line);
    }

    private static string Completed(Task<string> text) => text.IsCompletedSuccessfully ? text.Result : "";
}
