using System.CommandLine;
using System.Globalization;
using Benchmem.Cli.Profile;
using Benchmem.Core.Profiles;
using Benchmem.Core.Results;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Commands;

/// <summary><c>benchmem profile DIR [ID | --worst peak|allocated|allocations] [--report summary|flamegraph|table|tree|stats…] [--top N] [--html FILE | --no-html]</c>.</summary>
public static class ProfileCommand
{
    private static readonly string[] WorstMetrics = ["peak", "allocated", "allocations"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("DIR") { Description = "The profile folder the test run wrote (Benchmem.Profile, or BenchmarkResults/profiles)." };
        var id = new Argument<string?>("ID")
        {
            Description = "Which benchmark: its full name, its profile's file name, or a unique part of the name. Without ID or --worst: "
                          + "the only profile, or a list of them.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var worst = new Option<string?>("--worst") { Description = "Render the profile whose pass was heaviest by this metric.", HelpName = "peak|allocated|allocations" };
        var top = new Option<int>("--top") { Description = "Rows per table (default 10).", DefaultValueFactory = _ => 10, HelpName = "N" };
        var html = new Option<string?>("--html") { Description = "Where to write the flame graph page (default: DIR/<profile>.flame.html).", HelpName = "FILE" };
        var noHtml = new Option<bool>("--no-html") { Description = "Print the tables only; write no flame graph." };
        var report = new Option<string[]>("--report")
        {
            Description = "What to show, in order (repeat or comma-separate; default summary,flamegraph): summary = top types and allocating methods; " +
                          "flamegraph = the offline flame graph page; table = every allocation site (method × type); tree = the call tree with bytes per frame; " +
                          "stats = totals, counts, depth, mean object size and how much of the pass the profile covers.",
            HelpName = ProfileReports.List,
        };
        var command = new Command("profile", "Show where a benchmark's memory went: top types and allocating methods, and an offline flame graph.")
        {
            folder, id, worst, report, top, html, noHtml,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(folder)!;
            var name = parse.GetValue(id);
            var metric = parse.GetValue(worst);
            int rows = parse.GetValue(top);
            if (rows is < 1 or > 1000)
                throw new UsageException($"--top {rows.ToString(CultureInfo.InvariantCulture)} is out of range; give a number of rows from 1 to 1000.");
            if (metric is not null && !WorstMetrics.Contains(metric))
                throw new UsageException($"--worst '{metric}' is not a metric; use --worst peak, --worst allocated or --worst allocations.");
            if (metric is not null && name is not null)
                throw new UsageException($"give either an ID ('{name}') or --worst {metric}, not both.");
            if (parse.GetValue(noHtml) && parse.GetValue(html) is not null)
                throw new UsageException("--html and --no-html contradict each other; drop one of them.");
            var reports = ProfileReports.Parse(parse.GetValue(report) ?? []).ToList();
            if (reports.Count == 0)
                reports = parse.GetValue(noHtml) ? [ProfileReport.Summary] : [ProfileReport.Summary, ProfileReport.Flamegraph];
            else if (reports.Contains(ProfileReport.Flamegraph) && parse.GetValue(noHtml))
                throw new UsageException("--report flamegraph and --no-html contradict each other; drop one of them.");
            else if (parse.GetValue(html) is not null && !reports.Contains(ProfileReport.Flamegraph))
                reports.Add(ProfileReport.Flamegraph); // --html names the page: it is wanted

            var all = ProfileFolder.Load(dir);
            (string Path, AllocationProfile Profile) chosen;
            if (name is not null)
                chosen = ProfileFolder.Find(all, name);
            else if (metric is not null)
            {
                chosen = all.MaxBy(p => Value(p.Profile.Info, metric));
                stdout.WriteLine($"Heaviest by {metric} of {all.Count} profile(s): {chosen.Profile.Info.FullName}");
            }
            else if (all.Count == 1)
                chosen = all[0];
            else
            {
                List(stdout, dir, all);
                return ExitCodes.Ok;
            }
            if (chosen.Profile.Info.SamplesInTrace)
                chosen = (chosen.Path, FillFromTrace(chosen.Path, chosen.Profile.Info));
            string? page = !reports.Contains(ProfileReport.Flamegraph) ? null
                : parse.GetValue(html) ?? Path.Combine(Path.GetDirectoryName(chosen.Path)!, Path.GetFileName(chosen.Path)[..^SpeedscopeFile.Extension.Length] + ".flame.html");
            if (page is not null)
            {
                if (Directory.Exists(page))
                    throw new UsageException($"--html '{page}' is a folder; give the page's file path, e.g. --html flame.html.");
                AtomicFile.Write(page, stream => FlameGraph.Write(chosen.Profile, stream));
            }
            Render(stdout, chosen.Path, chosen.Profile, rows, page, reports);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A sampled profile's first rendering reads its samples from the runtime trace and keeps them in the file.</summary>
    private static AllocationProfile FillFromTrace(string path, ProfileInfo info)
    {
        if (TraceOf(path, info) is not { } trace || !File.Exists(trace))
            throw new UsageException($"{path} is a sampled profile whose samples are in its runtime trace, but {TraceOf(path, info) ?? "it names none"} is missing; take the profile again.");
        var profile = TraceSamples.Read(trace, info);
        SpeedscopeFile.Write(profile, path);
        return profile;
    }

    private static long Value(ProfileInfo info, string metric) => metric switch
    {
        "peak" => info.PeakBytes,
        "allocated" => info.AllocatedBytes,
        _ => info.Allocations ?? -1,
    };

    private static void List(TextWriter stdout, string dir, IReadOnlyList<(string Path, AllocationProfile Profile)> all)
    {
        stdout.WriteLine($"{all.Count} allocation profiles in {dir}:");
        var table = all.OrderByDescending(p => p.Profile.Info.PeakBytes)
            .Select(p => new[]
            {
                p.Profile.Info.FullName, ByteSize.Format(p.Profile.Info.PeakBytes), ByteSize.Format(p.Profile.Info.AllocatedBytes),
                p.Profile.Info.Allocations?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", p.Profile.Info.Method,
            });
        Columns(stdout, ["Benchmark", "Peak", "Allocated", "Objects", "Counts"], [false, true, true, true, false], table);
        stdout.WriteLine($"Render one with: benchmem profile {dir} ID   (or --worst peak|allocated|allocations)");
    }

    private static void Render(TextWriter stdout, string path, AllocationProfile profile, int rows, string? page, IReadOnlyList<ProfileReport> reports)
    {
        var info = profile.Info;
        bool exact = info.Method == ProfileMethods.Exact;
        string approx = exact ? "" : "~";
        stdout.WriteLine($"Allocation profile of {info.FullName}");
        stdout.WriteLine(exact
            ? "  exact: every allocation of one pass, with its call stack (the memory host's profiler)"
            : "  sampled: the runtime's allocation events (one per ~100 KB allocated, charged to the allocation that crossed it); sizes and shares are estimates");
        stdout.WriteLine($"  pass: peak {ByteSize.Format(info.PeakBytes)}, allocated {ByteSize.Format(info.AllocatedBytes)}"
            + (info.Allocations is { } n ? $", {n.ToString("N0", CultureInfo.InvariantCulture)} objects" : "")
            + $"; profile: {approx}{ByteSize.Format(profile.TotalBytes)} in {profile.TotalObjects.ToString("N0", CultureInfo.InvariantCulture)} {(exact ? "objects" : "samples")}"
            + (info.Unattributed > 0 ? $" ({info.Unattributed.ToString("N0", CultureInfo.InvariantCulture)} allocations without a stack left out)" : ""));
        foreach (var report in reports)
        {
            switch (report)
            {
                case ProfileReport.Summary:
                    Summary(stdout, profile, rows);
                    break;
                case ProfileReport.Table:
                    stdout.WriteLine();
                    ProfileReports.Table(stdout, profile, rows);
                    break;
                case ProfileReport.Tree:
                    stdout.WriteLine();
                    ProfileReports.Tree(stdout, profile, rows);
                    break;
                case ProfileReport.Stats:
                    stdout.WriteLine();
                    ProfileReports.Stats(stdout, profile);
                    break;
            }
        }
        stdout.WriteLine();
        if (page is not null)
            stdout.WriteLine($"Flame graph: {page}");
        stdout.WriteLine($"Speedscope (https://www.speedscope.app, offline too): {path}");
        if (TraceOf(path, info) is { } trace && File.Exists(trace))
            stdout.WriteLine($"Runtime trace (PerfView, dotnet-trace, Visual Studio): {trace}");
    }

    /// <summary>The top types and the top allocating methods (own and total).</summary>
    private static void Summary(TextWriter stdout, AllocationProfile profile, int rows)
    {
        bool exact = profile.Info.Method == ProfileMethods.Exact;
        string approx = exact ? "" : "~";
        stdout.WriteLine();
        stdout.WriteLine("Top types");
        Columns(stdout, ["Type", exact ? "Objects" : "Samples", "Bytes", "Share"], [false, true, true, true],
            ProfileSummary.TopTypes(profile, rows).Select(t => new[]
            {
                t.Type, t.Objects.ToString("N0", CultureInfo.InvariantCulture), approx + ByteSize.Format(t.Bytes), Percent(t.Share),
            }));
        stdout.WriteLine();
        stdout.WriteLine("Top allocating methods (own: allocated by the method itself; total: by it and everything it called)");
        Columns(stdout, ["Method", "Own bytes", "Own", "Total bytes", "Total"], [false, true, true, true, true],
            ProfileSummary.TopMethods(profile, rows).Select(m => new[]
            {
                m.Method, approx + ByteSize.Format(m.OwnBytes), Percent(m.OwnShare), approx + ByteSize.Format(m.TotalBytes), Percent(m.TotalShare),
            }));
        if (profile.NativeSamples.Count > 0)
        {
            stdout.WriteLine();
            RenderNative(stdout, profile.NativeView(), rows);
        }
    }

    /// <summary>The native blocks of the pass (the memory host's interposer): the native code that asked, and the managed
    /// methods that led to it.</summary>
    private static void RenderNative(TextWriter stdout, AllocationProfile native, int rows)
    {
        string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        stdout.WriteLine($"Native memory: {ByteSize.Format(native.TotalBytes)} in {N(native.TotalObjects)} blocks (malloc and friends, anonymous mappings)");
        stdout.WriteLine("Top native callers (the native code that asked for the blocks)");
        Columns(stdout, ["Native code", "Blocks", "Bytes", "Share"], [false, true, true, true],
            ProfileSummary.TopTypes(native, rows).Select(t => new[] { t.Type, N(t.Objects), ByteSize.Format(t.Bytes), Percent(t.Share) }));
        stdout.WriteLine();
        stdout.WriteLine("Top methods leading to native memory (own: the P/Invoke's caller itself; total: by it and everything it called)");
        Columns(stdout, ["Method", "Own bytes", "Own", "Total bytes", "Total"], [false, true, true, true, true],
            ProfileSummary.TopMethods(native, rows).Select(m => new[]
            {
                m.Method, ByteSize.Format(m.OwnBytes), Percent(m.OwnShare), ByteSize.Format(m.TotalBytes), Percent(m.TotalShare),
            }));
    }

    /// <summary>The runtime trace a profile names, beside it in its folder.</summary>
    private static string? TraceOf(string profilePath, ProfileInfo info) =>
        info.Trace is null ? null : Path.Combine(Path.GetDirectoryName(profilePath)!, info.Trace);

    private static string Percent(double share) => ProfileReports.Percent(share);

    private static void Columns(TextWriter stdout, string[] headers, bool[] right, IEnumerable<string[]> body) =>
        ProfileReports.Columns(stdout, headers, right, body);
}
