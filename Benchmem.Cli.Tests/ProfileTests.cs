using System.Text.RegularExpressions;
using Benchmem.Cli.Tests.Infrastructure;
using Benchmem.Core.Profiles;

namespace Benchmem.Cli.Tests;

/// <summary>
/// `benchmem profile` through the real process on profiles written by Benchmem's own writer: exact tables, --worst
/// per metric, a flame graph plotly draws in a browser, and one-line errors for every bad input.
/// </summary>
public class ProfileTests
{
    private TempDirectory _dir = null!;
    private string _folder = "";

    /// <summary>
    /// Three benchmarks, each heaviest by a different metric: Tall by peak, Wide by allocated bytes, Many by objects.
    /// Tall: Tall.Run → Tall.Grow → new System.Byte[] (3 × 1,000,000 B), Tall.Run → new System.String (10 × 100 B).
    /// </summary>
    private static AllocationProfile Make(string name, long peak, long allocated, long objects) => new(
        new ProfileInfo { FullName = name, Method = ProfileMethods.Exact, PeakBytes = peak, AllocatedBytes = allocated, Allocations = objects },
        [$"{name}.Run", $"{name}.Grow", "new System.Byte[]", "new System.String"],
        [new([0, 1, 2], 3, 3_000_000), new([0, 3], 10, 1_000)]);

    [OneTimeSetUp]
    public void WriteProfiles()
    {
        _dir = new TempDirectory();
        _folder = _dir.Folder("profiles");
        foreach (var p in new[] { Make("Suite.Tall", 9_000_000, 3_001_000, 13), Make("Suite.Wide", 2_000, 8_000_000, 13), Make("Suite.Many", 1_000, 1_000, 900) })
            SpeedscopeFile.Write(p, ProfileFolder.ProfilePath(_folder, p.Info.FullName));
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [TestCase("peak", "Suite.Tall")]
    [TestCase("allocated", "Suite.Wide")]
    [TestCase("allocations", "Suite.Many")]
    public void Worst_PicksTheHeaviestByThatMetric(string metric, string expected)
    {
        var result = Tool.Run("profile", _folder, "--worst", metric, "--no-html");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StdoutLines[0], Is.EqualTo($"Heaviest by {metric} of 3 profile(s): {expected}"));
        Assert.That(result.StdoutLines[1], Is.EqualTo($"Allocation profile of {expected}"));
    }

    [Test]
    public void Render_PrintsTheExactTables()
    {
        var result = Tool.Run("profile", _folder, "Suite.Tall", "--no-html");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.StdoutLines;
        Assert.That(lines[0], Is.EqualTo("Allocation profile of Suite.Tall"));
        Assert.That(lines[2], Is.EqualTo("  pass: peak 8.58 MiB, allocated 2.86 MiB, 13 objects; profile: 2.86 MiB in 13 objects"));
        Assert.That(Row(lines, "System.Byte[]"), Is.EqualTo(new[] { "System.Byte[]", "3", "2.86", "MiB", "100.0%" }));
        Assert.That(Row(lines, "System.String"), Is.EqualTo(new[] { "System.String", "10", "1000", "B", "0.0%" }));
        Assert.That(Row(lines, "Suite.Tall.Grow"), Is.EqualTo(new[] { "Suite.Tall.Grow", "2.86", "MiB", "100.0%", "2.86", "MiB", "100.0%" }));
        Assert.That(Row(lines, "Suite.Tall.Run"), Is.EqualTo(new[] { "Suite.Tall.Run", "1000", "B", "0.0%", "2.86", "MiB", "100.0%" }));
        Assert.That(Array.IndexOf(lines, lines.First(l => l.Contains("Suite.Tall.Grow"))), Is.LessThan(Array.IndexOf(lines, lines.First(l => l.Contains("Suite.Tall.Run  ")))),
            "the method that allocated comes first");
        Assert.That(result.Stdout, Does.Contain("Speedscope (https://www.speedscope.app, offline too): " + ProfileFolder.ProfilePath(_folder, "Suite.Tall")));
    }

    /// <summary>Native blocks (issue 19): their own tables, by the native code that asked and by the managed methods that led there.</summary>
    [Test]
    public void Render_PrintsTheNativeTables()
    {
        var folder = _dir.Folder("native");
        var profile = new AllocationProfile(
            new ProfileInfo { FullName = "Db.Fill", Method = ProfileMethods.Exact, PeakBytes = 100, AllocatedBytes = 100, Allocations = 1 },
            ["Db.Fill", "Db.Insert", "new System.Object", "native sqlite3_malloc64 (libe_sqlite3.so)", "native (managed code calling the allocator directly)"],
            [new([0, 2], 1, 100)])
        {
            NativeSamples = [new([0, 1, 3], 193, 135_080), new([0, 4], 3, 12_288)],
        };
        SpeedscopeFile.Write(profile, ProfileFolder.ProfilePath(folder, profile.Info.FullName));
        var result = Tool.Run("profile", folder, "Db.Fill", "--no-html");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.StdoutLines;
        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("Native memory: 144 KiB in 196 blocks (malloc and friends, anonymous mappings)"), result.Stdout);
            Assert.That(Row(lines, "sqlite3_malloc64"), Is.EqualTo(new[] { "sqlite3_malloc64", "(libe_sqlite3.so)", "193", "132", "KiB", "91.7%" }));
            Assert.That(Row(lines, "(managed"), Is.EqualTo(new[] { "(managed", "code", "calling", "the", "allocator", "directly)", "3", "12.0", "KiB", "8.3%" }));
            Assert.That(Row(lines, "Db.Insert"), Is.EqualTo(new[] { "Db.Insert", "132", "KiB", "91.7%", "132", "KiB", "91.7%" }));
            Assert.That(lines.Count(l => l.TrimStart().StartsWith("Db.Fill ", StringComparison.Ordinal)), Is.EqualTo(2), "in the managed and the native method tables");
        });
    }

    private static string[] Row(string[] lines, string first) =>
        lines.First(l => l.TrimStart().StartsWith(first + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void AnExactNameWinsOverOneContainingIt()
    {
        var folder = _dir.Folder("json");
        foreach (var p in new[] { Make("Json.Codec.Serialize(n: 1000)", 5_000, 5_000, 5), Make("Json.Codec.Deserialize(n: 1000)", 7_000, 7_000, 7) })
            SpeedscopeFile.Write(p, ProfileFolder.ProfilePath(folder, p.Info.FullName));
        var result = Tool.Run("profile", folder, "Serialize(n: 1000)", "--no-html");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Json.Codec.Serialize(n: 1000)"));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("Deserialize"));
    }

    [Test]
    public void NoId_ListsTheProfilesHeaviestFirst()
    {
        var result = Tool.Run("profile", _folder);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StdoutLines[0], Is.EqualTo($"3 allocation profiles in {_folder}:"));
        Assert.That(result.StdoutLines.Skip(2).Take(3).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]),
            Is.EqualTo(new[] { "Suite.Tall", "Suite.Wide", "Suite.Many" }));
        Assert.That(result.StdoutLines[^1], Does.StartWith($"Render one with: benchmem profile {_folder} ID"));
    }

    [Test]
    public void FlameGraph_IsDrawnOfflineWithoutScriptErrors()
    {
        var page = _dir.File("flame.html");
        var result = Tool.Run("profile", _folder, "Tall", "--html", page);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain($"Flame graph: {page}"));
        string dom = Chromium.DumpDom(page);
        Assert.That(dom, Does.Contain("data-benchmem-rendered=\"true\""), "Plotly.newPlot resolved");
        Assert.That(Regex.Match(dom, "<pre id=\"benchmem-errors\"[^>]*>(?<text>.*?)</pre>", RegexOptions.Singleline).Groups["text"].Value, Is.Empty);
        // root, Run, Grow, byte[], string: one box each
        Assert.That(Regex.Matches(dom, "class=\"slice cursor-pointer\"").Count, Is.EqualTo(5), dom.Length.ToString());
        Assert.That(dom, Does.Contain("Suite.Tall.Grow"));
        // plotly.js inlined gzipped (the page was 3.6 MB with it as text), the page as wide as a 900 px window.
        Assert.That(new FileInfo(page).Length, Is.InRange(1_400_000, 1_500_000));
        string wide = Chromium.DumpDom(page, (900, 700));
        Assert.That(Regex.Match(wide, "<svg class=\"main-svg\"[^>]*width=\"(?<w>\\d+)\"").Groups["w"].Value, Is.EqualTo("900"));
        Assert.That(Regex.Matches(wide, "class=\"slice cursor-pointer\"").Count, Is.EqualTo(5));
    }


    /// <summary>--report: each view's numbers summed by hand from Tall's two samples (3 × 1,000,000 B under Run → Grow, 10 × 100 B under Run).</summary>
    [Test]
    public void Report_Table_Tree_And_Stats_Print_The_Profiles_Own_Sums()
    {
        var page = ProfileFolder.ProfilePath(_folder, "Suite.Tall")[..^SpeedscopeFile.Extension.Length] + ".flame.html";
        File.Delete(page);
        var result = Tool.Run("profile", _folder, "Tall", "--report", "table,tree", "--report", "stats");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.StdoutLines;
        Assert.That(File.Exists(page), Is.False, "no flamegraph asked for: no page written");
        Assert.That(lines, Has.None.StartsWith("Top types"), "no summary asked for");
        Assert.That(lines, Has.None.StartsWith("Flame graph:"));

        int table = Array.IndexOf(lines, "Allocation sites (2 of 2, by bytes)");
        Assert.That(lines.Skip(table + 1).Take(3).Select(l => Regex.Split(l.Trim(), @"\s{2,}")), Is.EqualTo(new[]
        {
            new[] { "Method", "Type", "Objects", "Bytes", "Share" },
            new[] { "Suite.Tall.Grow", "System.Byte[]", "3", "2.86 MiB", "100.0%" },
            new[] { "Suite.Tall.Run", "System.String", "10", "1000 B", "0.0%" },
        }));

        int tree = Array.IndexOf(lines, "Call tree (bytes allocated under each frame; at most 10 children per frame)");
        Assert.That(lines.Skip(tree + 1).Take(4), Is.EqualTo(new[]
        {
            "  2.86 MiB  100.0%  Suite.Tall.Run",
            "  ├─ 2.86 MiB  100.0%  Suite.Tall.Grow",
            "  │  └─ 2.86 MiB  100.0%  new System.Byte[] (3 objects)",
            "  └─ 1000 B  0.0%  new System.String (10 objects)",
        }));

        int stats = Array.IndexOf(lines, "Profile statistics (exact)");
        Assert.That(new[] { table, tree, stats }, Has.None.EqualTo(-1), result.ToString());
        var rows = lines.Skip(stats + 2).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => Regex.Split(l.Trim(), @"\s{2,}")).ToDictionary(r => r[0], r => r[1]);
        Assert.That(rows, Is.EqualTo(new Dictionary<string, string>
        {
            ["Profiled bytes"] = "2.86 MiB (3,001,000 B)",
            ["Objects"] = "13",
            ["Mean object size"] = "225 KiB", // 3,001,000 / 13 = 230,846 B
            ["Types"] = "2",
            ["Allocating sites (method × type)"] = "2",
            ["Methods on the stacks"] = "2",
            ["Distinct stacks"] = "2",
            ["Deepest stack (frames)"] = "2",
            ["Pass: peak"] = "8.58 MiB",
            ["Pass: allocated"] = "2.86 MiB",
            ["Pass: objects"] = "13",
            ["Profile / pass allocated"] = "100.0%",
        }));
        // Sections in the order asked for.
        Assert.That(table, Is.LessThan(tree));
        Assert.That(tree, Is.LessThan(stats));

        // --top folds a frame's smaller children into one line with their sum.
        var folded = Tool.Run("profile", _folder, "Tall", "--report", "tree", "--top", "1");
        Assert.That(folded.StdoutLines.SkipWhile(l => !l.StartsWith("Call tree", StringComparison.Ordinal)).Skip(1).Take(4), Is.EqualTo(new[]
        {
            "  2.86 MiB  100.0%  Suite.Tall.Run",
            "  ├─ 2.86 MiB  100.0%  Suite.Tall.Grow",
            "  │  └─ 2.86 MiB  100.0%  new System.Byte[] (3 objects)",
            "  └─ … 1 more: 1000 B  0.0%",
        }), folded.ToString());

        // summary and flamegraph: the default pair, asked for by name.
        var both = Tool.Run("profile", _folder, "Tall", "--report", "flamegraph,summary");
        Assert.That(both.ExitCode, Is.Zero, both.ToString());
        Assert.That(both.StdoutLines, Does.Contain("Top types").And.Contain($"Flame graph: {page}"));
        Assert.That(File.Exists(page), Is.True);
    }

    [Test]
    public void Errors_AreOneLineNamingTheInputAndTheFix()
    {
        Expect(Tool.Run("profile", _folder, "Tall", "--report", "graph"), "benchmem: --report 'graph' is not a report; use one or more of summary, flamegraph, table, tree, stats (e.g. --report tree,stats).");
        Expect(Tool.Run("profile", _folder, "Tall", "--report", "flamegraph", "--no-html"), "benchmem: --report flamegraph and --no-html contradict each other; drop one of them.");
        var missing = _dir.File("nowhere");
        Expect(Tool.Run("profile", missing), $"benchmem: profile folder {missing} does not exist: run the tests with Benchmem.Profile={missing} (or [BenchMem(Profile = true)]) first.");
        var empty = _dir.Folder("empty");
        Expect(Tool.Run("profile", empty), $"benchmem: profile folder {empty} holds no profiles (*.speedscope.json): run the tests with Benchmem.Profile={empty} (or [BenchMem(Profile = true)]) first.");
        Expect(Tool.Run("profile", _folder, "--worst", "time"), "benchmem: --worst 'time' is not a metric; use --worst peak, --worst allocated or --worst allocations.");
        Expect(Tool.Run("profile", _folder, "Tall", "--worst", "peak"), "benchmem: give either an ID ('Tall') or --worst peak, not both.");
        Expect(Tool.Run("profile", _folder, "Suite.", "--no-html"), "benchmem: 'Suite.' matches 3 profiles; give more of the name: Suite.Many Suite.Tall Suite.Wide");
        Expect(Tool.Run("profile", _folder, "Parse"), "benchmem: no profile matches 'Parse'; the folder holds: Suite.Many Suite.Tall Suite.Wide");
        Expect(Tool.Run("profile", _folder, "Tall", "--top", "0"), "benchmem: --top 0 is out of range; give a number of rows from 1 to 1000.");
        Expect(Tool.Run("profile", _folder, "Tall", "--html", _folder), $"benchmem: --html '{_folder}' is a folder; give the page's file path, e.g. --html flame.html.");
        var damaged = _dir.Folder("damaged");
        File.WriteAllText(Path.Combine(damaged, "x.speedscope.json"), "{\"$schema\":");
        var result = Tool.Run("profile", damaged);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.StderrLines[0], Does.Contain("x.speedscope.json is not valid JSON").And.Contain("take the profile again"));
    }

    private static void Expect(CliResult result, string error)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Is.EqualTo(new[] { error }));
    }
}
