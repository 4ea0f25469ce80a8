using System.CommandLine;
using System.Globalization;
using Benchmem.Cli.Profile;
using Benchmem.Core.Profiles;
using Benchmem.Core.Results;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Commands;

/// <summary>
/// <c>benchmem profile DIR [ID | --worst peak|allocated|allocations] [--report summary|flamegraph|table|tree|stats…] [--top N]
/// [--html FILE | --no-html] [--at-peak | --leaks | --temporary] [--timeline]</c>, and <c>benchmem profile --diff BASE_DIR HEAD_DIR [ID]</c>.
/// </summary>
public static class ProfileCommand
{
    private static readonly string[] WorstMetrics = ["peak", "allocated", "allocations"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string?>("DIR")
        {
            Description = "The profile folder the test run wrote (Benchmem.Profile, or BenchmarkResults/profiles). With --diff: the benchmark's ID, if any.",
            Arity = ArgumentArity.ZeroOrOne,
        };
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
        var atPeak = new Option<bool>("--at-peak") { Description = "What was live at the true peak, by type and allocation stack (who held the high-water)." };
        var leaks = new Option<bool>("--leaks") { Description = "What the pass allocated and still held after it, the result dropped (adds up to retained)." };
        var temporary = new Option<bool>("--temporary") { Description = "What the pass allocated and let die within it: the churn allocated sees and peak does not." };
        var diff = new Option<string[]>("--diff")
        {
            Description = "Compare two runs' profiles of a benchmark per (type, stack): growth, new and vanished stacks, and a red/blue flame graph.",
            HelpName = "BASE_DIR HEAD_DIR",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var timeline = new Option<bool>("--timeline") { Description = "Plot the pass's live bytes against the bytes it allocated, GC by GC." };
        var command = new Command("profile", "Show where a benchmark's memory went: top types and allocating methods, and an offline flame graph.")
        {
            folder, id, worst, report, top, html, noHtml, atPeak, leaks, temporary, diff, timeline,
        };
        command.SetAction(parse =>
        {
            var views = new[] { (atPeak, ProfileView.AtPeak), (leaks, ProfileView.Leaks), (temporary, ProfileView.Temporary) }
                .Where(v => parse.GetValue(v.Item1)).Select(v => v.Item2).ToList();
            if (views.Count > 1)
                throw new UsageException($"{string.Join(" and ", views.Select(ProfileViews.Option))} are different views of a profile; give one of them.");
            var view = views.Count == 1 ? views[0] : ProfileView.Allocated;
            if (parse.GetValue(diff) is { Length: 2 } pair)
                return Diff(stdout, pair[0], pair[1], parse.GetValue(folder), parse.GetValue(id), view, parse, top, html, noHtml, worst, timeline);
            var dir = parse.GetValue(folder)
                ?? throw new UsageException("give the profile folder: benchmem profile DIR [ID] (or benchmem profile --diff BASE_DIR HEAD_DIR [ID]).");
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
            if (parse.GetValue(timeline))
                return Timeline(stdout, chosen.Path, chosen.Profile, parse.GetValue(html), parse.GetValue(noHtml), view);
            var shown = ProfileViews.Of(chosen.Profile, view, chosen.Path);
            string suffix = view == ProfileView.Allocated ? ".flame.html" : $".{ProfileViews.Option(view)[2..]}.flame.html";
            string? page = !reports.Contains(ProfileReport.Flamegraph) ? null
                : parse.GetValue(html) ?? Path.Combine(Path.GetDirectoryName(chosen.Path)!, Stem(chosen.Path) + suffix);
            if (page is not null)
            {
                CheckPage(page);
                AtomicFile.Write(page, stream => FlameGraph.Write(shown, stream));
            }
            Render(stdout, chosen.Path, shown, rows, page, reports, view);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The view's total against the pass number it must add up to.</summary>
    private static string ViewLine(AllocationProfile shown, ProfileView view)
    {
        var info = shown.Info;
        string total = $"{ByteSize.Format(shown.TotalBytes)} in {shown.TotalObjects.ToString("N0", CultureInfo.InvariantCulture)} objects";
        return view switch
        {
            ProfileView.AtPeak => $"live at the peak's own GC: {total} (the pass's peak: {ByteSize.Format(info.PeakBytes)}"
                                  + (info.PeakBoundBytes > 0 ? $", at most {ByteSize.Format(info.PeakBoundBytes)} more" : "") + ")",
            ProfileView.Leaks => $"still live after the pass, the result dropped: {total} (the pass's retained: {ByteSize.Format(info.RetainedBytes)})",
            _ => $"allocated and dead within the pass: {total} (of {ByteSize.Format(info.AllocatedBytes)} allocated)",
        };
    }

    private static string Stem(string profilePath) => Path.GetFileName(profilePath)[..^SpeedscopeFile.Extension.Length];

    private static void CheckPage(string page)
    {
        if (Directory.Exists(page))
            throw new UsageException($"--html '{page}' is a folder; give the page's file path, e.g. --html flame.html.");
    }

    /// <summary><c>--timeline</c>: the pass's GCs as a table and a plot of live bytes against bytes allocated.</summary>
    private static int Timeline(TextWriter stdout, string path, AllocationProfile profile, string? html, bool noHtml, ProfileView view)
    {
        if (view != ProfileView.Allocated)
            throw new UsageException($"--timeline shows the whole pass; drop {ProfileViews.Option(view)} (or drop --timeline for that view's tables).");
        var atPeak = ProfileViews.Of(profile, ProfileView.AtPeak, path); // says why when the profile followed no objects
        var info = profile.Info;
        stdout.WriteLine($"Memory over the pass of {info.FullName}: {info.Timeline.Count} GCs (live: the pass's objects after each; exact after a full GC, an upper bound after a partial one)");
        Columns(stdout, ["GC", "Kind", "Allocated", "Live", ""], [true, false, true, true, false],
            info.Timeline.Select((p, i) => new[]
            {
                (i + 1).ToString(CultureInfo.InvariantCulture), p.Full ? "full" : "partial", ByteSize.Format(p.AllocatedBytes),
                (p.Full ? "" : "≤ ") + ByteSize.Format(p.LiveBytes), p.InWindow ? "" : "after the calls, the result dropped",
            }));
        stdout.WriteLine($"  live at the peak: {ByteSize.Format(atPeak.TotalBytes)}; allocated in all: {ByteSize.Format(profile.TotalBytes)}");
        if (!noHtml)
        {
            var page = html ?? Path.Combine(Path.GetDirectoryName(path)!, Stem(path) + ".timeline.html");
            CheckPage(page);
            AtomicFile.Write(page, stream => TimelinePlot.Write(profile, atPeak.TotalBytes, stream));
            stdout.WriteLine($"Timeline: {page}");
        }
        return ExitCodes.Ok;
    }

    /// <summary><c>--diff BASE_DIR HEAD_DIR [ID]</c>: the head run's profile against the base run's of the same benchmark.</summary>
    private static int Diff(TextWriter stdout, string baseDir, string headDir, string? name, string? extra, ProfileView view, ParseResult parse,
        Option<int> top, Option<string?> html, Option<bool> noHtml, Option<string?> worst, Option<bool> timeline)
    {
        if (extra is not null)
            throw new UsageException($"--diff takes BASE_DIR HEAD_DIR and at most one ID; '{extra}' is one too many (benchmem profile --diff BASE_DIR HEAD_DIR [ID]).");
        if (parse.GetValue(worst) is { } metric)
            throw new UsageException($"--worst {metric} picks a profile in one folder; with --diff give the benchmark's ID instead.");
        if (parse.GetValue(timeline))
            throw new UsageException("--timeline plots one pass; drop --diff, or drop --timeline.");
        int rows = parse.GetValue(top);
        if (rows is < 1 or > 1000)
            throw new UsageException($"--top {rows.ToString(CultureInfo.InvariantCulture)} is out of range; give a number of rows from 1 to 1000.");
        if (parse.GetValue(noHtml) && parse.GetValue(html) is not null)
            throw new UsageException("--html and --no-html contradict each other; drop one of them.");
        var heads = ProfileFolder.Load(headDir);
        var bases = ProfileFolder.Load(baseDir);
        (string Path, AllocationProfile Profile) head;
        if (name is not null)
            head = ProfileFolder.Find(heads, name);
        else if (heads.Count == 1)
            head = heads[0];
        else
        {
            List(stdout, headDir, heads);
            stdout.WriteLine($"Diff one with: benchmem profile --diff {baseDir} {headDir} ID");
            return ExitCodes.Ok;
        }
        var fullName = head.Profile.Info.FullName;
        var baseMatch = bases.Where(p => p.Profile.Info.FullName == fullName).ToList();
        if (baseMatch.Count == 0)
            throw new UsageException($"{baseDir} holds no profile of {fullName} (its profiles: {string.Join(", ", bases.Select(p => p.Profile.Info.FullName))}); "
                + "profile the base run with the same benchmark (Benchmem.Profile=DIR).");
        var based = baseMatch[0];
        if (based.Profile.Info.SamplesInTrace)
            based = (based.Path, FillFromTrace(based.Path, based.Profile.Info));
        if (head.Profile.Info.SamplesInTrace)
            head = (head.Path, FillFromTrace(head.Path, head.Profile.Info));
        var b = ProfileViews.Of(based.Profile, view, based.Path);
        var h = ProfileViews.Of(head.Profile, view, head.Path);
        var diffRows = ProfileDiff.Rows(b, h);
        bool exact = b.Info.Method == ProfileMethods.Exact && h.Info.Method == ProfileMethods.Exact;
        string approx = exact ? "" : "~";
        stdout.WriteLine($"Profile diff of {fullName}{(view == ProfileView.Allocated ? "" : ": " + ProfileViews.Describe(view))}");
        stdout.WriteLine($"  base {based.Path}: {approx}{ByteSize.Format(b.TotalBytes)} in {b.TotalObjects.ToString("N0", CultureInfo.InvariantCulture)} objects");
        stdout.WriteLine($"  head {head.Path}: {approx}{ByteSize.Format(h.TotalBytes)} in {h.TotalObjects.ToString("N0", CultureInfo.InvariantCulture)} objects");
        long delta = h.TotalBytes - b.TotalBytes;
        stdout.WriteLine($"  change: {(delta < 0 ? "-" : "+")}{approx}{ByteSize.Format(Math.Abs(delta))}; {diffRows.Count} (type, stack) changed: "
            + $"{diffRows.Count(r => r.Status == DiffStatus.New)} new, {diffRows.Count(r => r.Status == DiffStatus.Vanished)} gone, "
            + $"{diffRows.Count(r => r.Status == DiffStatus.Grew)} grew, {diffRows.Count(r => r.Status == DiffStatus.Shrank)} shrank");
        stdout.WriteLine();
        Columns(stdout, ["Bytes", "Objects", "Base", "Head", "Status", "Type", "Stack (innermost first)"], [true, true, true, true, false, false, false],
            diffRows.Take(rows).Select(r => new[]
            {
                (r.DeltaBytes < 0 ? "-" : "+") + approx + ByteSize.Format(Math.Abs(r.DeltaBytes)),
                (r.DeltaObjects < 0 ? "-" : "+") + Math.Abs(r.DeltaObjects).ToString("N0", CultureInfo.InvariantCulture),
                approx + ByteSize.Format(r.BaseBytes), approx + ByteSize.Format(r.HeadBytes),
                r.Status switch { DiffStatus.New => "new", DiffStatus.Vanished => "gone", DiffStatus.Grew => "grew", _ => "shrank" },
                r.Type, string.Join(" ← ", r.Stack.Reverse()),
            }));
        stdout.WriteLine();
        if (!parse.GetValue(noHtml))
        {
            string suffix = view == ProfileView.Allocated ? ".diff.html" : $".{ProfileViews.Option(view)[2..]}.diff.html";
            var page = parse.GetValue(html) ?? Path.Combine(Path.GetDirectoryName(head.Path)!, Stem(head.Path) + suffix);
            CheckPage(page);
            AtomicFile.Write(page, stream => DiffFlameGraph.Write(b, h, $"Profile diff of {fullName}", stream));
            stdout.WriteLine($"Differential flame graph (red grew, blue shrank): {page}");
        }
        return ExitCodes.Ok;
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

    private static void Render(TextWriter stdout, string path, AllocationProfile profile, int rows, string? page, IReadOnlyList<ProfileReport> reports,
        ProfileView view = ProfileView.Allocated)
    {
        var info = profile.Info;
        bool exact = info.Method == ProfileMethods.Exact;
        string approx = exact ? "" : "~";
        stdout.WriteLine(view == ProfileView.Allocated ? $"Allocation profile of {info.FullName}" : $"Allocation profile of {info.FullName}: {ProfileViews.Describe(view)}");
        stdout.WriteLine(exact
            ? "  exact: every allocation of one pass, with its call stack (the memory host's profiler)"
            : "  sampled: the runtime's allocation events (one per ~100 KB allocated, charged to the allocation that crossed it); sizes and shares are estimates");
        stdout.WriteLine($"  pass: peak {ByteSize.Format(info.PeakBytes)}, allocated {ByteSize.Format(info.AllocatedBytes)}"
            + (info.Allocations is { } n ? $", {n.ToString("N0", CultureInfo.InvariantCulture)} objects" : "")
            + $"; profile: {approx}{ByteSize.Format(profile.TotalBytes)} in {profile.TotalObjects.ToString("N0", CultureInfo.InvariantCulture)} {(exact ? "objects" : "samples")}"
            + (info.Unattributed > 0 ? $" ({info.Unattributed.ToString("N0", CultureInfo.InvariantCulture)} allocations without a stack left out)" : ""));
        if (view != ProfileView.Allocated)
            stdout.WriteLine("  " + ViewLine(profile, view));
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
