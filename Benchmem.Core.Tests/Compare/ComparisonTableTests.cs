using System.Text.RegularExpressions;
using Benchmem.Core.Compare;
using Benchmem.Core.Results;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Compare;

public class ComparisonTableTests : CompareFixture
{
    private static BenchmarkRecord Sort(long n, double ns, long peak, long allocations) =>
        Record("SortBenchmarks", "Sort", dims: [("n", n)], group: "sort",
            time: [ns * 0.99, ns, ns * 1.01, ns * 1.05, ns * 0.98], allocatedPerOp: peak,
            passes: [Pass(peak + 100, allocations: allocations), Pass(peak, allocations: allocations)]);

    private static BenchmarkRecord Parse(double ns, long allocated) =>
        Record("JsonBenchmarks", "Parse", dims: [("size", "small")], group: "parsing", time: [ns, ns * 1.1, ns * 0.9], allocatedPerOp: allocated);

    /// <summary>main and branch: three sizes of a sort that got slower and bigger, a timing-only parse that got
    /// faster, and a benchmark on each side only.</summary>
    private (string, BenchmarkRun)[] TwoRuns() =>
    [
        ("main", Save(Dir, "main",
            Sort(1000, 9_683, 4_116, 3), Sort(10_000, 125_407, 40_024, 3), Sort(100_000, 1_648_662, 400_024, 3),
            Parse(512.3, 240),
            Record("LegacyBenchmarks", "Old", time: [100, 101, 99], allocatedPerOp: 0))),
        ("branch", Save(Dir, "branch",
            Sort(1000, 10_100, 8_212, 4), Sort(10_000, 120_000, 80_024, 4), Sort(100_000, 1_700_000, 800_024, 4),
            Parse(480.1, 240),
            Record("FreshBenchmarks", "New", time: [50, 51, 49], allocatedPerOp: 0, passes: [Pass(0, allocations: 0)]))),
    ];

    private (string, BenchmarkRun)[] ThreeRuns() =>
    [
        .. TwoRuns(),
        ("next", Save(Dir, "next",
            Sort(1000, 9_000, 4_116, 3), Sort(10_000, 250_000, 40_024, 3), Sort(100_000, 1_600_000, 200_024, 2),
            Parse(1024.6, 480))),
    ];

    [Test]
    public void Text() =>
        CompareGolden.AssertMatches(ComparisonTable.Render(TwoRuns(), new TableOptions()), "Text.txt");

    [Test]
    public void Markdown() =>
        CompareGolden.AssertMatches(ComparisonTable.Render(TwoRuns(), new TableOptions { Format = TableFormat.Markdown }), "Markdown.md");

    [Test]
    public void Csv()
    {
        string csv = ComparisonTable.Render(TwoRuns(), new TableOptions { Format = TableFormat.Csv });
        Assert.That(csv.Replace("\r\n", ""), Does.Not.Contain('\n'), "RFC 4180: every record ends with CRLF");
        CompareGolden.AssertMatches(csv, "Csv.csv");
    }

    [Test]
    public void DiffOfThreeRunsSortedByChange() =>
        CompareGolden.AssertMatches(ComparisonTable.Render(ThreeRuns(), new TableOptions { Diff = true, Sort = TableSort.Change }), "DiffByChange.txt");

    [Test]
    public void GroupedByGroupWithAllTimeStatsSortedByValue() =>
        CompareGolden.AssertMatches(ComparisonTable.Render(ThreeRuns(), new TableOptions
        {
            GroupBy = "group", Stat = TableStat.All, Sort = TableSort.Value, Columns = [MetricField.Time, MetricField.Allocations],
        }), "GroupedAllStats.txt");

    [Test]
    public void PivotAlongADim() =>
        CompareGolden.AssertMatches(ComparisonTable.Render(TwoRuns(), new TableOptions
        {
            Pivot = "n", Columns = [MetricField.Time, MetricField.Peak],
        }), "Pivot.txt");

    [Test]
    public void PivotInMarkdown() =>
        CompareGolden.AssertMatches(ComparisonTable.Render(TwoRuns(), new TableOptions
        {
            Pivot = "n", Columns = [MetricField.Peak], Format = TableFormat.Markdown, Stat = TableStat.Min,
        }), "Pivot.md");

    [Test]
    public void CsvDiffGroupedByADim() =>
        CompareGolden.AssertMatches(ComparisonTable.Render(ThreeRuns(), new TableOptions
        {
            Diff = true, GroupBy = "n", Format = TableFormat.Csv, Columns = [MetricField.Time, MetricField.Peak, MetricField.Allocations],
        }), "DiffGroupedByDim.csv");

    [Test]
    public void ColumnsNoRunMeasuredAreLeftOut()
    {
        string text = ComparisonTable.Render(TwoRuns(), new TableOptions { Columns = [MetricField.Rss, MetricField.Retained, MetricField.Peak, MetricField.Gen0] });
        string header = text.Split('\n')[1];
        Assert.That(Regex.Split(header.Trim(), @"\s{2,}"), Is.EqualTo(new[] { "Benchmark", "Run", "retained", "peak", "gen0" }));
    }

    [Test]
    public void CollectionsOfEveryGenerationAreColumns()
    {
        var main = Record("ChurnBenchmarks", "Churn", passes: [Pass(100, gen0: 7, gen1: 3, gen2: 1)]);
        var branch = Record("ChurnBenchmarks", "Churn", passes: [Pass(100, gen0: 7, gen1: 6, gen2: 0)]);
        var options = new TableOptions { Columns = TableOptions.ParseColumns("gen0,gen1,gen2"), Format = TableFormat.Csv };
        string csv = ComparisonTable.Render([("main", (IReadOnlyList<BenchmarkRecord>)[main]), ("branch", [branch])], options);
        Assert.That(csv, Is.EqualTo(
            "benchmark,run,gen0,gen1,gen2\r\n" +
            "Bench.ChurnBenchmarks.Churn,main,7,3,1\r\n" +
            "Bench.ChurnBenchmarks.Churn,branch,7,6,0\r\n"));
        string text = ComparisonTable.Render([("main", (IReadOnlyList<BenchmarkRecord>)[main]), ("branch", [branch])],
            new TableOptions { Columns = [MetricField.Gen1, MetricField.Gen2] });
        Assert.That(Regex.Split(text.Split('\n')[1].Trim(), @"\s{2,}"), Is.EqualTo(new[] { "Benchmark", "Run", "gen1", "gen2" }));
        Assert.That(text, Does.Contain("main         3 (1.0)      1 (inf)").And.Contain("branch       6 (2.00)     0 (1.0)"));
    }

    [Test]
    public void NamesSortNaturally()
    {
        var run = new List<BenchmarkRecord> { Sort(100, 1, 1, 1), Sort(20, 1, 1, 1), Sort(3, 1, 1, 1) };
        string text = ComparisonTable.Render([("a", (IReadOnlyList<BenchmarkRecord>)run), ("b", run)], new TableOptions { Columns = [MetricField.Peak] });
        var names = text.Split('\n').Where(l => l.StartsWith("SortBenchmarks")).Select(l => l.Split("   ")[0]);
        Assert.That(names, Is.EqualTo(new[] { "SortBenchmarks.Sort(n: 3)", "SortBenchmarks.Sort(n: 20)", "SortBenchmarks.Sort(n: 100)" }));
    }

    [Test]
    public void HighlightWrapsBestAndWorstWithoutMovingColumns()
    {
        var options = new TableOptions { Highlight = (text, rank) => (rank == CellRank.Best ? "\u001b[32m" : "\u001b[31m") + text + "\u001b[0m" };
        string colored = ComparisonTable.Render(TwoRuns(), options);
        string plain = ComparisonTable.Render(TwoRuns(), new TableOptions());
        Assert.That(Regex.Replace(colored, "\u001b\\[[0-9]+m", ""), Is.EqualTo(plain));
        // Ordinal: NUnit's Does.Contain compares by culture, which ignores control characters such as ESC.
        Assert.That(colored.Contains("\u001b[32m4.02 KiB (1.0)\u001b[0m", StringComparison.Ordinal), Is.True);
        Assert.That(colored.Contains("\u001b[31m8.02 KiB (2.00)\u001b[0m", StringComparison.Ordinal), Is.True);
        Assert.That(colored.Contains("\u001b[32m240 B", StringComparison.Ordinal), Is.False, "equal values are neither best nor worst");
        Assert.That(plain.Contains('\u001b'), Is.False);
    }

    [Test]
    public void OneRunHasNoMultipliers()
    {
        string text = ComparisonTable.Render([TwoRuns()[0]], new TableOptions());
        Assert.That(text, Does.Not.Contain("(1.0)"));
        Assert.That(text, Does.Not.Contain("(N.NN)"));
    }

    [Test]
    public void NothingToCompare()
    {
        IReadOnlyList<BenchmarkRecord> none = [];
        Assert.That(ComparisonTable.Render([("a", none), ("b", none)]), Is.EqualTo("No benchmarks to compare.\n"));
        Assert.That(ComparisonTable.Render([("a", none), ("b", none)], new TableOptions { Format = TableFormat.Csv }), Is.EqualTo("benchmark,run\r\n"), "no column has data");
    }

    [Test]
    public void CsvQuotesPerRfc4180()
    {
        IReadOnlyList<BenchmarkRecord> run = [Record("T", "M", dims: [("s", "a\"b,c")], allocatedPerOp: 8)];
        string csv = ComparisonTable.Render([("x,1", run), ("y", run)], new TableOptions { Format = TableFormat.Csv, Columns = [MetricField.Allocated] });
        Assert.That(csv, Is.EqualTo(
            "benchmark,run,allocated (B)\r\n" +
            "\"Bench.T.M(s: a\"\"b,c)\",\"x,1\",8\r\n" +
            "\"Bench.T.M(s: a\"\"b,c)\",y,8\r\n"));
    }

    [Test]
    public void MarkdownKeepsGenericNamesAndPipesLiteral()
    {
        IReadOnlyList<BenchmarkRecord> run = [Record("Lists", "Add<Int32>", dims: [("sep", "|")], allocatedPerOp: 8)];
        string md = ComparisonTable.Render([("a", run), ("b_2", run)], new TableOptions { Format = TableFormat.Markdown, Columns = [MetricField.Allocated] });
        Assert.That(md, Does.Contain("| `Lists.Add<Int32>(sep: \\|)` | a | 8 B (1.0) |\n|  | b\\_2 | 8 B (1.0) |\n"));
    }

    [Test]
    public void DimProblem_NamesTheOptionsAsTheCallerKnowsThem()
    {
        var runs = TwoRuns();
        Assert.Multiple(() =>
        {
            Assert.That(ComparisonTable.DimProblem(runs, new TableOptions { Pivot = "size2" }, "--pivot", "--group-by"),
                Is.EqualTo("--pivot 'size2': no benchmark has a dim 'size2' (dims: n, size)."));
            Assert.That(ComparisonTable.DimProblem(runs, new TableOptions { GroupBy = " x " }, "--pivot", "--group-by"),
                Is.EqualTo("--group-by ' x ': no benchmark has a dim 'x' (dims: n, size; or group, type, method, namespace)."));
            Assert.That(ComparisonTable.DimProblem(runs, new TableOptions { Pivot = "nope", GroupBy = "nope" }, "--pivot", "--group-by"),
                Does.StartWith("--pivot 'nope'"), "the pivot first, as the table checks");
            Assert.That(ComparisonTable.DimProblem(runs, new TableOptions { Pivot = "N", GroupBy = "Type" }, "--pivot", "--group-by"), Is.Null);
            Assert.That(ComparisonTable.DimProblem(runs, new TableOptions(), "--pivot", "--group-by"), Is.Null);
        });
    }

    [Test]
    public void BadOptionsSayWhatIsThere()
    {
        var runs = TwoRuns();
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentException>(() => ComparisonTable.Render(runs, new TableOptions { Pivot = "size2" }))!.Message,
                Is.EqualTo("Pivot 'size2': no benchmark has a dim 'size2' (dims: n, size)."));
            Assert.That(Assert.Throws<ArgumentException>(() => ComparisonTable.Render(runs, new TableOptions { GroupBy = "x" }))!.Message,
                Is.EqualTo("GroupBy 'x': no benchmark has a dim 'x' (dims: n, size; or group, type, method, namespace)."));
            Assert.That(Assert.Throws<ArgumentException>(() => ComparisonTable.Render([runs[0], runs[0]]))!.Message,
                Does.StartWith("Two runs are labelled 'main'; labels must tell the runs apart."));
            Assert.Throws<ArgumentException>(() => ComparisonTable.Render(Array.Empty<(string, BenchmarkRun)>()));
        });
    }

    [Test]
    public void DimNamesMatchIgnoringCase() =>
        Assert.That(ComparisonTable.Render(TwoRuns(), new TableOptions { GroupBy = "N" }), Does.Contain(" n=1000: 1 benchmark, 2 runs "));

    [TestCase("text", TableFormat.Text)]
    [TestCase("table", TableFormat.Text)]
    [TestCase("MD", TableFormat.Markdown)]
    [TestCase("markdown", TableFormat.Markdown)]
    [TestCase("csv", TableFormat.Csv)]
    public void Formats(string text, TableFormat format) => Assert.That(TableOptions.ParseFormat(text), Is.EqualTo(format));

    [Test]
    public void OptionParsersNameTheChoices()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<FormatException>(() => TableOptions.ParseFormat("html"))!.Message, Is.EqualTo("unknown format 'html': use text, md or csv"));
            Assert.That(Assert.Throws<FormatException>(() => TableOptions.ParseStat("p95"))!.Message, Is.EqualTo("unknown statistic 'p95': use min, max, mean, median, stddev or all"));
            Assert.That(Assert.Throws<FormatException>(() => TableOptions.ParseSort("size"))!.Message, Is.EqualTo("unknown sort 'size': use name, value or change"));
            Assert.That(TableOptions.ParseStat("StdDev"), Is.EqualTo(TableStat.StdDev));
            Assert.That(TableOptions.ParseSort("change"), Is.EqualTo(TableSort.Change));
            Assert.That(TableOptions.ParseColumns("time,peak", "peak, allocations"), Is.EqualTo(new[] { MetricField.Time, MetricField.Peak, MetricField.Allocations }));
            Assert.That(Assert.Throws<FormatException>(() => TableOptions.ParseColumns("time,heap"))!.Message,
                Is.EqualTo("unknown field 'heap', did you mean peak? (fields: peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, time)"));
        });
    }
}
