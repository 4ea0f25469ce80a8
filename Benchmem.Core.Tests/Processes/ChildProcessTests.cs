using System.ComponentModel;
using Benchmem.Core.Processes;
using Benchmem.Core.Tests.Results;

namespace Benchmem.Core.Tests.Processes;

/// <summary>The runner against real children: /bin/sh scripts that print, exit, wait and start grandchildren.</summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "the children are /bin/sh scripts")]
public class ChildProcessTests
{
    private static ChildProcessStart Shell(string script) => new() { FileName = "/bin/sh", Arguments = ["-c", script] };

    [Test]
    public void CapturesStdoutAndStderrApartWithTheExitCode()
    {
        var result = ChildProcess.Run(Shell("printf 'out 1\\nout 2\\n'; printf 'err\\n' >&2; exit 3"));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.TimedOut, Is.False);
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.StandardOutput, Is.EqualTo("out 1\nout 2\n"));
            Assert.That(result.StandardError, Is.EqualTo("err\n"));
        });
    }

    [Test]
    public void PassesEachArgumentAsItIs()
    {
        var result = ChildProcess.Run(new ChildProcessStart
        {
            FileName = "/bin/sh",
            Arguments = ["-c", "for a in \"$@\"; do printf '<%s>' \"$a\"; done", "sh", "two words", "'quoted'", "$HOME", ""],
        });
        Assert.That(result.StandardOutput, Is.EqualTo("<two words><'quoted'><$HOME><>"));
    }

    [Test]
    public void RunsInTheWorkingDirectory()
    {
        using var dir = new TempDirectory();
        var result = ChildProcess.Run(Shell("pwd -P") with { WorkingDirectory = dir.Path });
        Assert.That(result.StandardOutput, Is.EqualTo(dir.Path + "\n"));
    }

    [Test]
    public void SetsRemovesAndFiltersTheEnvironment()
    {
        Environment.SetEnvironmentVariable("BENCHMEM_CHILD_TEST_KEPT", "kept");
        Environment.SetEnvironmentVariable("BENCHMEM_CHILD_TEST_DROPPED", "dropped");
        Environment.SetEnvironmentVariable("BENCHMEM_CHILD_TEST_FILTERED", "filtered");
        try
        {
            var result = ChildProcess.Run(Shell(
                "echo \"${BENCHMEM_CHILD_TEST_KEPT-unset} ${BENCHMEM_CHILD_TEST_DROPPED-unset} ${BENCHMEM_CHILD_TEST_FILTERED-unset} ${BENCHMEM_CHILD_TEST_NEW-unset}\"") with
            {
                Environment = new Dictionary<string, string?> { ["BENCHMEM_CHILD_TEST_DROPPED"] = null, ["BENCHMEM_CHILD_TEST_NEW"] = "new value" },
                RemoveInherited = name => name.EndsWith("_FILTERED", StringComparison.Ordinal),
            });
            Assert.That(result.StandardOutput, Is.EqualTo("kept unset unset new value\n"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BENCHMEM_CHILD_TEST_KEPT", null);
            Environment.SetEnvironmentVariable("BENCHMEM_CHILD_TEST_DROPPED", null);
            Environment.SetEnvironmentVariable("BENCHMEM_CHILD_TEST_FILTERED", null);
        }
    }

    [Test]
    public void AddedVariablesWinOverTheFilter()
    {
        var result = ChildProcess.Run(Shell("echo \"$BENCHMEM_CHILD_TEST_ROLE\"") with
        {
            Environment = new Dictionary<string, string?> { ["BENCHMEM_CHILD_TEST_ROLE"] = "child" },
            RemoveInherited = name => name.StartsWith("BENCHMEM_", StringComparison.Ordinal),
        });
        Assert.That(result.StandardOutput, Is.EqualTo("child\n"));
    }

    [Test]
    public void StdinIsClosed()
    {
        // cat would wait forever on an open stdin.
        var result = ChildProcess.Run(Shell("cat; echo done") with { Timeout = TimeSpan.FromSeconds(30) });
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(result.StandardOutput, Is.EqualTo("done\n"));
        });
    }

    [Test]
    public void StreamsEveryLineOfBothStreamsAndKeepsNone()
    {
        var lines = new List<string>();
        var result = ChildProcess.Run(Shell("echo one; echo two >&2; sleep 0.2; echo three") with
        {
            OnLine = line => { lock (lines) lines.Add(line); },
        });
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(lines, Is.EquivalentTo(new[] { "one", "two", "three" }));
            Assert.That(lines[^1], Is.EqualTo("three"));
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(result.StandardError, Is.Empty);
        });
    }

    [Test]
    public void TimeoutKillsTheWholeTree()
    {
        using var dir = new TempDirectory();
        var pidFile = dir.File("grandchild.pid");
        // The grandchild would outlive a plain kill of the shell.
        var result = ChildProcess.Run(Shell($"sleep 60 & echo $! > '{pidFile}'; echo started; wait") with { Timeout = TimeSpan.FromSeconds(2) });
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Null);
            Assert.That(result.TimedOut, Is.True);
            Assert.That(result.StandardOutput, Is.EqualTo("started\n"));
            Assert.That(result.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
            Assert.That(IsRunning(grandchild), Is.False, "the grandchild was left running");
        });
    }

    [Test]
    public void TimeoutWhileStreamingKillsTooAndKeepsTheLinesSoFar()
    {
        var lines = new List<string>();
        var result = ChildProcess.Run(Shell("echo before; sleep 60; echo after") with
        {
            Timeout = TimeSpan.FromSeconds(1),
            OnLine = line => { lock (lines) lines.Add(line); },
        });
        Assert.Multiple(() =>
        {
            Assert.That(result.TimedOut, Is.True);
            Assert.That(lines, Is.EqualTo(new[] { "before" }));
        });
    }

    [Test]
    public void AProgramThatIsNotThereThrowsWin32Exception()
    {
        Assert.Throws<Win32Exception>(() => ChildProcess.Run(new ChildProcessStart { FileName = "benchmem-no-such-program-" + Guid.NewGuid().ToString("N") }));
    }

    /// <summary>Alive and not a zombie waiting for its parent to reap it.</summary>
    private static bool IsRunning(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10); // the kill signal is delivered, not awaited
        while (DateTime.UtcNow < deadline)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
                return false;
            string text;
            try { text = File.ReadAllText(stat); }
            catch (IOException) { return false; }
            if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                return false;
            Thread.Sleep(100);
        }
        return true;
    }
}
