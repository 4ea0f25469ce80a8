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
            Assert.That(environment["BENCHMEM_PROFILER_LIVE_PEAK"], Is.EqualTo("1"));
            // The memory host's GC is fixed, whatever the parent's environment says.
            Assert.That(environment["DOTNET_gcServer"], Is.EqualTo("0"));
            Assert.That(environment["DOTNET_gcConcurrent"], Is.EqualTo("0"));
            Assert.That(environment, Has.Count.EqualTo(6));
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
        _live = RunChild(childDll, HostEnvironment(), ["precise"], LiveChildTimeout);
        // The same workloads where the machine or the user chose another GC: the host's GC is fixed, and partial GCs
        // never move a live peak, so nothing may move.
        foreach (var (name, settings) in OtherGcs)
            _otherGcs[name] = RunChild(childDll, HostEnvironment(settings), ["precise"], LiveChildTimeout);
        RunProfileChild(childDll);
    }

    private static readonly TimeSpan LiveChildTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The GC settings a user's machine, container or CI runner may have (the issue's list).</summary>
    private static readonly (string Name, (string, string)[] Settings)[] OtherGcs =
    [
        ("small gen0 budget + server GC", [("DOTNET_GCgen0size", "0x10000"), ("DOTNET_gcServer", "1")]),
        ("container limit + concurrent GC", [("DOTNET_GCHeapHardLimit", "0x40000000"), ("DOTNET_gcConcurrent", "1")]),
    ];

    private readonly Dictionary<string, JsonElement> _otherGcs = [];

    /// <summary>What the memory host starts its child with: the user's environment, then the profiler's variables over it.</summary>
    private Dictionary<string, string> HostEnvironment(params (string Name, string Value)[] user)
    {
        var environment = user.ToDictionary(u => u.Name, u => u.Value);
        foreach (var (k, v) in AllocationCounter.EnvironmentFor(_library))
            environment[k] = v;
        environment["DOTNET_TieredCompilation"] = "0";
        // The native-memory interposer too, as the host loads it: the managed truths must hold with it (issue 19).
        foreach (var (k, v) in NativeCounter.EnvironmentFor(NativeLibraryPath, null))
            environment[k] = v;
        return environment;
    }

    private const long MiB = 1 << 20;
    private const long ArrayHeader = 24; // method table, length, padding of a byte[] on 64-bit

    /// <summary>
    /// Runtime objects that live or die during a pass move the reading a little either way: measured −72 to +88 bytes
    /// (the first pass of the first workload, and a runtime object dying between a window's zero and its end), 0 in most.
    /// </summary>
    private const long RuntimeSlack = 1024;

    private JsonElement _live;

    /// <summary>
    /// Each workload's true live high-water in bytes, from object sizes on 64-bit (a byte[n] is n + 24 rounded up to 8,
    /// an object 24, a string of length L 22 + 2L rounded up to 8, a List&lt;T&gt; object 32); the multi-threaded ones
    /// hold their result plus a task's or closure's few objects, so their truth is a range of at most 1 KiB above.
    /// </summary>
    private static readonly (string Name, long Truth, long Above)[] Truths =
    [
        ("array100MiB", 100 * MiB + ArrayHeader, 0),
        ("drop100Keep50", 100 * MiB + ArrayHeader, 0),          // the 100 MiB array is garbage before the 50 MiB one
        ("drop64Keep10x1", 64 * MiB + ArrayHeader, 0),          // a peak in the middle: 64 MiB alone, then 10 × 1 MiB
        ("churn", 65_536 + 131_072 + 2 * ArrayHeader + 32, 0),  // one list's last two buffers while copying, and the list
        ("kept1000", 1000 * 24 + ArrayHeader + 8 * 1000, 0),
        ("strings1000", 2 * 2024, 0),                            // the last two strings: lengths 999 and 1,000
        ("objects1M", 24, 0),                                   // a million short-lived objects, one live at a time
        ("listGrowth100k", 4 * 65_536 + 4 * 131_072 + 2 * ArrayHeader + 32, 0), // List<int>: growing from 64 Ki to 128 Ki ints
        ("loh1MiB", MiB + ArrayHeader, 0),
        ("pinned64KiB", 65_536 + ArrayHeader, 0),
        ("collectInside", 10 * MiB + ArrayHeader, 0),           // 10 MiB dropped, GC.Collect() inside the call, 1 MiB kept
        ("leak4224", 4224, 0),
        // Pool threads: the thread pool may start a worker during the call, and what that thread allocates for itself
        // (measured: 4-8 KB, up to 8,224 B, first pass only) counts as the call's other-thread allocation.
        ("taskRun40000", 40_000 + ArrayHeader, 16384),          // made on a pool thread
        ("parallelFor", 4 * (100_000 + ArrayHeader), 4096),      // four arrays from Parallel.For, and its closures
        ("asyncYield", 13_000 + ArrayHeader, 16384),            // allocated by an async continuation after Task.Yield
        ("nothing", 0, 0),
    ];

    private static IEnumerable<JsonElement> Passes(JsonElement run, string workload) =>
        run.GetProperty(workload).GetProperty("passes").EnumerateArray();

    private static string Describe(JsonElement run, string workload) => string.Join("; ", Passes(run, workload).Select(p =>
        $"peak {p.GetProperty("peak").GetInt64():N0} bound {p.GetProperty("bound").GetInt64():N0} {p.GetProperty("method").GetString()}"));

    [Test]
    public void LivePeak_IsActiveInTheHostEnvironment() =>
        Assert.That(_live.GetProperty("live").GetBoolean(), Is.True, "the child did not see the live peak active");

    /// <summary>The default mode: within max(4 KiB, 1%) of the truth on every workload class, never above it, and the
    /// stated bound holds on every pass (the truth lies in [peak, peak + bound]).</summary>
    [TestCaseSource(nameof(WorkloadNames))]
    public void LivePeak_IsTheTrueHighWater_WithinItsBound(string workload)
    {
        var (_, truth, above) = Truths.Single(t => t.Name == workload);
        foreach (var pass in Passes(_live, workload))
        {
            long peak = pass.GetProperty("peak").GetInt64(), bound = pass.GetProperty("bound").GetInt64();
            long promise = Math.Max(4096, (truth + above) / 100);
            Assert.Multiple(() =>
            {
                Assert.That(pass.GetProperty("method").GetString(), Is.AnyOf(PeakMethods.Live, PeakMethods.Precise), Describe(_live, workload));
                Assert.That(peak, Is.InRange(truth - promise - RuntimeSlack, truth + above + RuntimeSlack), Describe(_live, workload));
                Assert.That(truth, Is.LessThanOrEqualTo(peak + bound + RuntimeSlack), "the bound must hold: " + Describe(_live, workload));
            });
        }
    }

    /// <summary>PrecisePeak: a GC at every allocation that could raise the peak, so the value is the truth to the byte
    /// (runtime objects aside). The million-object churn is left out (a million GCs).</summary>
    [TestCaseSource(nameof(WorkloadNames))]
    public void PrecisePeak_IsTheTrueHighWater_ToTheByte(string workload)
    {
        if (workload == "objects1M")
            Assert.Ignore("not run precisely: a GC at each of a million allocations");
        var (_, truth, above) = Truths.Single(t => t.Name == workload);
        Assert.That(Passes(_live, workload + ".precise").Select(p => p.GetProperty("peak").GetInt64()),
            Is.All.InRange(truth - RuntimeSlack, truth + above + RuntimeSlack), Describe(_live, workload + ".precise"));
    }

    /// <summary>The same code under another machine's or user's GC settings: the same peaks, within max(1 KiB, 0.5%).</summary>
    [Test]
    public void LivePeak_DoesNotMoveWithTheGcSettings()
    {
        Assert.Multiple(() =>
        {
            foreach (var (config, run) in _otherGcs)
                foreach (var (workload, truth, above) in Truths)
                {
                    long Headline(JsonElement r) => Passes(r, workload).Min(p => p.GetProperty("peak").GetInt64());
                    long here = Headline(_live), there = Headline(run);
                    Assert.That(Math.Abs(here - there), Is.LessThanOrEqualTo(Math.Max(1024, Math.Max(here, there) / 200)),
                        $"{workload} under {config}: {there:N0} vs {here:N0} by default");
                }
        });
    }

    /// <summary>retained exact to ±512 bytes: a real leak of 4,224 bytes per pass reads 4,224, a call that keeps nothing 0.</summary>
    [Test]
    public void Retained_IsTheLeakToTheByte_AndZeroWithoutOne()
    {
        Assert.Multiple(() =>
        {
            foreach (var mode in new[] { "", ".precise" })
            {
                Assert.That(Passes(_live, "leak4224" + mode).Select(p => p.GetProperty("retained").GetInt64()), Is.All.InRange(4224 - 512, 4224 + 512));
                foreach (var workload in new[] { "kept1000", "strings1000", "churn", "array100MiB", "nothing" })
                    Assert.That(Passes(_live, workload + mode).Select(p => p.GetProperty("retained").GetInt64()), Is.All.InRange(0, 512), workload + mode);
            }
        });
    }

    /// <summary>Allocations and bytes counted exactly in the same pass as the live peak (no forced GC adds or loses one).</summary>
    [Test]
    public void Allocations_AreExactInTheSamePassAsThePeak()
    {
        var expected = new (string Workload, long Objects, long Bytes)[]
        {
            ("kept1000", 1001, 32_024),
            ("objects1M", 1_000_000, 24_000_000),
            ("listGrowth100k", 17, 1_048_976),   // the list and its 16 buffers: 4 + 8 + … + 131,072 ints
            ("leak4224", 1, 4224),
            ("nothing", 0, 0),
        };
        Assert.Multiple(() =>
        {
            foreach (var (workload, objects, bytes) in expected)
                foreach (var mode in workload == "objects1M" ? new[] { "" } : ["", ".precise"])
                    foreach (var pass in Passes(_live, workload + mode))
                    {
                        Assert.That(pass.GetProperty("allocations").GetInt64(), Is.EqualTo(objects), workload + mode + ": " + pass);
                        Assert.That(pass.GetProperty("allocated").GetInt64(), Is.EqualTo(bytes), workload + mode + ": " + pass);
                        Assert.That(pass.GetProperty("multi").GetBoolean(), Is.False, workload + mode + ": " + pass);
                    }
        });
    }

    /// <summary>Other threads count whatever their size: Task.Run's 40,000 bytes, an async continuation's 13,000.</summary>
    [Test]
    public void OtherThreads_CountWhateverTheirSize_AndFlagThePass()
    {
        Assert.Multiple(() =>
        {
            foreach (var (workload, bytes) in new[] { ("taskRun40000", 40_024L), ("asyncYield", 13_024L) })
                foreach (var pass in Passes(_live, workload))
                {
                    Assert.That(pass.GetProperty("multi").GetBoolean(), Is.True, workload);
                    Assert.That(pass.GetProperty("allocated").GetInt64(), Is.InRange(bytes, bytes + 16384), workload + " (a worker the pool starts meanwhile allocates 4-8 KB for itself; measured up to 8,224 B)");
                }
            Assert.That(Passes(_live, "kept1000").Select(p => p.GetProperty("multi").GetBoolean()), Is.All.False);
        });
    }

    private static IEnumerable<string> WorkloadNames() => Truths.Select(t => t.Name);

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
