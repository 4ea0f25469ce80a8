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
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private string Render(string name, params string[] args)
    {
        var result = Tool.Run(["plot", .. args, "-o", name], _dir.Path, environment: null);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        string dom = Chromium.DumpDom(_dir.File(name));
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
