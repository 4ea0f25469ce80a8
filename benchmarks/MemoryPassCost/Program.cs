// What one memory pass costs, as a multiple of the measured call's own time, in Benchmem's two memory modes:
//   in process   MemoryMeter.Measure in this process (no allocation counts);
//   memory host  the same in a child started with the native allocation profiler and DOTNET_TieredCompilation=0,
//                as Benchmem's memory host runs (exact allocation counts).
// A third child, with DOTNET_TieredCompilation=0 but no profiler, separates the profiler's slowdown of the call from
// the JIT mode's. A report, not a gate: exit code 0 always.
//
//   dotnet run -c Release --project benchmarks/MemoryPassCost [-- --repeats 20] [--samples 7] [--max-time 1.0]
//                                                                [--profiler PATH] [--skip-control]
// (scripts/memory-pass-cost.sh builds the profiler first.) Internally: --child host|control re-launches this program.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Benchmem.Core.Timing;
using Benchmem.Core.Units;
using MemoryPassCost;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

try
{
    return Run(args);
}
catch (Exception e)
{
    // A report, not a gate: say what went wrong and exit 0 (a child's failure is seen by its missing JSON).
    Console.Error.WriteLine($"memory-pass-cost: {e}");
    return args.Contains(ChildProcess.Flag) ? 1 : 0;
}

static int Run(string[] args)
{
    var (options, childRole, profiler, skipControl, error) = ParseArgs(args);
    if (error is not null)
    {
        Console.Error.WriteLine(error);
        Console.Error.WriteLine("usage: MemoryPassCost [--repeats N] [--samples N] [--max-time SECONDS] [--profiler PATH] [--skip-control]");
        return childRole is null ? 0 : 1;
    }
    if (childRole is not null)
    {
        var numbers = Measurements.Run(childRole, options, timeFirst: false);
        Console.Out.WriteLine(JsonSerializer.Serialize(numbers, ChildProcess.Json));
        return 0;
    }

    profiler ??= FindProfiler();
    Console.WriteLine($"Memory pass cost: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {RuntimeInformation.OSDescription}, load average {LoadAverage()}");
    Console.WriteLine($"Each workload: TimingEngine.Run (TimingOptions MaxTime = {options.Timing.MaxTime} s) for the call; then {options.Samples} × "
        + $"MemoryMeter.Measure(Repeats = {options.Repeats}, Warmup = 1), pass = wall time / {options.Repeats}, median of the {options.Samples}.");
    Console.WriteLine("Running: in process ...");
    var inProcess = Measurements.Run("in-process", options, timeFirst: true);

    var forwarded = ForwardedArgs(options);
    var timeout = TimeSpan.FromSeconds(300); // the host pays the profiler on every allocation: 7 × 21 passes of the 1M churn take ~90 s
    ChildOutcome? host = null, control = null;
    if (profiler is null)
        Console.WriteLine("Memory host: not measured: no profiler library found (build it with: bash Benchmem.Profiler/build.sh, or pass --profiler PATH).");
    else
    {
        Console.WriteLine($"Running: memory host child (profiler {profiler}, DOTNET_TieredCompilation=0) ...");
        host = ChildProcess.Run("host", profiler, forwarded, timeout);
    }
    if (!skipControl)
    {
        Console.WriteLine("Running: control child (DOTNET_TieredCompilation=0, no profiler) ...");
        control = ChildProcess.Run("control", null, forwarded, timeout);
    }
    Console.WriteLine();
    Report.Print(options, inProcess, host, control);
    return 0;
}

static (RunOptions Options, string? ChildRole, string? Profiler, bool SkipControl, string? Error) ParseArgs(string[] args)
{
    var options = new RunOptions();
    string? role = null, profiler = null;
    bool skipControl = false;
    for (int i = 0; i < args.Length; i++)
    {
        string? Next() => i + 1 < args.Length ? args[++i] : null;
        switch (args[i])
        {
            case ChildProcess.Flag:
                role = Next();
                if (role is not ("host" or "control"))
                    return (options, role ?? "?", null, false, $"{ChildProcess.Flag} takes host or control, not '{role}'");
                break;
            case "--repeats" when int.TryParse(Next(), out int r) && r is >= 1 and <= 1000:
                options = options with { Repeats = r };
                break;
            case "--samples" when int.TryParse(Next(), out int s) && s is >= 1 and <= 100:
                options = options with { Samples = s };
                break;
            case "--max-time" when double.TryParse(Next(), CultureInfo.InvariantCulture, out double t) && t is > 0 and <= 60:
                options = options with { Timing = new TimingOptions { MaxTime = t } };
                break;
            case "--profiler" when Next() is { } p:
                profiler = Path.GetFullPath(p);
                break;
            case "--skip-control":
                skipControl = true;
                break;
            default:
                return (options, role, null, false, $"unknown or malformed argument '{args[i]}'");
        }
    }
    return (options, role, profiler, skipControl, null);
}

static IEnumerable<string> ForwardedArgs(RunOptions o) =>
[
    "--repeats", o.Repeats.ToString(CultureInfo.InvariantCulture),
    "--samples", o.Samples.ToString(CultureInfo.InvariantCulture),
    "--max-time", o.Timing.MaxTime.ToString(CultureInfo.InvariantCulture),
];

/// <summary>Benchmem.Profiler/bin/&lt;rid&gt;/ of the repository this program was built in.</summary>
static string? FindProfiler()
{
    string? rid = (RuntimeInformation.OSArchitecture, OperatingSystem.IsWindows()) switch
    {
        (Architecture.X64, false) => "linux-x64",
        (Architecture.Arm64, false) => "linux-arm64",
        (Architecture.X64, true) => "win-x64",
        _ => null,
    };
    if (rid is null || OperatingSystem.IsMacOS())
        return null;
    string name = OperatingSystem.IsWindows() ? "benchmem_profiler.dll" : "libbenchmem_profiler.so";
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "Benchmem.Profiler", "bin", rid, name);
        if (File.Exists(candidate))
            return candidate;
    }
    return null;
}

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
    catch (UnauthorizedAccessException)
    {
        return "n/a";
    }
}
