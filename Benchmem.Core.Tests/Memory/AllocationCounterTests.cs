using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Tests.Memory;

/// <summary><see cref="AllocationCounter"/> without the native profiler (no gcc needed).</summary>
public class AllocationCounterTests
{
    [Test]
    public void EnvironmentFor_NamesTheProfilerByClsidAndAbsolutePath()
    {
        var environment = AllocationCounter.EnvironmentFor(Path.Combine("relative", "lib.so"));
        Assert.Multiple(() =>
        {
            Assert.That(environment["CORECLR_ENABLE_PROFILING"], Is.EqualTo("1"));
            Assert.That(environment["CORECLR_PROFILER"], Is.EqualTo(AllocationCounter.ProfilerClsid));
            Assert.That(Guid.TryParse(AllocationCounter.ProfilerClsid, out _), Is.True);
            Assert.That(Path.IsPathFullyQualified(environment["CORECLR_PROFILER_PATH"]), Is.True);
            Assert.That(environment, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void InThisProcess_NotActive_AndReadThrowsAClearError()
    {
        // The test host is never started with the profiler (unless someone really did that on purpose).
        if (Environment.GetEnvironmentVariable(AllocationCounter.ProfilerVariable) is not null)
            Assert.Ignore("this test host was started with CORECLR_PROFILER set");
        Assert.That(AllocationCounter.IsActive, Is.False);
        Assert.That(AllocationCounter.InactiveReason, Does.Contain("CORECLR_ENABLE_PROFILING"));
        var e = Assert.Throws<InvalidOperationException>(() => AllocationCounter.Read());
        Assert.That(e!.Message, Does.Contain("not active").And.Contain("CORECLR_ENABLE_PROFILING"));
    }
}

/// <summary>
/// The native allocation-counting profiler (Benchmem.Profiler) end to end: build it with build.sh, start a child
/// .NET process (Benchmem.Profiler/TestChild) with and without <see cref="AllocationCounter.EnvironmentFor"/>'s
/// variables, and check what <see cref="AllocationCounter"/> reports there. The profiler cannot be attached to
/// this (test host) process: the runtime only loads it at start-up.
/// </summary>
[NonParallelizable]
public partial class AllocationCounterProfilerTests
{
    private const int ProfiledRuns = 5;
    private const int PlainRuns = 3;
    private const int Objects = 10_000;       // new object() in the child's window: 24 bytes each on 64-bit
    private const int ObjectSize = 24;
    private const int ArrayBytes = 1024;      // plus one byte[1000]: 16 header + 8 length + 1000, padded to 8

    /// <summary>
    /// What the runtime itself allocates inside the child's window besides the listed objects: measured 0 objects
    /// / 0 bytes, cold (first call) and warm, identical in every run. (With the loop written in the child's
    /// top-level Main instead of its own method it was +4 objects / +128 bytes, from the JIT's on-stack-replacement
    /// compile of Main in the middle of the loop; see TestChild/Program.cs.)
    /// </summary>
    private const int ExtraObjects = 0;
    private const int ExtraBytes = 0;

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(30);

    private string _library = "";
    private readonly List<JsonElement> _profiled = [];
    private readonly List<JsonElement> _plain = [];
    private JsonElement _precise;

    [OneTimeSetUp]
    public void BuildProfilerAndRunChildren()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("The profiler test builds and loads the linux profiler (build.sh); this is not Linux.");
        if (FindOnPath("gcc") is null)
            Assert.Ignore("gcc is missing from PATH: cannot build Benchmem.Profiler/benchmem_profiler.c, so the profiler test is skipped.");

        string root = FindRepositoryRoot();
        string profilerDir = Path.Combine(root, "Benchmem.Profiler");
        var build = Run("bash", [Path.Combine(profilerDir, "build.sh")], null, BuildTimeout, toLogFile: true);
        Assert.That(build.ExitCode, Is.Zero, $"build.sh failed:\n{build.Output}");
        _library = Path.Combine(profilerDir, "bin", "linux-x64", "libbenchmem_profiler.so");
        Assert.That(File.Exists(_library), $"build.sh did not produce {_library}:\n{build.Output}");

        string project = Path.Combine(profilerDir, "TestChild", "TestChild.csproj");
        var dotnetBuild = Run(DotnetHost(), ["build", project, "-c", "Release", "--nologo", "-v", "q", "-nodeReuse:false"],
            null, BuildTimeout, toLogFile: true);
        Assert.That(dotnetBuild.ExitCode, Is.Zero, $"building {project} failed:\n{dotnetBuild.Output}");
        string childDll = Path.Combine(profilerDir, "TestChild", "bin", "Release", "net10.0", "TestChild.dll");
        Assert.That(File.Exists(childDll), $"no {childDll} after the build:\n{dotnetBuild.Output}");

        for (int i = 0; i < PlainRuns; i++)
            _plain.Add(RunChild(childDll, null));
        for (int i = 0; i < ProfiledRuns; i++)
            _profiled.Add(RunChild(childDll, AllocationCounter.EnvironmentFor(_library)));
        // Tiered compilation off, as the memory host runs: a tier-0 loop's on-stack-replacement compile allocates
        // (measured: +288 bytes of peak in the churn workload).
        var precise = new Dictionary<string, string>(AllocationCounter.EnvironmentFor(_library, precisePeak: true)) { ["DOTNET_TieredCompilation"] = "0" };
        _precise = RunChild(childDll, precise, ["precise"], PreciseChildTimeout);
        RunProfileChild(childDll);
    }

    private static readonly TimeSpan PreciseChildTimeout = TimeSpan.FromMinutes(3);

    private const long MiB = 1 << 20;
    private const long ArrayHeader = 24; // method table, length, padding of a byte[] on 64-bit

    /// <summary>
    /// Runtime objects that live or die during a pass move the reading a little either way: measured +288 bytes in
    /// some passes of the churn workload and -48 in others (never an allocation of the call), 0 in most.
    /// </summary>
    private const long RuntimeSlack = 1024;

    private long[] PrecisePeaks(string workload) =>
        _precise.GetProperty(workload).GetProperty("peaks").EnumerateArray().Select(p => p.GetInt64()).ToArray();

    [Test]
    public void PrecisePeak_IsActiveAndLabelsEveryWorkloadPrecise()
    {
        Assert.That(_precise.GetProperty("precise").GetBoolean(), Is.True, "the child did not see precise peak active");
        foreach (var workload in new[] { "array100MiB", "drop100Keep50", "churn", "kept1000" })
            Assert.That(_precise.GetProperty(workload).GetProperty("method").GetString(), Is.EqualTo(PeakMethods.Precise), workload);
    }

    [Test]
    public void PrecisePeak_OfA100MiBArray_IsItsSizeToTheByte() =>
        Assert.That(PrecisePeaks("array100MiB"), Is.All.InRange(100 * MiB + ArrayHeader - RuntimeSlack, 100 * MiB + ArrayHeader + RuntimeSlack));

    /// <summary>The 100 MiB array is garbage before the 50 MiB one is allocated: the peak is the larger one alone.</summary>
    [Test]
    public void PrecisePeak_OfDroppingThenKeeping_IsTheLargerArrayNotTheSum() =>
        Assert.That(PrecisePeaks("drop100Keep50"), Is.All.InRange(100 * MiB, 101 * MiB));

    /// <summary>
    /// 200 lists grown to 80,000 bytes: allocated ~52 MB, but at most one list is live, and its peak is when the
    /// 128 KiB buffer is allocated while the 64 KiB one is still being copied: 64 KiB + 128 KiB + two array headers,
    /// plus the List object (32 bytes) — 196,688 bytes. (In process, without GC stress, the same call reads ~6.4 MB.)
    /// </summary>
    [Test]
    public void PrecisePeak_OfChurn_IsOneListsLastTwoBuffers_NotTheGarbage()
    {
        const long truePeak = 65_536 + 131_072 + 2 * ArrayHeader + 32;
        Assert.That(PrecisePeaks("churn"), Is.All.InRange(truePeak - RuntimeSlack, truePeak + RuntimeSlack));
        Assert.That(_precise.GetProperty("churn").GetProperty("allocated").GetInt64(), Is.GreaterThan(50 * 1_000_000));
    }

    /// <summary>1,000 objects kept in an array: 1,000 × 24 bytes + the array (24 + 8,000 bytes).</summary>
    [Test]
    public void PrecisePeak_OfKeptObjects_IsTheirSize() =>
        Assert.That(PrecisePeaks("kept1000"), Is.All.InRange(1000 * 24 + ArrayHeader + 8 * 1000 - RuntimeSlack, 1000 * 24 + ArrayHeader + 8 * 1000 + RuntimeSlack));

    [Test]
    public void CountsEveryObjectAndByteExactly_IdenticalInEveryRun()
    {
        long expectedObjects = Objects + 1 + ExtraObjects;
        long expectedBytes = (long)Objects * ObjectSize + ArrayBytes + ExtraBytes;
        var windows = _profiled
            .SelectMany(run => new[] { ("cold", run.GetProperty("cold")), ("warm", run.GetProperty("warm")) })
            .Select(w => (Name: w.Item1, Objects: w.Item2.GetProperty("objects").GetInt64(),
                Bytes: w.Item2.GetProperty("bytes").GetInt64(), ThreadBytes: w.Item2.GetProperty("threadBytes").GetInt64()))
            .ToList();
        TestContext.Out.WriteLine(string.Join("\n", windows.Select(w => $"{w.Name}: objects {w.Objects}, bytes {w.Bytes}, GC thread bytes {w.ThreadBytes}")));

        Assert.Multiple(() =>
        {
            Assert.That(_profiled.Select(r => r.GetProperty("active").GetBoolean()), Is.All.True, "the child did not see the profiler active");
            Assert.That(windows.Select(w => w.Objects), Is.All.EqualTo(expectedObjects), "objects counted in the window");
            Assert.That(windows.Select(w => w.Bytes), Is.All.EqualTo(expectedBytes), "bytes counted in the window");
            // Cross-check with the runtime's own exact per-thread byte counter (the window is single-threaded).
            Assert.That(windows.Select(w => w.Bytes - w.ThreadBytes), Is.All.Zero, "profiler bytes minus GC.GetAllocatedBytesForCurrentThread");
        });
    }

    [Test]
    public void ChildWithoutTheVariables_NotActive_AndReadThrowsAClearError()
    {
        Assert.That(_plain.Select(r => r.GetProperty("active").GetBoolean()), Is.All.False);
        string error = _plain[0].GetProperty("error").GetString() ?? "";
        Assert.That(error, Does.Contain("not active").And.Contain("CORECLR_ENABLE_PROFILING"), error);
    }

    /// <summary>Printed, not asserted: how much the profiler slows one small allocation.</summary>
    [Test]
    public void ReportsTheSlowdownOfSmallAllocations()
    {
        double plain = _plain.Min(r => r.GetProperty("nsPerAllocation").GetDouble());
        double profiled = _profiled.Min(r => r.GetProperty("nsPerAllocation").GetDouble());
        string line = string.Create(CultureInfo.InvariantCulture,
            $"small allocation: {plain:0.0} ns without the profiler, {profiled:0.0} ns with it (best of {PlainRuns} and {ProfiledRuns} runs): {profiled / plain:0.0}x slower");
        TestContext.Out.WriteLine(line);
        TestContext.Progress.WriteLine(line);
        Assert.That(plain, Is.Positive);
        Assert.That(profiled, Is.Positive);
    }

    private static JsonElement RunChild(string childDll, IReadOnlyDictionary<string, string>? profilerEnvironment,
        string[]? arguments = null, TimeSpan? timeout = null)
    {
        var result = Run(DotnetHost(), [childDll, .. arguments ?? []], profilerEnvironment, timeout ?? ChildTimeout, toLogFile: false);
        Assert.That(result.ExitCode, Is.Zero, $"child failed:\n{result.Output}");
        string? json = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith('{'));
        Assert.That(json, Is.Not.Null, $"the child printed no JSON line:\n{result.Output}");
        return JsonDocument.Parse(json!).RootElement.Clone();
    }

    private sealed record Result(int ExitCode, string Stdout, string Output);

    /// <summary>
    /// Runs a command with this process's environment minus the test platform's and MSBuild's variables (they would
    /// steer a nested dotnet) and minus any profiler variables, plus <paramref name="extra"/>. With
    /// <paramref name="toLogFile"/> its output goes to a file rather than a pipe, so that build servers it leaves
    /// running cannot keep the pipe open.
    /// </summary>
    private static Result Run(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? extra,
        TimeSpan timeout, bool toLogFile)
    {
        string? log = toLogFile ? Path.Combine(Path.GetTempPath(), $"benchmem-profiler-test-{Guid.NewGuid():N}.log") : null;
        var info = new ProcessStartInfo
        {
            FileName = log is null ? fileName : "bash",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (log is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec \"$@\" >\"$BENCHMEM_TEST_LOG\" 2>&1");
            info.ArgumentList.Add("bash");
            info.ArgumentList.Add(fileName);
            info.Environment["BENCHMEM_TEST_LOG"] = log;
        }
        foreach (string a in arguments)
            info.ArgumentList.Add(a);
        foreach (string key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("VSTEST_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("CORECLR_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("COR_", StringComparison.OrdinalIgnoreCase))
                info.Environment.Remove(key);
        }
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
                Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s and was killed.\n{stdout}{stderr}{ReadLog(log)}");
            }
            process.WaitForExit(); // drains the redirected streams (nothing else holds them: logs go to a file)
            string output;
            lock (stdout) lock (stderr) output = $"{stdout}{stderr}{ReadLog(log)}";
            return new Result(process.ExitCode, stdout.ToString(), output);
        }
        finally
        {
            if (log is not null)
                File.Delete(log);
        }
    }

    private static string ReadLog(string? log) => log is not null && File.Exists(log) ? File.ReadAllText(log) : "";

    private static string DotnetHost()
    {
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
            return host;
        return "dotnet";
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Benchmem.Profiler", "build.sh")))
                return dir.FullName;
        }
        Assert.Fail($"no Benchmem.Profiler/build.sh above {TestContext.CurrentContext.TestDirectory}");
        return "";
    }
}
