using System.Reflection;
using System.Text;
using Benchmem.Core.Results;
using Benchmem.Core.Settings;
using Benchmem.Core.Timing;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Session;

/// <summary>
/// Benchmem.Launches=N (BenchmarkDotNet's LaunchCount): before any test, N-1 fresh processes each time every timed
/// [Benchmark] test of the run (<see cref="LaunchChild"/>), one after another; each benchmark's rounds here are then
/// pooled with theirs (<see cref="Merge"/>). Why: which code the JIT ends up giving a benchmark differs between
/// processes (measured: a dictionary lookup's fastest round 24 ns in three processes of four, 29–41 ns in the others),
/// and no number from one process can tell which kind it was.
/// </summary>
internal sealed class TimingLaunches(Action<string> report)
{
    private readonly Dictionary<string, List<TimingResult>> _launched = new(StringComparer.Ordinal);

    /// <summary>Runs the extra launches for the active timed benchmark tests, when Launches asks for more than one.</summary>
    public void Start(Assembly assembly, IEnumerable<ITest> activeTests, BenchmemSettings settings)
    {
        if (settings.Disable || settings.Launches <= 1 || !settings.Timing)
            return;
        var names = activeTests.OfType<TestMethod>()
            .Where(t => t.RunState == RunState.Runnable && t.Method.MethodInfo.GetCustomAttribute<BenchmarkAttribute>(false) is { Timing: true })
            .Select(t => t.FullName).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            return;
        var hostDll = Path.Combine(Path.GetDirectoryName(assembly.Location)!, "Benchmem.NUnit.MemoryHost.dll");
        if (!File.Exists(hostDll))
        {
            report($"Benchmem: Benchmem.Launches={settings.Launches}: {hostDll} is missing, so every benchmark is timed in this process only.");
            return;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failures = new List<string>();
        for (int launch = 1; launch < settings.Launches; launch++)
        {
            var work = Path.Combine(Path.GetTempPath(), $"benchmem-launch-{System.Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            try
            {
                var list = Path.Combine(work, "tests.txt");
                var output = Path.Combine(work, "timings.jsonl");
                File.WriteAllLines(list, names);
                var environment = MemoryHost.ChildSettings(settings).ToDictionary(p => p.Item1, p => (string?)p.Item2, StringComparer.Ordinal);
                environment[SettingsResolver.RoleVariable] = LaunchChild.Role;
                environment[SettingsResolver.MemoryHostOutputVariable] = output;
                var log = new StringBuilder();
                var ran = MemoryHost.RunHostChild(assembly, hostDll, list, environment, log);
                var timed = File.Exists(output) ? Journal.Read(output, out _).Where(r => r.Timing is not null).ToList() : [];
                foreach (var record in timed)
                {
                    if (!_launched.TryGetValue(record.FullName, out var timings))
                        _launched[record.FullName] = timings = [];
                    timings.Add(record.Timing!);
                }
                if (ran.TimedOut || timed.Count < names.Count)
                    failures.Add($"launch {launch + 1} timed {timed.Count} of {names.Count}"
                        + (log.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(3).ToList() is { Count: > 0 } tail
                            ? $" ({string.Join(" | ", tail)})" : ""));
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            }
        }
        report($"Benchmem: Benchmem.Launches={settings.Launches}: {settings.Launches - 1} more process(es) timed the {names.Count} benchmark(s) "
            + $"in {clock.Elapsed.TotalSeconds:F1} s; each benchmark's rounds are pooled over its launches (Benchmem.Timing.LaunchRounds)"
            + (failures.Count > 0 ? $"; {string.Join("; ", failures)}, so those benchmarks pool fewer." : "."));
    }

    /// <summary>The rounds timed here pooled with the extra launches' (theirs first, in launch order): every round, the
    /// calibration samples at their pooled positions, and how many rounds each launch took. Unchanged without launches.</summary>
    public TimingResult Merge(string fullName, TimingResult here)
    {
        List<TimingResult>? launched;
        lock (_launched)
            launched = _launched.GetValueOrDefault(fullName);
        if (launched is not { Count: > 0 })
            return here;
        return Pool([.. launched, here]);
    }

    /// <summary>Timings of one benchmark in several processes as one: the last one's iteration count and overhead (they are
    /// per process), times and costs added up. Calibration is kept when every launch calibrated with the same workloads.</summary>
    internal static TimingResult Pool(IReadOnlyList<TimingResult> launches)
    {
        var last = launches[^1];
        var calibrations = launches.Select(l => l.Calibration).ToList();
        CalibrationResult? calibration = null;
        if (calibrations.All(c => c is not null && c.Version == calibrations[0]!.Version && c.Workloads.SequenceEqual(calibrations[0]!.Workloads)))
        {
            var offsets = launches.Select((_, i) => launches.Take(i).Sum(l => l.RoundNanoseconds.Length)).ToArray();
            calibration = new CalibrationResult
            {
                Version = calibrations[0]!.Version,
                Workloads = calibrations[0]!.Workloads,
                Workload = [.. calibrations.SelectMany(c => c!.Workload)],
                BeforeRound = [.. calibrations.SelectMany((c, i) => c!.BeforeRound.Select(b => b + offsets[i]))],
                Nanoseconds = [.. calibrations.SelectMany(c => c!.Nanoseconds)],
                Milliseconds = calibrations.Sum(c => c!.Milliseconds),
            };
        }
        return new TimingResult
        {
            RoundNanoseconds = [.. launches.SelectMany(l => l.RoundNanoseconds)],
            IterationsPerRound = last.IterationsPerRound,
            OverheadNanoseconds = last.OverheadNanoseconds,
            WarmupMilliseconds = launches.Sum(l => l.WarmupMilliseconds),
            TotalMilliseconds = launches.Sum(l => l.TotalMilliseconds),
            Calibration = calibration,
            LaunchRounds = [.. launches.Select(l => l.RoundNanoseconds.Length)],
        };
    }
}
