using Benchmem.Cli.Tests.Infrastructure;
using static Benchmem.Cli.Tests.Infrastructure.PlotRuns;

namespace Benchmem.Cli.Tests;

/// <summary>A plot that cannot be drawn says which option or input is missing, in one line, exit 2, and writes nothing.</summary>
public class PlotErrorTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void WriteRuns()
    {
        _dir = new TempDirectory();
        Write(_dir.File("scale.json"), "scale", Scaling());
        Write(_dir.File("base.json"), "base", Sorts(1_000, 10_000));
        Write(_dir.File("flat.json"), "flat",
            Bench("Parse", [], 100, 1 * KiB, type: "ParseBenchmarks"),
            Bench("Format", [], 200, 2 * KiB, type: "ParseBenchmarks"));
        Write(_dir.File("timing.json"), "timing", Bench("Sort", [("n", 10L)], 100, peak: null), Bench("Sort", [("n", 100L)], 1000, peak: null));
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private void AssertFails(string expected, params string[] args)
    {
        var result = Tool.Run(["plot", .. args], _dir.Path, environment: null);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Is.EqualTo(new[] { "benchmem: " + expected }));
        Assert.That(Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Where(f => !f!.EndsWith(".json", StringComparison.Ordinal)), Is.Empty,
            "no output file, whole or half");
    }

    [Test]
    public void Scaling_without_a_numeric_dim() => AssertFails(
        "scaling needs a numeric dim to put on x; this run's benchmarks have dims: (none) — add [TestCase]/[Values] parameters or Bench.Dim, or give two runs and use --view compare.",
        "flat.json");

    [Test]
    public void Scaling_where_the_numeric_dim_does_not_vary() => AssertFails(
        "scaling needs a numeric dim to put on x; this run's benchmarks have dims: impl (not numeric), n (one value: 1000) — add [TestCase]/[Values] parameters or Bench.Dim, or give two runs and use --view compare.",
        "scale.json", "--where", "n=1000");

    [Test]
    public void X_names_a_dim_there_is_not() => AssertFails(
        "--x size: no benchmark has a dim 'size'; the benchmarks have dims: impl, n.",
        "scale.json", "--x", "size");

    [Test]
    public void X_names_a_text_dim() => AssertFails(
        "--x impl: dim 'impl' is not numeric (values: array, list); put a numeric dim on x (n) and use --facet impl or --color impl for this one.",
        "scale.json", "--x", "impl");

    [Test]
    public void Scatter_with_one_run() => AssertFails(
        "scatter compares two runs (baseline, candidate); got 1 (scale): give a second run, or --pivot DIM to compare the values of a dim, or use --view scaling.",
        "scale.json", "--view", "scatter");

    [Test]
    public void Sweep_with_one_run() => AssertFails(
        "sweep needs two or more runs, the first being the reference; got 1 (base): give more runs, or --pivot DIM to sweep over the values of a dim, or use --view scaling.",
        "base.json", "--view", "sweep");

    [Test]
    public void Compare_with_one_run() => AssertFails(
        "compare needs two or more runs, the first being the baseline; got 1 (base): give another run, or --pivot DIM to compare the values of a dim, or use --view scaling.",
        "base.json", "--view", "compare");

    [Test]
    public void Color_on_a_view_without_colours() => AssertFails(
        "--color is for the scaling and scatter views; this plot is compare: drop --color, or use --facet n for a panel per value.",
        "base.json", "scale.json", "--view", "compare", "--color", "n");

    [Test]
    public void Facet_and_pivot_on_one_dim() => AssertFails(
        "--facet impl and --pivot impl name the same dim; a dim can be panels or runs, not both.",
        "scale.json", "--pivot", "impl", "--facet", "impl");

    [Test]
    public void Unknown_view() => AssertFails(
        "--view: unknown view 'heat'; use one of scaling, scatter, compare, sweep (or leave it out: 1 run gives scaling, 2 scatter, 3 or more sweep).",
        "scale.json", "--view", "heat");

    [Test]
    public void Two_metrics() => AssertFails(
        "--columns: a plot draws one metric, got 2 (peak, time); pick one of time, peak, allocated, allocations, retained, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained, e.g. --columns peak.",
        "scale.json", "--columns", "peak,time");

    [Test]
    public void Unknown_metric() => AssertFails(
        "--columns: unknown metric 'rss'; use one of time, peak, allocated, allocations, retained, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained.",
        "scale.json", "--columns", "rss");

    [Test]
    public void Mistyped_metric() => AssertFails(
        "--columns: unknown metric 'peek', did you mean peak?; use one of time, peak, allocated, allocations, retained, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained.",
        "scale.json", "--columns", "peek");

    [Test]
    public void A_metric_the_run_did_not_measure() => AssertFails(
        "no benchmark in timing measured peak (memory passes need [BenchMem] or dotnet test -- Benchmem.Enabled=true); plot another metric with --columns (time, peak, allocated, allocations, retained, gen0, gen1, gen2, native-peak, native-allocated, native-allocations, native-retained).",
        "timing.json", "--columns", "peak");

    [Test]
    public void Unsupported_output_format() => AssertFails(
        "-o plot.tiff: '.tiff' is not a supported format; end the name in .html (interactive, offline), .png, .svg, .jpg, .webp or .pdf (static images).",
        "scale.json", "-o", "plot.tiff");

    [Test]
    public void Where_that_is_not_key_value() => AssertFails(
        "--where: 'n' is not KEY=VALUE; write a dim and a value, e.g. --where n=1000 (repeat --where for more; the same key twice means either value).",
        "scale.json", "--where", "n");

    [Test]
    public void Where_on_a_dim_there_is_not() => AssertFails(
        "--where size=…: no benchmark has a dim 'size'; the benchmarks have dims: impl, n (also: method, type, group, namespace).",
        "scale.json", "--where", "size=3");

    [Test]
    public void Where_that_matches_nothing() => AssertFails(
        "--where: no benchmark matches n=5; values of n are: 1000, 10000, 100000.",
        "scale.json", "--where", "n=5");

    [Test]
    public void Facet_on_a_dim_there_is_not() => AssertFails(
        "--facet kind: no benchmark has a dim 'kind'; the benchmarks have dims: impl, n (also: method, type, group, namespace).",
        "scale.json", "--facet", "kind");

    [Test]
    public void X_on_a_view_that_has_no_x() => AssertFails(
        "--x is for the scaling view; this plot is scatter: drop --x, or add --view scaling.",
        "scale.json", "--pivot", "impl", "--x", "n");

    [Test]
    public void Nothing_left_once_facets_and_x_are_applied()
    {
        Write(_dir.File("mixed.json"), "mixed",
            Bench("Fill", [("n", 10L)], 100, 1 * KiB), Bench("Fill", [("n", 100L)], 1000, 10 * KiB), Bench("Concat", [("kind", "rope")], 100, 1 * KiB));
        AssertFails("nothing left to plot: 1 benchmark(s) without dim n left out; 2 benchmark(s) without dim kind left out; loosen --where, or pick another --facet or --x.",
            "mixed.json", "--facet", "kind");
    }

    [Test]
    public void Png_without_skias_native_library_says_to_write_html()
    {
        // The tool's files without runtimes/*/native, as on a runtime the package ships no SkiaSharp for.
        string copy = _dir.Folder("tool-without-natives");
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Tool.Dll)!))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));

        var png = Tool.Run(["plot", "scale.json", "-o", "scale.png"], _dir.Path, environment: null, dll: Path.Combine(copy, "Benchmem.Cli.dll"));
        Assert.That(png.ExitCode, Is.EqualTo(2), png.ToString());
        Assert.That(png.StderrLines.Single(), Does.StartWith("benchmem: -o scale.png: PNG and SVG need SkiaSharp's native library, which could not be loaded on "));
        Assert.That(png.StderrLines.Single(), Does.EndWith("; write .html instead."));
        Assert.That(File.Exists(_dir.File("scale.png")), Is.False);

        var html = Tool.Run(["plot", "scale.json", "-o", "scale.html"], _dir.Path, environment: null, dll: Path.Combine(copy, "Benchmem.Cli.dll"));
        Assert.That(html.ExitCode, Is.EqualTo(0), html.ToString());
    }

    [Test]
    public void Missing_run_file() => AssertFails(
        "nope.json: no such file.", "nope.json");
}
