using System.CommandLine;
using System.Globalization;
using System.Text;
using Benchmem.Core.Compare;
using Benchmem.Core.Exporters;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Commands;

/// <summary>
/// <c>benchmem calibrate [--duration 60s] [-o samples.csv [--force]]</c>: times the calibration workloads every timed run
/// interleaves with its benchmarks, for a while, and says whether the machine's speed is steady enough for time gates
/// (exit 0) or not (exit 1), with the figures compare's limits are about.
/// </summary>
public static class CalibrateCommand
{
    /// <summary>Longest duration accepted: an hour.</summary>
    public const double MaxSeconds = 3600;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var duration = new Option<string>("--duration", "-d")
        {
            Description = "How long to measure: seconds (60), or with a unit (90s, 2min is written 120s, 500ms).",
            DefaultValueFactory = _ => "60s",
            HelpName = "TIME",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Also write every calibration round as CSV (seconds,workload,nanoseconds).", HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace the -o file when it exists." };
        var command = new Command("calibrate",
            "Time the calibration workloads (integer, floating point, memory) for a while and say whether this machine is steady enough for time gates: exit 0 fit, 1 not fit.")
        {
            duration, output, force,
        };
        command.SetAction(parse =>
        {
            double seconds = ParseDuration(parse.GetValue(duration)!);
            string? path = parse.GetValue(output);
            if (path is not null)
                CheckOutput(path, parse.GetValue(force));
            var stability = MachineStability.Measure(new CalibrationProbe(), seconds);
            if (path is not null)
                WriteSamples(path, stability);
            stdout.Write(Render(stability));
            if (path is not null)
                stdout.WriteLine($"benchmem: wrote {path} ({stability.Samples.Count} rounds)");
            stdout.Flush();
            return stability.Fit ? ExitCodes.Ok : ExitCodes.NotFit;
        });
        return command;
    }

    internal static double ParseDuration(string text)
    {
        string t = text.Trim();
        double seconds;
        if (double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double plain))
            seconds = plain;
        else if (TimeFormat.TryParse(t, out double ns, out _))
            seconds = ns / 1e9;
        else
            throw new UsageException($"--duration: '{text}' is not a duration; write seconds or a time with its unit, e.g. --duration 60 or --duration 90s.");
        if (!(seconds >= 0.5 && seconds <= MaxSeconds))
            throw new UsageException($"--duration: '{text}' is out of range; give between 0.5 s and {MaxSeconds:0} s (a minute, the default, says most).");
        return seconds;
    }

    private static void CheckOutput(string path, bool force)
    {
        if (string.IsNullOrWhiteSpace(path) || Directory.Exists(path))
            throw new UsageException($"-o/--output '{path}' is not a file path; give the file to write, e.g. -o calibration.csv.");
        if (File.Exists(path) && !force)
            throw new UsageException($"-o {path} already exists; add --force to replace it, or choose another path.");
        if (Core.Results.WritableFolder.Problem(Path.GetDirectoryName(Path.GetFullPath(path))!) is { } problem)
            throw new UsageException($"-o {path}: its folder cannot be written ({problem.TrimEnd('.')}); choose a path in a writable folder.");
    }

    private static void WriteSamples(string path, MachineStability stability)
    {
        var csv = new StringBuilder("seconds,workload,nanoseconds\n");
        foreach (var s in stability.Samples)
            csv.Append(s.Seconds.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(stability.Workloads[s.Workload]).Append(',')
               .Append(s.Nanoseconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        try
        {
            RunReport.WriteText(path, csv.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"-o {path}: cannot be written ({e.Message.TrimEnd('.')}); choose a path in a writable folder.");
        }
    }

    /// <summary>The report: per workload its fastest and median round and how far its one-second fastest rounds moved,
    /// then the machine's figures against compare's limits and the verdict.</summary>
    public static string Render(MachineStability s)
    {
        string P(double v) => CalibratedPair.Percent(v);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"benchmem calibrate: {s.Samples.Count} rounds of about 1 ms in {s.Seconds:0.0} s, the workloads in turn, cut into {s.WindowFactors.Count} one-second windows\n");
        var stresses = CalibrationWorkload.All.ToDictionary(w => w.Name, w => w.Stresses);
        int nameWidth = Math.Max("workload".Length, s.Workloads.Max(w => w.Length));
        int stressWidth = s.Workloads.Max(w => stresses.GetValueOrDefault(w, "").Length);
        text.Append($"{"workload".PadRight(nameWidth)}  {"bound by".PadRight(stressWidth)}  {"fastest/op",12}  {"median/op",12}  {"moved",7}\n");
        string Ns(double v) => v.ToString("0.000", CultureInfo.InvariantCulture) + " ns";
        for (int w = 0; w < s.Workloads.Count; w++)
            text.Append($"{s.Workloads[w].PadRight(nameWidth)}  {stresses.GetValueOrDefault(s.Workloads[w], "").PadRight(stressWidth)}  "
                + $"{Ns(s.Fastest[w]),12}  {Ns(s.Medians[w]),12}  {P(s.WorkloadMovedPercent[w]),7}\n");
        text.Append($"Between seconds: the machine's own speed (its fastest rounds) moved {P(s.MovedPercent)} from its fastest second to its slowest "
            + $"(compare does not judge a run whose halves differ by more than {P(CalibratedPair.DriftLimitPercent)}, nor two runs by more than {P(CalibratedPair.ShiftLimitPercent)}).\n");
        if (s.WindowContention.Count > 0)
            text.Append($"Contention: the median round ran {P(Median(s.WindowContention))} slower than the fastest in the median second, {P(s.WindowContention.Max())} in the worst "
                + "(a plain time rule compares fastest rounds, which contention cannot make faster; time.median rules feel it).\n");
        text.Append(s.Fit
            ? "Verdict: fit for time gates: compare --fail-on time:N% judges the calibrated fastest rounds here.\n"
            : "Verdict: not fit for time gates: the machine's own speed moves past compare's limit, so expect time rules reported as not judged; "
              + "gate on memory (exact) and time both builds interleaved (benchmem sweep), or use a quieter runner.\n");
        return text.ToString();
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
