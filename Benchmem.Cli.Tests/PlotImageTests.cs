using Benchmem.Cli.Tests.Infrastructure;
using SkiaSharp;
using static Benchmem.Cli.Tests.Infrastructure.PlotOutput;
using static Benchmem.Cli.Tests.Infrastructure.PlotRuns;

namespace Benchmem.Cli.Tests;

/// <summary>PNG and SVG output of every view: decoded, measured, and their text read back.</summary>
public class PlotImageTests
{
    private TempDirectory _dir = null!;

    // The first two series colours (plotly's defaults, used by the images too).
    private static readonly SKColor Blue = SKColor.Parse("#1f77b4");
    private static readonly SKColor Orange = SKColor.Parse("#ff7f0e");

    // The images' text needs a font on the machine (installed with Chromium when missing).
    [OneTimeSetUp]
    public void EnsureFont() => Chromium.EnsureInstalled();

    [SetUp]
    public void WriteRuns()
    {
        _dir = new TempDirectory();
        Write(_dir.File("scale.json"), "scale", Scaling());
        Write(_dir.File("base.json"), "base", Sorts(1_000, 10_000, 100_000));
        Write(_dir.File("new.json"), "new", Sorts(1_000, 15_000, 80_000));
        Write(_dir.File("v3.json"), "v3", Sorts(2_000, 5_000, 100_000));
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private CliResult Plot(params string[] args) => Tool.Run(["plot", .. args], _dir.Path, environment: null);

    [Test]
    public void Scaling_png_is_a_non_blank_image_with_both_series_drawn()
    {
        var result = Plot("scale.json", "-o", "scale.png");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var png = DecodePng(_dir.File("scale.png"));
        Assert.That((png.Width, png.Height), Is.EqualTo((1000, 600)));
        Assert.That(png.DistinctColours, Is.GreaterThan(50), "anti-aliased lines and text, not a flat fill");
        Assert.That(png.NonWhiteShare, Is.InRange(0.01, 0.6));
        Assert.That(png.CountNear(Blue), Is.GreaterThan(200), "the first series (impl=array) is drawn");
        Assert.That(png.CountNear(Orange), Is.GreaterThan(200), "the second series (impl=list) is drawn");
    }

    [Test]
    public void Scaling_svg_has_the_title_axis_titles_and_legend_names_as_text()
    {
        var result = Plot("scale.json", "-o", "scale.svg");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var (width, height, texts) = ReadSvg(_dir.File("scale.svg"));
        Assert.That((width, height), Is.EqualTo((1000.0, 600.0)));
        Assert.That(texts, Does.Contain("peak against n · scale"));
        Assert.That(texts, Does.Contain("n"));
        Assert.That(texts, Does.Contain("peak (MiB)"));
        Assert.That(texts, Does.Contain("impl=array"));
        Assert.That(texts, Does.Contain("impl=list"));
        Assert.That(texts, Does.Contain("100"), "log axis ticks are labelled with the numbers");
    }

    [Test]
    public void Scatter_compare_and_sweep_render_as_png_and_svg()
    {
        Assert.That(Plot("base.json", "new.json", "-o", "scatter.png").ExitCode, Is.EqualTo(0));
        Assert.That(Plot("base.json", "new.json", "v3.json", "--view", "compare", "-o", "compare.svg").ExitCode, Is.EqualTo(0));
        var sweep = Plot("base.json", "new.json", "v3.json", "-o", "sweep.png");
        Assert.That(sweep.ExitCode, Is.EqualTo(0), sweep.ToString());
        Assert.That(Plot("base.json", "new.json", "v3.json", "-o", "sweep.svg").ExitCode, Is.EqualTo(0));

        var scatter = DecodePng(_dir.File("scatter.png"));
        Assert.That(scatter.DistinctColours, Is.GreaterThan(50));
        // +5,000 B on a scale to ±20,000 B: a quarter of the way from white (#f7f7f7) to red (#b2182b).
        // Counted left of the legend (now beside the data area, its markers in the same colours).
        var data = new SKRectI(0, 0, 700, 600);
        Assert.That(scatter.CountNearIn(new SKColor(230, 191, 196), data), Is.GreaterThan(30), "the grown point is a quarter red");
        Assert.That(scatter.CountNearIn(SKColor.Parse("#2166ac"), data), Is.GreaterThan(30), "the most shrunk point is full blue");

        var compare = ReadSvg(_dir.File("compare.svg"));
        Assert.That(compare.Texts.Count(t => t == "peak: change against base"), Is.EqualTo(1), "the title, once");
        Assert.That(compare.Texts, Does.Contain("Δ peak against base (KiB)"));
        Assert.That(compare.Texts, Does.Contain("SortBenchmarks.Sort(n: 100)"), "bar categories are labelled");
        Assert.That(compare.Texts, Does.Contain("new"));
        Assert.That(compare.Texts, Does.Contain("v3"));

        var heat = DecodePng(_dir.File("sweep.png"));
        Assert.That(heat.CountNear(SKColor.Parse("#b2182b")), Is.GreaterThan(500), "n=10 doubled in v3: a full red cell");
        var sweepSvg = ReadSvg(_dir.File("sweep.svg"));
        Assert.That(sweepSvg.Texts, Does.Contain("2.00×"));
        Assert.That(sweepSvg.Texts, Does.Contain("1.50×"));
        Assert.That(sweepSvg.Texts, Does.Contain("peak: fold change against base"));
    }

    [Test]
    public void Facets_are_a_grid_of_panels_under_one_title()
    {
        var result = Plot("scale.json", "--facet", "impl", "-o", "facet.png");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var png = DecodePng(_dir.File("facet.png"));
        Assert.That((png.Width, png.Height), Is.EqualTo((2 * 620, 56 + 600)));
        // Every panel drawn, not only the last: each panel's one series (named Build in both, so blue in both).
        Assert.That(png.CountNearIn(Blue, new SKRectI(0, 56, 620, 656)), Is.GreaterThan(200), "the impl=array panel (left) is drawn");
        Assert.That(png.CountNearIn(Blue, new SKRectI(620, 56, 1240, 656)), Is.GreaterThan(200), "the impl=list panel (right) is drawn");
        Assert.That(png.NonWhiteShareIn(new SKRectI(0, 0, 1240, 56)), Is.GreaterThan(0.01), "the figure's title is drawn in the header");
        Assert.That(png.NonWhiteShareIn(new SKRectI(0, 0, 400, 56)), Is.LessThan(0.001), "centred: nothing at the header's left end");

        Assert.That(Plot("scale.json", "--facet", "impl", "-o", "facet.svg").ExitCode, Is.EqualTo(0));
        var texts = ReadSvg(_dir.File("facet.svg")).Texts;
        Assert.That(texts, Does.Contain("peak against n · scale"));
        Assert.That(texts, Does.Contain("impl=array"));
        Assert.That(texts, Does.Contain("impl=list"));
    }

    [Test]
    public void Facets_are_only_the_values_with_data()
    {
        // Five types, three of which have no dim n: two panels, not five.
        Write(_dir.File("suite.json"), "suite", Suite());

        var result = Plot("suite.json", "--facet", "type", "--x", "n", "-o", "types.png");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Does.EndWith("(scaling: peak against n · suite; 3 series, 9 point(s), 2 panels)"));
        Assert.That(result.StdoutLines[1], Is.EqualTo("benchmem: note: 6 benchmark(s) without dim n left out"));
        var png = DecodePng(_dir.File("types.png"));
        Assert.That((png.Width, png.Height), Is.EqualTo((2 * 620, 56 + 20 + 600)), "two panels under the title and the note");
        Assert.That(png.NonWhiteShareIn(new SKRectI(620, 76, 1240, 676)), Is.GreaterThan(0.02), "the second panel (SortBenchmarks) has a plot in it");
        Assert.That(png.CountNearIn(SKColor.Parse("#2ca02c"), new SKRectI(620, 76, 1240, 676)), Is.GreaterThan(200), "Sort's line, the third series colour");
    }

    [Test]
    public void A_suite_with_a_dim_per_class_is_a_panel_per_benchmark_in_png_too()
    {
        Write(_dir.File("suite.json"), "suite", Suite());

        var result = Plot("suite.json", "-o", "suite.svg");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var (width, height, texts) = ReadSvg(_dir.File("suite.svg"));
        Assert.That((width, height), Is.EqualTo((3 * 620.0, 56 + 20 + 600.0)));
        Assert.That(texts, Does.Contain("peak against each benchmark's varying dim · suite"));
        Assert.That(texts, Does.Contain("DictBenchmarks.Fill"));
        Assert.That(texts, Does.Contain("ListBenchmarks.Build"));
        Assert.That(texts, Does.Contain("SortBenchmarks.Sort"));
        Assert.That(texts, Does.Contain("size"), "Fill's x axis");
        Assert.That(texts.Count(t => t == "n"), Is.EqualTo(2), "Build's and Sort's x axes");
    }

    [Test]
    public void Scatter_and_compare_legends_sit_beside_the_data_and_say_only_what_is_there()
    {
        Write(_dir.File("grow-base.json"), "main", Growths(candidate: false));
        Write(_dir.File("grow-new.json"), "pr", Growths(candidate: true));

        Assert.That(Plot("grow-base.json", "grow-new.json", "-l", "main", "-l", "pr", "-o", "scatter.svg").ExitCode, Is.EqualTo(0));
        var (texts, area) = SvgLayout(_dir.File("scatter.svg"));
        var names = texts.Select(t => t.Text).ToList();
        Assert.That(names, Does.Contain("red: Δ peak (KiB) up to +1,024"), "Big grew by 1 MiB");
        Assert.That(names.Where(t => t.StartsWith("blue", StringComparison.Ordinal)), Is.Empty, "nothing shrank: no blue entry");
        var legend = texts.Single(t => t.Text == "pr vs main");
        Assert.That(legend.X, Is.GreaterThanOrEqualTo(area.Right), $"the legend is right of the data area ({area})");
        // Tiny (+109%) is the top-left point: it must show, not hide under a legend.
        Assert.That(texts.Where(t => t.X > area.Left && t.X < area.Right && t.Y > area.Top && t.Y < area.Bottom), Is.Empty, "no text inside the data area");

        Assert.That(Plot("grow-base.json", "grow-new.json", "-l", "main", "-l", "pr", "--view", "compare", "-o", "compare.svg").ExitCode, Is.EqualTo(0));
        (texts, area) = SvgLayout(_dir.File("compare.svg"));
        var labels = texts.Where(t => t.Text.EndsWith('%')).OrderBy(t => t.Y).Select(t => t.Text).ToList();
        Assert.That(labels, Is.EqualTo(new[] { "+109.0%", "+20.0%", "+10.0%", "+0.05%" }), "top to bottom: ranked by the change in %");
        Assert.That(texts.Single(t => t.Text == "pr").X, Is.GreaterThanOrEqualTo(area.Right), "the legend is right of the bars");
    }
}
