using System.Text.RegularExpressions;
using Benchmem.Cli.Tests.Infrastructure;
using Benchmem.Core.Profiles;

namespace Benchmem.Cli.Tests;

/// <summary>
/// `benchmem profile` views (--at-peak, --leaks, --temporary), --timeline and --diff through the real process, on
/// profiles written by Benchmem's own writer with known numbers: each table row and total is the arithmetic of the
/// samples below, and the pages are drawn by plotly in headless Chromium.
/// </summary>
public class ProfileViewTests
{
    private TempDirectory _dir = null!;
    private string _views = "", _base = "", _head = "";

    /// <summary>
    /// Held.Run: a 1,000,000 B byte[] held to the end (live at the peak, not leaked), 1,000 strings of 100 B that die
    /// (temporary), 10 Leak objects of 24 B kept in a static (live at the peak and leaked: retained 240 B).
    /// </summary>
    private static AllocationProfile Held(bool tracked) => new(
        new ProfileInfo
        {
            FullName = "Suite.Held", Method = ProfileMethods.Exact, PeakBytes = 1_000_340, PeakBoundBytes = 0, AllocatedBytes = 1_100_240,
            Allocations = 1_011, RetainedBytes = 240, Tracked = tracked,
            Timeline = tracked ? [new(50_000, 1_000_100, false, true), new(1_100_240, 1_000_340, true, true), new(1_100_240, 240, true, false)] : [],
        },
        ["Suite.Held.Run", "Suite.Held.Fill", "new System.Byte[]", "new System.String", "new Leak"],
        [
            new([0, 2], 1, 1_000_000) { Live = tracked ? new(1, 1_000_000, 1, 1_000_000, 0, 0) : null },
            new([0, 1, 3], 1_000, 100_000) { Live = tracked ? new(1, 100, 0, 0, 0, 0) : null },
            new([0, 1, 4], 10, 240) { Live = tracked ? new(10, 240, 10, 240, 10, 240) : null },
        ]);

    /// <summary>The KdTree story: the head run added one allocation site (a Comparison per sort) and more nodes, and lost a string.</summary>
    private static AllocationProfile Tree(bool head) => new(
        new ProfileInfo { FullName = "Suite.Build", Method = ProfileMethods.Exact, PeakBytes = 1, AllocatedBytes = 1 },
        ["Suite.Build", "KdTree.Build", "System.Collections.Generic.ArraySortHelper<Point>.Sort", "new Point[]", "new System.Comparison<Point>", "new KdNode", "new System.String"],
        head
            ? [new([0, 1, 3], 10, 10_000), new([0, 1, 5], 200, 6_400), new([0, 1, 2, 4], 2_048, 65_536)]
            : [new([0, 1, 3], 10, 10_000), new([0, 1, 5], 100, 3_200), new([0, 6], 5, 500)]);

    [OneTimeSetUp]
    public void WriteProfiles()
    {
        _dir = new TempDirectory();
        _views = _dir.Folder("views");
        SpeedscopeFile.Write(Held(tracked: true), ProfileFolder.ProfilePath(_views, "Suite.Held"));
        var untracked = Held(tracked: false) with { Info = Held(false).Info with { FullName = "Suite.Untracked" } };
        SpeedscopeFile.Write(untracked, ProfileFolder.ProfilePath(_views, "Suite.Untracked"));
        _base = _dir.Folder("base");
        _head = _dir.Folder("head");
        SpeedscopeFile.Write(Tree(head: false), ProfileFolder.ProfilePath(_base, "Suite.Build"));
        SpeedscopeFile.Write(Tree(head: true), ProfileFolder.ProfilePath(_head, "Suite.Build"));
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static string[] Row(string[] lines, string first) =>
        lines.First(l => l.TrimStart().StartsWith(first + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void AtPeak_ShowsWhatWasLiveThenAndAddsUpToThePeak()
    {
        var result = Tool.Run("profile", _views, "Suite.Held", "--at-peak", "--no-html");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.StdoutLines;
        Assert.That(lines[0], Is.EqualTo("Allocation profile of Suite.Held: live at the peak"));
        Assert.That(lines[3], Is.EqualTo("  live at the peak's own GC: 977 KiB in 12 objects (the pass's peak: 977 KiB)"));
        Assert.That(Row(lines, "System.Byte[]")[1], Is.EqualTo("1"));
        Assert.That(Row(lines, "System.String")[1..3], Is.EqualTo(new[] { "1", "100" }), "one string was live at the peak, not the thousand");
        Assert.That(Row(lines, "Leak")[1..3], Is.EqualTo(new[] { "10", "240" }));
    }

    [Test]
    public void Leaks_AddUpToRetainedAndTemporaryIsTheChurn()
    {
        var leaks = Tool.Run("profile", _views, "Suite.Held", "--leaks", "--no-html");
        Assert.That(leaks.ExitCode, Is.Zero, leaks.ToString());
        Assert.That(leaks.StdoutLines[3], Is.EqualTo("  still live after the pass, the result dropped: 240 B in 10 objects (the pass's retained: 240 B)"));
        Assert.That(leaks.Stdout, Does.Not.Contain("System.Byte[]").And.Not.Contain("System.String"));
        Assert.That(Row(leaks.StdoutLines, "Suite.Held.Fill"), Is.EqualTo(new[] { "Suite.Held.Fill", "240", "B", "100.0%", "240", "B", "100.0%" }), "names the leaking method");
        var temporary = Tool.Run("profile", _views, "Suite.Held", "--temporary", "--no-html");
        Assert.That(temporary.ExitCode, Is.Zero, temporary.ToString());
        Assert.That(temporary.StdoutLines[3], Is.EqualTo("  allocated and dead within the pass: 97.7 KiB in 1,000 objects (of 1.05 MiB allocated)"));
        Assert.That(Row(temporary.StdoutLines, "System.String")[1], Is.EqualTo("1,000"));
        Assert.That(temporary.Stdout, Does.Not.Contain("System.Byte[]").And.Not.Contain("Leak "));
    }

    [Test]
    public void AtPeakFlameGraph_IsDrawnOfTheLiveSet()
    {
        var result = Tool.Run("profile", _views, "Suite.Held", "--at-peak");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var page = Path.Combine(_views, ProfileFolder.Stem("Suite.Held") + ".at-peak.flame.html");
        Assert.That(result.Stdout, Does.Contain($"Flame graph: {page}"));
        string dom = Chromium.DumpDom(page);
        Assert.That(dom, Does.Contain("data-benchmem-rendered=\"true\""));
        // root, Run, byte[], Fill, String, Leak
        Assert.That(Regex.Matches(dom, "class=\"slice cursor-pointer\"").Count, Is.EqualTo(6));
    }

    [Test]
    public void Timeline_PrintsTheGcsAndPlotsLiveAgainstAllocated()
    {
        var result = Tool.Run("profile", _views, "Suite.Held", "--timeline");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.StdoutLines;
        Assert.That(lines[0], Does.StartWith("Memory over the pass of Suite.Held: 3 GCs"));
        Assert.That(Row(lines, "1"), Is.EqualTo(new[] { "1", "partial", "48.8", "KiB", "≤", "977", "KiB" }));
        Assert.That(Row(lines, "3"), Is.EqualTo(new[] { "3", "full", "1.05", "MiB", "240", "B", "after", "the", "calls,", "the", "result", "dropped" }));
        var page = Path.Combine(_views, ProfileFolder.Stem("Suite.Held") + ".timeline.html");
        Assert.That(lines[^1], Is.EqualTo($"Timeline: {page}"));
        string dom = Chromium.DumpDom(page);
        Assert.That(dom, Does.Contain("data-benchmem-rendered=\"true\""));
        Assert.That(Regex.Match(dom, "<pre id=\"benchmem-errors\"[^>]*>(?<text>.*?)</pre>", RegexOptions.Singleline).Groups["text"].Value, Is.Empty);
        Assert.That(Regex.Matches(dom, "class=\"point\"").Count, Is.EqualTo(3 + 2), "every GC, and the full ones again");
    }

    [Test]
    public void Diff_NamesTheNewStackTheGrowthAndTheGoneStack()
    {
        var result = Tool.Run("profile", "--diff", _base, _head, "--no-html");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.StdoutLines;
        Assert.That(lines[0], Is.EqualTo("Profile diff of Suite.Build"));
        Assert.That(lines[3], Is.EqualTo("  change: +66.6 KiB; 3 (type, stack) changed: 1 new, 1 gone, 1 grew, 0 shrank"));
        var body = lines.SkipWhile(l => !l.TrimStart().StartsWith("Bytes", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.That(body.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(c => string.Join(" ", c)), Is.EqualTo(new[]
        {
            "+64.0 KiB +2,048 0 B 64.0 KiB new System.Comparison<Point> System.Collections.Generic.ArraySortHelper<Point>.Sort ← KdTree.Build ← Suite.Build",
            "+3.12 KiB +100 3.12 KiB 6.25 KiB grew KdNode KdTree.Build ← Suite.Build",
            "-500 B -5 500 B 0 B gone System.String Suite.Build",
        }));
        var rows = ProfileDiff.Rows(SpeedscopeFile.Read(ProfileFolder.ProfilePath(_base, "Suite.Build")), SpeedscopeFile.Read(ProfileFolder.ProfilePath(_head, "Suite.Build")));
        Assert.That(ProfileDiff.Describe(rows[0]), Is.EqualTo("+2,048 × Comparison<Point> (+64.0 KiB) from ArraySortHelper.Sort ← KdTree.Build (new stack)"));
        Assert.That(ProfileDiff.Describe(rows[1]), Is.EqualTo("+100 × KdNode (+3.12 KiB) from KdTree.Build ← Suite.Build (was 100 objects, 3.12 KiB)"));
        Assert.That(ProfileDiff.Describe(rows[2]), Is.EqualTo("-5 × String (-500 B) from Suite.Build (stack gone)"));
    }

    [Test]
    public void DiffFlameGraph_IsRedWhereItGrewAndBlueWhereItShrank()
    {
        var page = _dir.File("diff.html");
        var result = Tool.Run("profile", "--diff", _base, _head, "Build", "--html", page);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StdoutLines[^1], Is.EqualTo($"Differential flame graph (red grew, blue shrank): {page}"));
        string dom = Chromium.DumpDom(page);
        Assert.That(dom, Does.Contain("data-benchmem-rendered=\"true\""));
        Assert.That(Regex.Match(dom, "<pre id=\"benchmem-errors\"[^>]*>(?<text>.*?)</pre>", RegexOptions.Singleline).Groups["text"].Value, Is.Empty);
        // root, Build, KdTree.Build, Point[], KdNode, Sort, Comparison, String (gone: drawn at its base width)
        Assert.That(Regex.Matches(dom, "class=\"slice cursor-pointer\"").Count, Is.EqualTo(8));
        Assert.That(dom, Does.Contain("rgb(255, 0, 0)"), "the largest growth (the new Comparison stack) is full red");
        Assert.That(dom, Does.Contain("rgb(253, 253, 255)").Or.Contain("rgb(254, 254, 255)"), "the gone string: pale blue (500 B of a 65,536 B scale)");
    }

    [Test]
    public void Errors_NameTheInputAndTheFix()
    {
        var untracked = ProfileFolder.ProfilePath(_views, "Suite.Untracked");
        Expect(Tool.Run("profile", _views, "Suite.Untracked", "--at-peak"),
            $"benchmem: --at-peak needs a profile whose objects were followed through the pass, but {untracked} is not one: it was taken without object tracking "
            + "(an older Benchmem, or a profiler without the GC callbacks). Take the profile again in the memory host (Benchmem.MemoryHost=true with Benchmem.Profile=DIR) with this Benchmem.");
        Expect(Tool.Run("profile", _views, "Suite.Held", "--at-peak", "--leaks"), "benchmem: --at-peak and --leaks are different views of a profile; give one of them.");
        Expect(Tool.Run("profile", _views, "Suite.Held", "--timeline", "--leaks"), "benchmem: --timeline shows the whole pass; drop --leaks (or drop --timeline for that view's tables).");
        Expect(Tool.Run("profile", "--diff", _views, _head, "Build"),
            $"benchmem: {_views} holds no profile of Suite.Build (its profiles: Suite.Held, Suite.Untracked); profile the base run with the same benchmark (Benchmem.Profile=DIR).");
        Expect(Tool.Run("profile", "--diff", _base, _head, "Build", "More"),
            "benchmem: --diff takes BASE_DIR HEAD_DIR and at most one ID; 'More' is one too many (benchmem profile --diff BASE_DIR HEAD_DIR [ID]).");
        Expect(Tool.Run("profile"), "benchmem: give the profile folder: benchmem profile DIR [ID] (or benchmem profile --diff BASE_DIR HEAD_DIR [ID]).");
        var missing = _dir.File("nowhere");
        Expect(Tool.Run("profile", "--diff", missing, _head), $"benchmem: profile folder {missing} does not exist: run the tests with Benchmem.Profile={missing} (or [BenchMem(Profile = true)]) first.");
    }

    private static void Expect(CliResult result, string error)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Is.EqualTo(new[] { error }));
    }
}
