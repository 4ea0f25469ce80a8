// Compares Benchmem's timing engine with BenchmarkDotNet on the same two benchmark methods, in one process,
// and prints the medians, their ratio and the wall time each tool spent. A report, not a gate: exit code 0.
//
//   dotnet run -c Release --project benchmarks/EngineVsBenchmarkDotNet [-- --job short|medium|default]
//                                                                       [--runs 3] [--only Lookup|Sort]
//                                                                       [--skip-bdn] [--bdn-iteration-ms MS]
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Benchmem.Core.Invocation;
using Benchmem.Core.Results;
using Benchmem.Core.Timing;
using EngineVsBenchmarkDotNet;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const double RatioTolerance = 0.05;   // Benchmem/BDN within ±5%
const double BenchmemGoalSeconds = 1.2;

var options = Options.Parse(args);
if (options is null)
    return 0;

var operations = new[] { "Lookup", "Sort" }
    .Where(o => options.Only is null || string.Equals(o, options.Only, StringComparison.OrdinalIgnoreCase))
    .ToArray();

Console.WriteLine($"Benchmem engine vs BenchmarkDotNet — {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
    + $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine($"Benchmem: TimingEngine.Run with default TimingOptions ({Describe(new TimingOptions())}), {options.Runs} runs per operation");
Console.WriteLine($"BDN:      {options.JobName} job, InProcessEmitToolchain (same process, same methods, its own instance)");
Console.WriteLine();

// Per operation: the first Benchmem runs, then BenchmarkDotNet, then the remaining Benchmem runs. The load on this
// machine changes over the ~40 s BDN takes, so Benchmem runs on both sides of it show whether it did. Every phase
// also records how much CPU other processes used meanwhile (from /proc/stat): that is the noise both tools saw.
var benchmem = new Dictionary<string, List<BenchmemRun>>();
var bdn = new Dictionary<string, BdnRun>();
string? artifacts = null;
StreamLogger? log = null;
string? logPath = null;
if (!options.SkipBdn)
{
    artifacts = Path.Combine(Path.GetTempPath(), "benchmem-engine-vs-bdn-" + Environment.ProcessId);
    Directory.CreateDirectory(artifacts);
    logPath = Path.Combine(artifacts, "bdn.log");
    log = new StreamLogger(logPath);
}
var priorityAtStart = Priority();
int runsBeforeBdn = options.SkipBdn ? options.Runs : (options.Runs + 1) / 2;
foreach (var op in operations)
{
    var method = typeof(EngineBenchmarks).GetMethod(op)!;
    var runs = benchmem[op] = [];
    for (int r = 0; r < runsBeforeBdn; r++)
        runs.Add(RunBenchmem(op, method, r + 1, options.SkipBdn ? "" : "before BDN"));
    if (log is not null)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(options.Job.WithToolchain(InProcessEmitToolchain.Instance).WithId(options.JobName + "-InProcess"))
            .AddLogger(log)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(artifacts!)
            .WithOptions(ConfigOptions.DisableLogFile);
        double probeBefore = SpeedProbe.Measure();
        var cpu = CpuSnapshot.Take();
        var wall = Stopwatch.StartNew();
        var summary = BenchmarkRunner.Run(typeof(EngineBenchmarks), [method], config);
        wall.Stop();
        double others = cpu.OtherCoresSince();
        double probeAfter = SpeedProbe.Measure();
        var report = summary.Reports.SingleOrDefault();
        if (report?.ResultStatistics is null)
            Console.WriteLine($"BDN      {op,-6}           : no result (see {logPath})");
        else
        {
            var run = bdn[op] = new BdnRun(report, wall.Elapsed.TotalSeconds, others);
            var s = report.ResultStatistics;
            Console.WriteLine($"BDN      {op,-6}           : median {Ns(s.Median),10}  mean {Ns(s.Mean),10}  sd {Ns(s.StandardDeviation),9}  "
                + $"iterations {s.N,3} × {run.OpsPerIteration,8} ops  overhead {run.OverheadNsPerOp:F2} ns/op  "
                + $"wall {run.WallSeconds:F3} s  others' CPU {others:F2} cores  probe {probeBefore:F3}→{probeAfter:F3}");
            Console.WriteLine($"         {"",-6}             iterations (overhead subtracted) min {Ns(s.Min)}, Q1 {Ns(s.Q1)}, Q3 {Ns(s.Q3)}, max {Ns(s.Max)}");
        }
    }
    if (Priority() != priorityAtStart)
        Console.WriteLine($"note: BDN left the process at {Priority()} (was {priorityAtStart}); the Benchmem runs after it inherit that");
    for (int r = runsBeforeBdn; r < options.Runs; r++)
        runs.Add(RunBenchmem(op, method, r + 1, "after BDN "));
    Console.WriteLine();
}
log?.Dispose();
if (logPath is not null)
{
    Console.WriteLine($"BDN log and artifacts: {artifacts}");
    Console.WriteLine();
}

// The table and the verdict.
var header = new[] { "operation", "BDN median", "Benchmem median", "ratio BM/BDN", "within ±5%",
    $"Benchmem s/bench ({options.Runs} runs)", "BDN s/bench", "others' CPU BM / BDN" };
const double BusyCores = 0.3; // other processes using more than this (in cores) during a phase: the numbers are suspect
var busy = new List<string>();
var rows = new List<string[]>();
var missed = new List<string>();
foreach (var op in operations)
{
    var runs = benchmem[op];
    double bmMedian = Median(runs.Select(r => r.Stats.Median));
    double bmMaxWall = runs.Max(r => r.WallSeconds);
    string walls = string.Join(" / ", runs.Select(r => r.WallSeconds.ToString("F2")));
    bool hasBdn = bdn.TryGetValue(op, out var b);
    double ratio = hasBdn ? bmMedian / b!.Report.ResultStatistics!.Median : double.NaN;
    bool within = hasBdn && Math.Abs(ratio - 1) <= RatioTolerance;
    rows.Add([
        op,
        hasBdn ? Ns(b!.Report.ResultStatistics!.Median) : "-",
        Ns(bmMedian),
        hasBdn ? ratio.ToString("F3") : "-",
        hasBdn ? (within ? "yes" : "NO") : "-",
        walls + (bmMaxWall <= BenchmemGoalSeconds ? "" : "  (>1.2!)"),
        hasBdn ? b!.WallSeconds.ToString("F2") : "-",
        $"{runs.Max(r => r.OtherCores):F2} / " + (hasBdn ? b!.OtherCores.ToString("F2") : "-"),
    ]);
    if (runs.Any(r => r.OtherCores > BusyCores) || (hasBdn && b!.OtherCores > BusyCores))
        busy.Add(op);
    if (hasBdn && !within)
        missed.Add($"{op}: Benchmem/BDN = {ratio:F3}, outside ±{RatioTolerance:P0} (Benchmem {Ns(bmMedian)}, BDN {Ns(b!.Report.ResultStatistics!.Median)})");
    if (bmMaxWall > BenchmemGoalSeconds)
        missed.Add($"{op}: a Benchmem run took {bmMaxWall:F2} s, over the {BenchmemGoalSeconds} s goal");
}
PrintTable(header, rows);
Console.WriteLine("Benchmem median = median of the per-run medians; BDN median = ResultStatistics.Median (overhead subtracted, outliers removed).");
Console.WriteLine("others' CPU = cores used by other processes (and hypervisor steal) during the phase, max over Benchmem runs / BDN.");
Console.WriteLine($"load average at end: {LoadAverage()}");
Console.WriteLine($"probe = ns per step of a fixed ALU loop just before→after each phase (fastest seen {SpeedProbe.Fastest:F3}); "
    + "well above the fastest means this thread was getting less of the core (time-shared with other processes, or host contention).");
if (SpeedProbe.Slowest > SpeedProbe.Fastest * SpeedProbe.SlowFactor)
    Console.WriteLine($"WARNING: slow machine phases seen (probe up to {SpeedProbe.Slowest / SpeedProbe.Fastest:F1}× its fastest): "
        + "a 1 s Benchmem run falls wholly inside or outside one, BDN's 5-55 s run mixes them (see its Q1..Q3), so the ratio "
        + "measures the machine as much as the engines.");
if (busy.Count > 0)
    Console.WriteLine($"WARNING: other processes used more than {BusyCores} cores while timing {string.Join(", ", busy)} "
        + $"(of {Environment.ProcessorCount}): the tools saw different noise, so a ratio miss there may be the machine, not the engine.");
Console.WriteLine();
if (missed.Count == 0)
    Console.WriteLine(options.SkipBdn ? "GOALS: Benchmem time goal met (BDN skipped, no ratio)." : "GOALS: all met (ratio within ±5%, Benchmem ≤ 1.2 s per benchmark).");
else
{
    Console.WriteLine("GOAL MISSED:");
    foreach (var m in missed)
        Console.WriteLine("  - " + m);
}
return 0;

static BenchmemRun RunBenchmem(string op, MethodInfo method, int number, string when)
{
    var instance = new EngineBenchmarks();
    instance.Setup();
    double probeBefore = SpeedProbe.Measure();
    var cpu = CpuSnapshot.Take();
    var wall = Stopwatch.StartNew();
    var invoker = BenchmarkInvoker.ForMethod(instance, method, []);
    TimingResult t = TimingEngine.Run(invoker, new TimingOptions());
    wall.Stop();
    double others = cpu.OtherCoresSince();
    double probeAfter = SpeedProbe.Measure();
    var stats = new Statistics(t.RoundNanoseconds);
    Console.WriteLine($"Benchmem {op,-6} run {number} {when,-10}: median {Ns(stats.Median),10}  mean {Ns(stats.Mean),10}  sd {Ns(stats.StandardDeviation),9}  "
        + $"rounds {stats.N,4} × {t.IterationsPerRound,6} ops  overhead {t.OverheadNanoseconds:F2} ns/op  "
        + $"warmup {t.WarmupMilliseconds:F0} ms  wall {wall.Elapsed.TotalSeconds:F3} s  others' CPU {others:F2} cores  probe {probeBefore:F3}→{probeAfter:F3}");
    return new BenchmemRun(stats, t, wall.Elapsed.TotalSeconds, others);
}

static string Priority()
{
    using var self = Process.GetCurrentProcess();
    return $"priority {self.PriorityClass}, thread {Thread.CurrentThread.Priority}";
}

static double Median(IEnumerable<double> values)
{
    var v = values.OrderBy(x => x).ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
}

static string Ns(double ns) => ns switch
{
    >= 1e6 => $"{ns / 1e6:F3} ms",
    >= 1e3 => $"{ns / 1e3:F2} µs",
    _ => $"{ns:F2} ns",
};

static string Describe(TimingOptions o) => $"MaxTime {o.MaxTime} s, MinRounds {o.MinRounds}, Warmup {o.Warmup} s";

static string LoadAverage()
{
    try { return File.ReadAllText("/proc/loadavg").Trim(); }
    catch (IOException) { return "n/a"; }
    catch (UnauthorizedAccessException) { return "n/a"; }
}

static void PrintTable(string[] header, List<string[]> rows)
{
    var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
    string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |";
    Console.WriteLine(Line(header));
    Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
    foreach (var r in rows)
        Console.WriteLine(Line(r));
}

sealed record BenchmemRun(Statistics Stats, TimingResult Timing, double WallSeconds, double OtherCores);

sealed record BdnRun(BenchmarkReport Report, double WallSeconds, double OtherCores)
{
    private IEnumerable<Measurement> Actual(IterationMode mode) =>
        Report.AllMeasurements.Where(m => m.IterationMode == mode && m.IterationStage == IterationStage.Actual);

    public long OpsPerIteration => Actual(IterationMode.Workload).Select(m => m.Operations).FirstOrDefault();

    public double OverheadNsPerOp
    {
        get
        {
            var v = Actual(IterationMode.Overhead).Select(m => m.Nanoseconds / m.Operations).OrderBy(x => x).ToArray();
            return v.Length == 0 ? double.NaN : v[v.Length / 2];
        }
    }
}

sealed record Options(Job Job, string JobName, int Runs, string? Only, bool SkipBdn)
{
    public static Options? Parse(string[] args)
    {
        Job job = Job.MediumRun;
        string name = "MediumRun";
        int runs = 3;
        string? only = null;
        bool skip = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--job":
                    name = args[++i].ToLowerInvariant() switch
                    {
                        "short" => "ShortRun",
                        "medium" => "MediumRun",
                        "default" => "Default",
                        var other => throw new ArgumentException($"--job {other}: use short, medium or default"),
                    };
                    job = name switch { "ShortRun" => Job.ShortRun, "Default" => Job.Default, _ => Job.MediumRun };
                    break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i]; break;
                case "--skip-bdn": skip = true; break;
                case "--bdn-iteration-ms":
                    double ms = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    job = job.WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(ms));
                    name += $"+IterationTime={ms}ms";
                    break;
                case "-h" or "--help":
                    Console.WriteLine("options: --job short|medium|default (medium), --runs N (3), --only Lookup|Sort, --skip-bdn, --bdn-iteration-ms MS (after --job)");
                    return null;
                default: throw new ArgumentException($"unknown option {args[i]} (try --help)");
            }
        }
        return new Options(job, name, runs, only, skip);
    }
}

/// <summary>CPU time of the whole machine and of this process, to tell how busy other processes kept the cores.</summary>
readonly record struct CpuSnapshot(long MachineBusyTicks, long OwnTicks, long Timestamp)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on Linux x64

    public static CpuSnapshot Take() => new(MachineBusy(), Own(), Stopwatch.GetTimestamp());

    /// <summary>Average number of cores other processes (and the hypervisor's steal) used since this snapshot; NaN off Linux.</summary>
    public double OtherCoresSince()
    {
        var now = Take();
        if (MachineBusyTicks < 0 || now.MachineBusyTicks < 0 || OwnTicks < 0 || now.OwnTicks < 0)
            return double.NaN;
        double seconds = (now.Timestamp - Timestamp) / (double)Stopwatch.Frequency;
        double others = (now.MachineBusyTicks - MachineBusyTicks - (now.OwnTicks - OwnTicks)) / TicksPerSecond;
        return Math.Max(0, others / seconds);
    }

    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already inside user)
    private static long MachineBusy()
    {
        try
        {
            var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(f[i], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    // /proc/self/stat: fields after the ")" that ends the command name; utime and stime are fields 14 and 15.
    private static long Own()
    {
        try
        {
            var text = File.ReadAllText("/proc/self/stat");
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }
}

/// <summary>
/// A fixed, fully optimized dependency chain of integer multiply-adds: its ns per step tracks how fast this core is
/// running right now. On shared VMs the speed can halve for seconds with no process in this VM to blame.
/// </summary>
static class SpeedProbe
{
    public const double SlowFactor = 1.3;
    private const int Steps = 1_000_000;
    public static double Fastest { get; private set; } = double.MaxValue;
    public static double Slowest { get; private set; }

    /// <summary>Median of 15 short chunks (≈5-15 ms in all), in ns per step.</summary>
    public static double Measure()
    {
        var chunks = new double[15];
        for (int i = 0; i < chunks.Length; i++)
            chunks[i] = Chunk(Steps) / Steps;
        Array.Sort(chunks);
        double median = chunks[chunks.Length / 2];
        Fastest = Math.Min(Fastest, median);
        Slowest = Math.Max(Slowest, median);
        return median;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization
        | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double Chunk(int steps)
    {
        long x = 1;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++)
            x = x * 6364136223846793005L + 1442695040888963407L;
        long t1 = Stopwatch.GetTimestamp();
        GC.KeepAlive(x);
        return (t1 - t0) * 1e9 / Stopwatch.Frequency;
    }
}
