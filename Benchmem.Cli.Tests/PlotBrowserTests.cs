using System.Text.RegularExpressions;
using Benchmem.Cli.Tests.Infrastructure;
using static Benchmem.Cli.Tests.Infrastructure.PlotRuns;

namespace Benchmem.Cli.Tests;

/// <summary>
/// The HTML plots opened in headless Chromium with no network: plotly must have drawn every point, and the page's
/// error trap (<c>pre#benchmem-errors</c>) must have caught nothing.
/// </summary>
public class PlotBrowserTests
{
    private TempDirectory _dir = null!;

    [OneTimeSetUp]
    public void WriteRuns()
    {
        _dir = new TempDirectory();
        Write(_dir.File("scale.json"), "scale", Scaling());
        Write(_dir.File("base.json"), "base", Sorts(1_000, 10_000, 100_000));
        Write(_dir.File("new.json"), "new", Sorts(1_000, 15_000, 80_000));
        Write(_dir.File("v3.json"), "v3", Sorts(2_000, 5_000, 100_000));
        Write(_dir.File("grow-base.json"), "main", Growths(candidate: false));
        Write(_dir.File("grow-new.json"), "pr", Growths(candidate: true));
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private string Render(string name, params string[] args) => Render(name, null, args);

    private string Render(string name, (int Width, int Height)? window, params string[] args)
    {
        var result = Tool.Run(["plot", .. args, "-o", name], _dir.Path, environment: null);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        string dom = Chromium.DumpDom(_dir.File(name), window);
        Assert.That(dom.Contains("data-benchmem-rendered=\"true\"", StringComparison.Ordinal), Is.True, "Plotly.newPlot resolved");
        Assert.That(Regex.Match(dom, "<pre id=\"benchmem-errors\"[^>]*>(?<text>.*?)</pre>", RegexOptions.Singleline).Groups["text"].Value, Is.Empty,
            "no script error on the page");
        return dom;
    }

    private static int Count(string dom, string pattern) => Regex.Matches(dom, pattern).Count;

    [Test]
    public void Scaling_draws_every_point_and_its_whiskers()
    {
        string dom = Render("scaling.html", "scale.json");

        Assert.That(Count(dom, "<path class=\"point\""), Is.EqualTo(6), "2 series × 3 sizes");
        Assert.That(Count(dom, "<g class=\"errorbar\""), Is.EqualTo(6));
        Assert.That(Count(dom, "class=\"js-line\""), Is.EqualTo(2 + 2), "a line per series, and its sample in the legend");
        Assert.That(dom.Contains(">peak (MiB)<", StringComparison.Ordinal), Is.True, "the y axis title");
        Assert.That(dom.Contains(">impl=array<", StringComparison.Ordinal), Is.True, "the legend");
    }

    [Test]
    public void Scatter_draws_a_point_per_benchmark()
    {
        string dom = Render("scatter.html", "base.json", "new.json");

        Assert.That(Count(dom, "<path class=\"point\""), Is.EqualTo(3), "3 benchmarks");
        Assert.That(dom.Contains(">new vs base<", StringComparison.Ordinal), Is.True, ">new vs base<");
        Assert.That(Regex.IsMatch(dom, "class=\"[^\"]*\\bcolorbar\""), Is.True, "the colour scale is drawn");
    }

    [Test]
    public void Compare_draws_a_bar_per_benchmark_and_run()
    {
        string dom = Render("compare.html", "base.json", "new.json", "v3.json", "--view", "compare");

        Assert.That(Count(dom, "<g class=\"point\"><path"), Is.EqualTo(6), "3 benchmarks × 2 later runs");
        Assert.That(dom.Contains(">SortBenchmarks.Sort(n: 1000)<", StringComparison.Ordinal), Is.True, ">SortBenchmarks.Sort(n: 1000)<");
    }

    [Test]
    public void Sweep_draws_the_heatmap_with_its_cell_labels()
    {
        string dom = Render("sweep.html", "base.json", "new.json", "v3.json");

        Assert.That(Count(dom, "class=\"hm\""), Is.EqualTo(1));
        Assert.That(dom.Contains(">2.00×<", StringComparison.Ordinal), Is.True, "n=10 doubled in v3");
        Assert.That(dom.Contains(">1.50×<", StringComparison.Ordinal), Is.True, "n=100 grew 1.5× in new");
    }

    [Test]
    public void Facets_draw_each_panel()
    {
        string dom = Render("facet.html", "scale.json", "--facet", "impl");

        Assert.That(Count(dom, "<path class=\"point\""), Is.EqualTo(6));
        Assert.That(dom.Contains(">impl=list<", StringComparison.Ordinal), Is.True, ">impl=list<");
    }

    private static double Attr(string element, string name) =>
        double.Parse(Regex.Match(element, $" {name}=\"(?<v>[-0-9.]+)\"").Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture);

    [TestCase("scaling.html", "scale.json")]
    [TestCase("scatter.html", "grow-base.json", "grow-new.json")]
    [TestCase("compare.html", "grow-base.json", "grow-new.json", "--view", "compare")]
    public void A_900_px_window_is_filled_and_the_legend_covers_no_data(string name, params string[] args)
    {
        string dom = Render("window-" + name, (900, 700), args);

        // The page: as wide and as high as the window's viewport (before: a fixed 540 px high, plotly's 80 px margins).
        File.WriteAllText(_dir.File("viewport.html"), "<!DOCTYPE html><body><script>document.body.setAttribute('data-viewport', innerWidth + 'x' + innerHeight)</script></body>");
        var viewport = Regex.Match(Chromium.DumpDom(_dir.File("viewport.html"), (900, 700)), "data-viewport=\"(?<w>\\d+)x(?<h>\\d+)\"");
        string page = Regex.Match(dom, "<svg class=\"main-svg\"[^>]*>").Value;
        Assert.That(Attr(page, "width"), Is.EqualTo(double.Parse(viewport.Groups["w"].Value)).And.EqualTo(900));
        Assert.That(Attr(page, "height"), Is.EqualTo(double.Parse(viewport.Groups["h"].Value)), "the viewport's height (the headless window less its frame)");
        // The plot area (plotly's drag rectangle) takes most of it: about half before.
        string area = Regex.Match(dom, "<rect class=\"nsewdrag drag\"[^>]*>").Value;
        double top = Attr(area, "y");
        Assert.That(Attr(area, "width") * Attr(area, "height") / (Attr(page, "width") * Attr(page, "height")), Is.GreaterThan(0.6), area);
        // The legend box ends above the plot area: it cannot cover a point or a bar.
        var legend = Regex.Match(dom, "<g class=\"legend\"[^>]*transform=\"translate\\((?<x>[-0-9.]+),(?<y>[-0-9.]+)\\)\".*?<rect class=\"bg\"(?<bg>[^>]*)>", RegexOptions.Singleline);
        Assert.That(legend.Success, Is.True, "a legend is drawn");
        double legendBottom = double.Parse(legend.Groups["y"].Value, System.Globalization.CultureInfo.InvariantCulture) + Attr(legend.Groups["bg"].Value, "height");
        Assert.That(legendBottom, Is.LessThanOrEqualTo(top + 0.5), $"legend bottom {legendBottom} against the plot area's top {top}");
    }

    [Test]
    public void Compare_bars_carry_their_change_in_percent()
    {
        string dom = Render("labels.html", "grow-base.json", "grow-new.json", "--view", "compare");

        var labels = Regex.Matches(dom, "<text class=\"bartext[^\"]*\"[^>]*data-unformatted=\"(?<text>[^\"]*)\"").Select(m => m.Groups["text"].Value).ToList();
        Assert.That(labels, Is.EqualTo(new[] { "+0.05%", "+10.0%", "+20.0%", "+109.0%" }), "a label per bar, bottom to top: ranked by the change in %");
    }

    [Test]
    public void The_error_trap_reports_a_broken_page()
    {
        // The check above must be able to fail: the same page with its plotting call broken.
        var result = Tool.Run(["plot", "scale.json", "-o", "broken.html"], _dir.Path, environment: null);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        string html = File.ReadAllText(_dir.File("broken.html"));
        File.WriteAllText(_dir.File("broken.html"), html.Replace("Plotly.newPlot('benchmem-plot'", "Plotly.noSuchFunction('benchmem-plot'", StringComparison.Ordinal));

        string dom = Chromium.DumpDom(_dir.File("broken.html"));

        Assert.That(Regex.Match(dom, "<pre id=\"benchmem-errors\"[^>]*>(?<text>.*?)</pre>", RegexOptions.Singleline).Groups["text"].Value,
            Does.Contain("noSuchFunction"));
        Assert.That(dom.Contains("data-benchmem-rendered=\"true\"", StringComparison.Ordinal), Is.False);
    }
}
