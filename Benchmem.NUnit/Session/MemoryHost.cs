using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Benchmem.Core.Memory;
using Benchmem.Core.Processes;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.NUnit.Commands.Stages;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Session;

/// <summary>
/// The memory host: before any timed test, the test host starts one child process per run that runs the selected
/// benchmark tests' memory passes through NUnit's own runner with the native allocation profiler loaded — exact
/// object counts, and the timing process never pays for the profiler (it makes small allocations ~10× slower).
/// The child writes one line per benchmark; the timed tests then use those numbers under the same ids and skip
/// their own memory passes. Where the profiler or the child cannot run, the run says so once and measures in process.
/// </summary>
internal sealed class MemoryHost(Action<string> report)
{
    private readonly Dictionary<string, MemoryResult> _results = new(StringComparer.Ordinal);

    /// <summary>The memory passes the host took for this benchmark; null when it did not (the test measures in process).</summary>
    public MemoryResult? ResultFor(string fullName)
    {
        lock (_results)
            return _results.GetValueOrDefault(fullName);
    }

    private readonly Dictionary<string, MemoryTests.MemoryTestOutcome> _outcomes = new(StringComparer.Ordinal);

    /// <summary>How a memory test ([MemoryTest], [AssertTraffic]) ended in the host; null when the host did not run it.</summary>
    public MemoryTests.MemoryTestOutcome? OutcomeFor(string fullName)
    {
        lock (_outcomes)
            return _outcomes.GetValueOrDefault(fullName);
    }

    private readonly Dictionary<string, MemoryTests.PassTraffic> _traffic = new(StringComparer.Ordinal);

    /// <summary>A benchmark's allocations by type in each memory pass the host took; null when it took none (in process).</summary>
    public MemoryTests.PassTraffic? TrafficFor(string fullName)
    {
        lock (_traffic)
            return _traffic.GetValueOrDefault(fullName);
    }

    /// <summary>Whether a benchmark takes memory passes at all (the host runs only those).</summary>
    private static bool WantsMemory(MethodInfo method, BenchmemSettings settings) =>
        method.GetCustomAttribute<BenchmarkAttribute>(false) is { } benchmark
        && (PlanStage.MemoryOn(settings) || !benchmark.Timing || method.IsDefined(typeof(BenchMemAttribute), false)
            || MemoryTests.BenchmarkTrafficJudge.WantsMemory(method));

    /// <summary>Runs the children for the active benchmark tests that want the host, and collects their results.</summary>
    public void Start(Assembly assembly, IEnumerable<ITest> activeTests, BenchmemSettings settings, ProfileStore profiles)
    {
        if (settings.Disable)
            return;
        var wanted = activeTests.OfType<TestMethod>()
            .Where(t => t.RunState == RunState.Runnable && WantsMemory(t.Method.MethodInfo, settings))
            .DistinctBy(t => t.FullName).ToList();
        // Memory tests run whole in the host (their Heap checks exact there); their outcome is reported by the test here.
        var memoryTests = activeTests.OfType<TestMethod>()
            .Where(t => t.RunState == RunState.Runnable && MemoryTests.MemoryTestCommand.WantsHost(t.Method.MethodInfo))
            .Select(t => t.FullName).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0 && memoryTests.Count == 0)
            return;
        bool Precise(TestMethod t) => settings.PrecisePeak || t.Method.MethodInfo.GetCustomAttribute<BenchMemAttribute>()?.PrecisePeak == true;
        List<string> names = [.. wanted.Select(t => t.FullName)];
        int precise = wanted.Count(Precise);
        int profiled = wanted.Count(t => ProfileStore.Wants(settings, t.Method.MethodInfo.GetCustomAttribute<BenchMemAttribute>()));
        if (settings.Host == "inprocess")
        {
            if (profiled > 0)
                report($"Benchmem: Benchmem.Host=inprocess: the {profiled} allocation profile(s) asked for are sampled from the runtime's allocation events, not exact.");
            if (precise > 0)
                report($"Benchmem: precise peak needs the memory host, but Benchmem.Host=inprocess: {precise} benchmark(s) asking for it "
                    + "are measured in process, their peaks heap high-water upper bounds.");
            if (memoryTests.Count > 0)
                report($"Benchmem: Benchmem.Host=inprocess: {memoryTests.Count} memory test(s) run in process: live-object queries from the runtime's heap dump, "
                    + "traffic queries fail (they need the memory host's profiler).");
            return;
        }
        var profiler = ProfilerPath();
        var hostDll = Path.Combine(Path.GetDirectoryName(assembly.Location)!, "Benchmem.NUnit.MemoryHost.dll");
        string? missing = profiler is null ? $"no allocation profiler is shipped for {RuntimeInformation.RuntimeIdentifier}"
            : !File.Exists(hostDll) ? $"{hostDll} is missing" : null;
        if (missing is not null)
        {
            report($"Benchmem: the memory host cannot run ({missing}); measuring memory in process instead, without exact allocation counts"
                + " and without the live peak (peaks are heap high-water upper bounds)"
                + (profiled > 0 ? $"; the {profiled} allocation profile(s) asked for are sampled from the runtime's allocation events, not exact." : "."));
            report(NativeNotMeasured("the memory host cannot run here"));
            return;
        }
        var interposer = Path.Combine(Path.GetDirectoryName(profiler!)!, NativeCounter.LibraryFileName);
        if (!OperatingSystem.IsLinux() || !File.Exists(interposer))
        {
            report(NativeNotMeasured($"no native-memory interposer is shipped for {RuntimeInformation.RuntimeIdentifier}"));
            interposer = null;
        }
        // Profiles are taken in the same children, after each benchmark's memory passes, into a staging folder.
        string? staging = profiled > 0 ? profiles.Stage() : null;
        var isolated = wanted.Where(t => t.Method.MethodInfo.GetCustomAttribute<BenchMemAttribute>()?.Isolate == true).ToList();
        List<string> shared = [.. names.Except(isolated.Select(t => t.FullName))];
        if (shared.Count > 0 || memoryTests.Count > 0)
            Collect(RunChild(assembly, hostDll, profiler!, interposer, shared, memoryTests, settings, staging, isolatedPass: false), shared, profiler!, interposer);
        if (isolated.Count > 0)
            RunIsolated(assembly, hostDll, profiler!, interposer, isolated, settings, staging);
    }

    /// <summary>
    /// [BenchMem(Isolate = true)]: one child per benchmark and pass, each taking a single pass without warm-up, so every
    /// pass is the first call of a fresh process; the passes then make one result, as if one process had taken them.
    /// </summary>
    private void RunIsolated(Assembly assembly, string hostDll, string profiler, string? interposer, List<TestMethod> tests,
        BenchmemSettings settings, string? staging)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int processes = 0, complete = 0;
        var missed = new List<string>();
        foreach (var test in tests)
        {
            var attribute = test.Method.MethodInfo.GetCustomAttribute<BenchMemAttribute>()!;
            int passes = (attribute.RepeatsGiven ?? settings.Repeats ?? 0) is > 0 and var n ? n : MemoryOptions.IsolatedDefaultPasses;
            var taken = new List<MemoryResult>();
            for (int pass = 0; pass < passes; pass++)
            {
                // The profile (a pass of its own, after the measured one) once, beside the first cold pass.
                var run = RunChild(assembly, hostDll, profiler, interposer, [test.FullName], [], settings, pass == 0 ? staging : null, isolatedPass: true);
                processes++;
                if (run.Measured.FirstOrDefault(m => m.FullName == test.FullName).Memory is not { } memory)
                {
                    // Its own line from the child (it threw, an attribute is wrong), else the child's whole output.
                    var lines = run.Log.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
                    missed.Add($"{test.FullName} ({lines.FirstOrDefault(l => l.Contains(test.FullName + ": ", StringComparison.Ordinal)) ?? string.Join(" | ", lines.TakeLast(5))})");
                    break;
                }
                taken.Add(memory);
            }
            if (taken.Count < passes)
                continue;
            complete++;
            lock (_results)
                _results[test.FullName] = taken[0] with
                {
                    Passes = [.. taken.SelectMany(m => m.Passes)],
                    Options = taken[0].Options with { Repeats = passes, Warmup = 0, Isolated = true },
                };
        }
        report($"Benchmem: memory host measured {complete} of {tests.Count} isolated benchmark(s) cold, a fresh process for every pass"
            + $" ({processes} processes in {clock.Elapsed.TotalSeconds:F1} s)"
            + (missed.Count > 0 ? $"; not measured there, so they fail: {string.Join("; ", missed)}" : "."));
    }

    /// <summary>What one child measured, and its output for when it did not.</summary>
    private sealed record ChildRun(IReadOnlyList<(string FullName, MemoryResult Memory)> Measured, string Log, TimeSpan Elapsed);

    /// <summary>The one line that says native metrics are absent from this run, and why.</summary>
    private static string NativeNotMeasured(string why) =>
        $"Benchmem: native memory is not measured in this run ({why}): native-peak, native-allocated, native-allocations and native-retained are left out.";

    private ChildRun RunChild(Assembly assembly, string hostDll, string profiler, string? interposer, List<string> names, List<string> memoryTests,
        BenchmemSettings settings, string? profileOutput, bool isolatedPass)
    {
        var work = Path.Combine(Path.GetTempPath(), $"benchmem-host-{System.Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var list = Path.Combine(work, "tests.txt");
            var output = Path.Combine(work, "results.jsonl");
            File.WriteAllLines(list, names.Concat(memoryTests));
            var tests = assembly.Location;
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (k, v) in AllocationCounter.EnvironmentFor(profiler, stacks: profileOutput is not null))
                environment[k] = v;
            if (profileOutput is not null)
                environment[SettingsResolver.ProfileOutputVariable] = profileOutput;
            foreach (var (k, v) in ChildSettings(settings))
                environment[k] = v;
            environment[MemoryHostChild.RoleVariable] = MemoryHostChild.Role;
            environment[MemoryHostChild.OutputVariable] = output;
            if (isolatedPass)
                environment[SettingsResolver.IsolatedPassVariable] = "1";
            // Fully optimized code from the first call: no background re-JIT or on-stack replacement allocating
            // (on any thread, which the profiler counts) in the middle of a pass.
            environment["DOTNET_TieredCompilation"] = "0";
            // The native-memory interposer goes into this child only: never into a process that times.
            if (interposer is not null)
                foreach (var (k, v) in NativeCounter.EnvironmentFor(interposer, System.Environment.GetEnvironmentVariable(NativeCounter.PreloadVariable)))
                    environment[k] = v;

            var log = new StringBuilder();
            var ran = RunHostChild(assembly, hostDll, list, environment, log);
            if (ran.TimedOut)
                report($"Benchmem: the memory host did not finish in time and was stopped; what it measured is kept, the rest is measured in process.");
            foreach (var traffic in MemoryTests.PassTraffic.ReadAll(MemoryTests.PassTraffic.PathBeside(output)))
                lock (_traffic)
                    _traffic[traffic.FullName] = traffic;
            int ranTests = 0;
            foreach (var outcome in MemoryTests.MemoryTestOutcome.ReadAll(MemoryTests.MemoryTestOutcome.PathBeside(output)))
            {
                lock (_outcomes)
                    _outcomes[outcome.FullName] = outcome;
                ranTests++;
            }
            if (memoryTests.Count > 0)
                report($"Benchmem: memory host ran {ranTests} of {memoryTests.Count} memory test(s) with exact heap and traffic counts"
                    + (ranTests < memoryTests.Count ? $"; the others run in process (live-object queries only). Its output:{System.Environment.NewLine}{log}" : "."));
            var measured = File.Exists(output)
                ? Journal.Read(output, out _).Where(r => r.Memory is not null).Select(r => (r.FullName, r.Memory!)).ToList()
                : [];
            return new ChildRun(measured, log.ToString(), ran.Elapsed);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Runs the named tests (a file of FullNames) of the test assembly in a child through Benchmem.NUnit.MemoryHost (NUnit's
    /// own runner), with <paramref name="environment"/> over the test host's own variables, its lines into <paramref name="log"/>.
    /// </summary>
    internal static ChildProcessResult RunHostChild(Assembly assembly, string hostDll, string list, IReadOnlyDictionary<string, string?> environment,
        StringBuilder log)
    {
        var tests = assembly.Location;
        return ChildProcess.Run(new ChildProcessStart
        {
            FileName = DotnetHost(),
            Arguments = ["exec", "--runtimeconfig", Path.ChangeExtension(tests, ".runtimeconfig.json"),
                "--depsfile", Path.ChangeExtension(tests, ".deps.json"), hostDll, tests, list],
            WorkingDirectory = Path.GetDirectoryName(tests)!,
            // The test host's own variables, a profiler it runs under, and Benchmem settings the child gets from
            // ChildSettings only.
            RemoveInherited = k => k.StartsWith("VSTEST_", StringComparison.Ordinal) || k.StartsWith("TESTINGPLATFORM_", StringComparison.Ordinal)
                || k.StartsWith("CORECLR_", StringComparison.Ordinal) || k.StartsWith(SettingsResolver.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase),
            Environment = new Dictionary<string, string?>(environment, StringComparer.Ordinal),
            Timeout = TimeSpan.FromMinutes(10),
            OnLine = line => { lock (log) log.AppendLine(line); },
        });
    }

    /// <summary>Keeps what the child measured and says, in one line, how it went.</summary>
    private void Collect(ChildRun run, List<string> names, string profiler, string? interposer)
    {
        if (names.Count == 0)
            return; // memory tests only: RunChild told how they went
        int count = 0, notLive = 0, unprofiled = 0, noNative = 0;
        var measured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (fullName, memory) in run.Measured)
        {
            lock (_results)
                _results[fullName] = memory;
            count++;
            measured.Add(fullName);
            if (memory.Passes.Any(p => p.NativePeakBytes is null))
                noNative++;
            if (memory.AllocationsMethod is null)
                unprofiled++;
            else if (memory.PeakMethod == PeakMethods.HeapHighWater)
                notLive++;
        }
        // A benchmark whose test failed in the child (a bad attribute, an assertion) fails the same way here, with its
        // own message: the child's account of it would only say it twice. Anything else missing is unexplained: show all.
        var text = run.Log;
        if (interposer is not null && noNative > 0)
            report(NativeNotMeasured($"the memory host could not preload {interposer}: {WhyNotPreloaded(interposer)}"));
        // The child ran, but its runtime did not load the profiler (another architecture's library, a missing
        // dependency): its passes ran without it, so the line says that instead of claiming exact counts.
        if (unprofiled > 0)
        {
            report($"Benchmem: the memory host could not load the allocation profiler for {RuntimeInformation.RuntimeIdentifier} ({WhyNotLoaded(profiler)});"
                + " measuring memory without it, without exact allocation counts and without the live peak (peaks are heap high-water upper bounds).");
            return;
        }
        var failedThere = names.Where(n => !measured.Contains(n) && text.Contains(n + ": ", StringComparison.Ordinal)).ToList();
        int unexplained = names.Count - count - failedThere.Count;
        report($"Benchmem: memory host measured {count} of {names.Count} benchmark(s) with exact allocation counts and live peaks"
            + $" in {run.Elapsed.TotalSeconds:F1} s"
            + (failedThere.Count > 0 ? $"; {failedThere.Count} failed there and are measured in process instead ({string.Join(", ", failedThere)})" : "")
            + (unexplained > 0 ? $"; {unexplained} other(s) fall back to in process. Its output:{System.Environment.NewLine}{text}" : "."));
        if (notLive > 0)
            report($"Benchmem: the profiler could not follow the live heap for {notLive} benchmark(s) (the runtime refused its GC callbacks); "
                + "their peaks are upper bounds, labelled heap-high-water.");
    }

    /// <summary>Why the child's runtime did not load the profiler, as far as this process (the same platform) can tell.</summary>
    private static string WhyNotLoaded(string profiler)
    {
        if (!NativeLibrary.TryLoad(profiler, out var library))
            return $"{profiler} is not a library this process can load";
        NativeLibrary.Free(library);
        return $"the runtime did not start {profiler} as its profiler";
    }

    /// <summary>Why the child's loader did not preload the interposer, as far as this process (the same platform) can tell.</summary>
    private static string WhyNotPreloaded(string interposer)
    {
        if (!NativeLibrary.TryLoad(interposer, out var library))
            return "it is not a library this process can load";
        NativeLibrary.Free(library);
        return "the child's loader did not put it in front of malloc";
    }

    /// <summary>The child resolves the parent's settings from the environment (it has no runsettings).</summary>
    internal static IEnumerable<(string, string)> ChildSettings(BenchmemSettings s)
    {
        string P(string name) => SettingsResolver.EnvironmentPrefix + name.ToUpperInvariant();
        yield return (P("Enabled"), s.Enabled ? "true" : "false");
        if (s.Repeats is { } r) yield return (P("Repeats"), r.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (s.Warmup is { } w) yield return (P("Warmup"), w.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (s.MemoryMaxTime is { } m) yield return (P("MemoryMaxTime"), m.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (s.TimingMaxTime is { } tm) yield return (P("TimingMaxTime"), tm.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (s.MinRounds is { } mr) yield return (P("MinRounds"), mr.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return (P("Rss"), s.Rss ? "true" : "false");
        yield return (P("Timing"), s.Timing ? "true" : "false");
        yield return (P("PrecisePeak"), s.PrecisePeak ? "true" : "false");
        if (s.Timeout is { } t) yield return (P("Timeout"), t.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (s.Profile is { } profile) yield return (P("Profile"), profile);
        if (s.Snapshot is { } snapshot) yield return (P("Snapshot"), snapshot);
    }

    /// <summary>The profiler the package ships for this platform, next to the tests (runtimes/RID/native).</summary>
    private static string? ProfilerPath()
    {
        var name = OperatingSystem.IsWindows() ? "benchmem_profiler.dll" : OperatingSystem.IsMacOS() ? "libbenchmem_profiler.dylib" : "libbenchmem_profiler.so";
        var rid = (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
            + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", name);
        return File.Exists(path) ? path : null;
    }

    internal static string DotnetHost() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : System.Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
