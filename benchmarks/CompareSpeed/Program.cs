// How long comparing two results files of 10,000 benchmarks each takes (issue 4: goal < 1 s), end to end as the CLI
// does it: BenchmarkRun.LoadMany of both files (in parallel), Comparison.Of, Check with three rules, and ComparisonTable.Render.
// The two files are generated once (ResultsJson.WriteRun) and cached under the temp dir, keyed by DataVersion.
// Prints each phase's time for the first (cold: JIT, first file read) and the best (warm) of the repetitions.
// A report, not a gate: exit code 0 always.
//
//   dotnet run -c Release --project benchmarks/CompareSpeed [-- --repetitions 5] [--regenerate]
using System.Diagnostics;
using System.Globalization;
using Benchmem.Core.Compare;
using Benchmem.Core.Memory;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

try
{
    Run(args);
}
catch (Exception e)
{
    Console.Error.WriteLine($"compare-speed: {e}");
}
return 0;

static void Run(string[] args)
{
    int repetitions = 5;
    bool regenerate = false;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--repetitions" && i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0)
            repetitions = n;
        else if (args[i] == "--regenerate")
            regenerate = true;
    }

    var (baselinePath, candidatePath) = Data.Files(regenerate);
    Console.WriteLine($"Compare speed: 2 files of {Data.Benchmarks:N0} benchmarks ({Data.Rounds} rounds each, memory passes on a third), "
        + $"{new FileInfo(baselinePath).Length / 1048576.0:F1} MiB + {new FileInfo(candidatePath).Length / 1048576.0:F1} MiB");
    Console.WriteLine($"  {baselinePath}");
    Console.WriteLine($"  {candidatePath}");
    Console.WriteLine($"{repetitions} repetitions in one process; .NET {Environment.Version}, {Environment.ProcessorCount} cores");
    Console.WriteLine();

    string[] phases = ["load both", "match", "check", "render", "total"];
    var times = new List<double[]>();
    var pauses = new List<double[]>();
    int regressions = 0, tableLength = 0;
    for (int r = 0; r < repetitions; r++)
    {
        var t = new double[phases.Length];
        var gc = new double[phases.Length];
        var pause = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        // As the CLI loads its inputs: both files at once (BenchmarkRun.LoadMany).
        var loaded = BenchmarkRun.LoadMany([baselinePath, candidatePath]);
        var (runA, runB) = (loaded[0], loaded[1]);
        t[0] = Lap(sw);
        gc[0] = GcLap(ref pause);
        var comparison = Comparison.Of(runA, runB);
        t[1] = Lap(sw);
        gc[1] = GcLap(ref pause);
        var gate = comparison.Check(ThresholdRule.ParseMany("time:5%", "peak:10%", "allocated:5%"));
        regressions = gate.Regressions.Count;
        t[2] = Lap(sw);
        gc[2] = GcLap(ref pause);
        string table = ComparisonTable.Render([("a", runA), ("b", runB)], new TableOptions());
        tableLength = table.Length;
        t[3] = Lap(sw);
        gc[3] = GcLap(ref pause);
        t[4] = t[0] + t[1] + t[2] + t[3];
        gc[4] = gc[0] + gc[1] + gc[2] + gc[3];
        times.Add(t);
        pauses.Add(gc);
    }

    var cold = times[0];
    int best = repetitions == 1 ? 0 : Enumerable.Range(1, repetitions - 1).MinBy(r => times[r][^1]);
    var warm = times[best];
    Console.WriteLine($"{"phase",-16}{"cold (ms)",12}{"warm (ms)",12}{"GC pauses cold / warm (ms)",30}");
    for (int p = 0; p < phases.Length; p++)
        Console.WriteLine($"{phases[p],-16}{cold[p],12:F1}{warm[p],12:F1}{$"{pauses[0][p]:F1} / {pauses[best][p]:F1}",30}");
    Console.WriteLine();
    Console.WriteLine($"Every repetition's total (ms): {string.Join(", ", times.Select(t => t[^1].ToString("F1", CultureInfo.InvariantCulture)))}");
    Console.WriteLine($"Gate: {regressions:N0} regressions; table: {tableLength:N0} characters");
    Console.WriteLine(cold[^1] < 1000
        ? $"GOAL MET (< 1 s): cold total {cold[^1] / 1000:F3} s, warm {warm[^1] / 1000:F3} s"
        : $"GOAL MISSED (< 1 s): cold total {cold[^1] / 1000:F3} s, warm {warm[^1] / 1000:F3} s");
}

static double GcLap(ref TimeSpan pause)
{
    var now = GC.GetTotalPauseDuration();
    double ms = (now - pause).TotalMilliseconds;
    pause = now;
    return ms;
}

static double Lap(Stopwatch sw)
{
    double ms = sw.Elapsed.TotalMilliseconds;
    sw.Restart();
    return ms;
}

/// <summary>The two results files: generated once per <see cref="DataVersion"/> and reused.</summary>
internal static class Data
{
    /// <summary>Bump when the generated data changes shape, so stale cached files are not reused.</summary>
    public const int DataVersion = 1;
    public const int Benchmarks = 10_000;
    public const int Rounds = 100;

    public static (string Baseline, string Candidate) Files(bool regenerate)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"benchmem-compare-speed-v{DataVersion}");
        string baseline = Path.Combine(dir, "baseline.json"), candidate = Path.Combine(dir, "candidate.json");
        if (!regenerate && File.Exists(baseline) && File.Exists(candidate))
            return (baseline, candidate);
        Directory.CreateDirectory(dir);
        var baseRecords = Records(grow: false);
        var candidateRecords = Records(grow: true);
        Write(baseline, "baseline", baseRecords);
        Write(candidate, "candidate", candidateRecords);
        return (baseline, candidate);
    }

    private static void Write(string path, string title, List<BenchmarkRecord> records)
    {
        var run = new RunInfo { Title = title, AssemblyName = "CompareSpeed.Generated", Started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), RunKey = null };
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
            ResultsJson.WriteRun(stream, run, records);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Deterministic records; with <paramref name="grow"/> every tenth benchmark is 20% larger in every metric.</summary>
    private static List<BenchmarkRecord> Records(bool grow)
    {
        var records = new List<BenchmarkRecord>(Benchmarks);
        var random = new Random(42);
        var noise = new Random(grow ? 2 : 1);
        for (int i = 0; i < Benchmarks; i++)
        {
            int type = i / 100, method = i / 10 % 10, n = (i % 10 + 1) * 1000;
            double factor = grow && i % 10 == 3 ? 1.2 : 1.0;
            double center = 50 + random.NextDouble() * 1_000_000;
            var rounds = new double[Rounds];
            for (int k = 0; k < Rounds; k++)
                rounds[k] = Math.Round(center * factor * (1 + 0.05 * noise.NextDouble()), 3);
            long bytes = (long)(random.Next(0, 1 << 20) * factor);
            MemoryResult? memory = null;
            if (i % 3 == 0)
            {
                var passes = new List<MemoryPass>();
                for (int p = 0; p < 3; p++)
                {
                    passes.Add(new MemoryPass
                    {
                        PeakBytes = (long)(bytes * factor) + 64 * p,
                        AllocatedBytes = bytes + 128 * p,
                        RetainedBytes = bytes / 10,
                        Gen0 = p,
                        PeakMethod = PeakMethods.Exact,
                    });
                }
                memory = new MemoryResult { Passes = passes, Options = new MemoryOptions { Repeats = 3 } };
            }
            records.Add(new BenchmarkRecord
            {
                Namespace = $"Generated.Ns{type % 7}",
                Type = $"Type{type}",
                Method = $"Method{method}",
                Parameters = $"n={n}",
                FullName = $"Generated.Ns{type % 7}.Type{type}.Method{method}(n: {n})",
                Dims = new Dictionary<string, object?> { ["n"] = (long)n },
                Timing = new TimingResult
                {
                    RoundNanoseconds = rounds,
                    IterationsPerRound = 1000,
                    OverheadNanoseconds = 0.5,
                    WarmupMilliseconds = 12.5,
                    TotalMilliseconds = 480,
                },
                Allocation = new AllocationResult { TotalOperations = 1000, BytesAllocatedPerOperation = bytes, Gen0Collections = i % 5 },
                Memory = memory,
            });
        }
        return records;
    }
}
