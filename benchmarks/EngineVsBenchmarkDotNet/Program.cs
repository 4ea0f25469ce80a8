// Compares Benchmem's timing engine with BenchmarkDotNet on the same two benchmark methods, in one process,
// and prints the medians, their ratio and the wall time each tool spent. A report, not a gate: exit code 0.
//
//   dotnet run -c Release --project benchmarks/EngineVsBenchmarkDotNet [-- --job short|medium|default]
//                                                                       [--runs 3] [--only Lookup|Sort]
//                                                                       [--skip-bdn]
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

// 1. Benchmem first, so its first run sees the methods cold, as a test run would. Each run builds its own invoker.
var benchmem = new Dictionary<string, List<BenchmemRun>>();
foreach (var op in operations)
{
    var runs = benchmem[op] = [];
    var method = typeof(EngineBenchmarks).GetMethod(op)!;
    for (int r = 0; r < options.Runs; r++)
    {
        var instance = new EngineBenchmarks();
        instance.Setup();
        var wall = Stopwatch.StartNew();
        var invoker = BenchmarkInvoker.ForMethod(instance, method, []);
        TimingResult t = TimingEngine.Run(invoker, new TimingOptions());
        wall.Stop();
        var stats = new Statistics(t.RoundNanoseconds);
        var run = new BenchmemRun(stats, t, wall.Elapsed.TotalSeconds);
        runs.Add(run);
        Console.WriteLine($"Benchmem {op,-6} run {r + 1}: median {Ns(stats.Median),10}  mean {Ns(stats.Mean),10}  sd {Ns(stats.StandardDeviation),9}  "
            + $"rounds {stats.N,4} × {t.IterationsPerRound,6} ops  overhead {t.OverheadNanoseconds:F2} ns/op  "
            + $"warmup {t.WarmupMilliseconds:F0} ms  engine {t.TotalMilliseconds / 1000:F3} s  wall {run.WallSeconds:F3} s");
    }
}
Console.WriteLine();

// 2. BenchmarkDotNet, one operation at a time so each gets its own wall time.
var bdn = new Dictionary<string, BdnRun>();
string? artifacts = null;
if (!options.SkipBdn)
{
    artifacts = Path.Combine(Path.GetTempPath(), "benchmem-engine-vs-bdn-" + Environment.ProcessId);
    Directory.CreateDirectory(artifacts);
    var logPath = Path.Combine(artifacts, "bdn.log");
    using var log = new StreamLogger(logPath);
    foreach (var op in operations)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(options.Job.WithToolchain(InProcessEmitToolchain.Instance).WithId(options.JobName + "-InProcess"))
            .AddLogger(log)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var wall = Stopwatch.StartNew();
        var summary = BenchmarkRunner.Run(typeof(EngineBenchmarks), [typeof(EngineBenchmarks).GetMethod(op)!], config);
        wall.Stop();
        var report = summary.Reports.SingleOrDefault();
        if (report?.ResultStatistics is null)
        {
            Console.WriteLine($"BDN {op}: no result (see {logPath})");
            continue;
        }
        var run = new BdnRun(report, wall.Elapsed.TotalSeconds);
        bdn[op] = run;
        var s = report.ResultStatistics;
        Console.WriteLine($"BDN      {op,-6}      : median {Ns(s.Median),10}  mean {Ns(s.Mean),10}  sd {Ns(s.StandardDeviation),9}  "
            + $"iterations {s.N,3} × {run.OpsPerIteration,9} ops  overhead {run.OverheadNsPerOp:F2} ns/op  wall {run.WallSeconds:F3} s");
    }
    Console.WriteLine($"BDN log and artifacts: {artifacts}");
    Console.WriteLine();
}

// 3. The table.
var header = new[] { "operation", "BDN median", "Benchmem median", "ratio BM/BDN", "within ±5%", "Benchmem s/bench (3 runs)", "BDN s/bench" };
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
    ]);
    if (hasBdn && !within)
        missed.Add($"{op}: Benchmem/BDN = {ratio:F3}, outside ±{RatioTolerance:P0} (Benchmem {Ns(bmMedian)}, BDN {Ns(b!.Report.ResultStatistics!.Median)})");
    if (bmMaxWall > BenchmemGoalSeconds)
        missed.Add($"{op}: a Benchmem run took {bmMaxWall:F2} s, over the {BenchmemGoalSeconds} s goal");
}
PrintTable(header, rows);
Console.WriteLine("Benchmem median = median of the per-run medians; BDN median = ResultStatistics.Median (overhead subtracted, outliers removed).");
Console.WriteLine($"load average at end: {LoadAverage()}");
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

sealed record BenchmemRun(Statistics Stats, TimingResult Timing, double WallSeconds);

sealed record BdnRun(BenchmarkReport Report, double WallSeconds)
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
                case "-h" or "--help":
                    Console.WriteLine("options: --job short|medium|default (medium), --runs N (3), --only Lookup|Sort, --skip-bdn");
                    return null;
                default: throw new ArgumentException($"unknown option {args[i]} (try --help)");
            }
        }
        return new Options(job, name, runs, only, skip);
    }
}
