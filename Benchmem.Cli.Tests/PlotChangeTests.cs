using Benchmem.Cli.Tests.Infrastructure;
using static Benchmem.Cli.Tests.Infrastructure.PlotOutput;
using static Benchmem.Cli.Tests.Infrastructure.PlotRuns;

namespace Benchmem.Cli.Tests;

/// <summary>
/// The views that compare runs, read back from the HTML's figure JSON. Sort(n) for n = 10, 100, 1000 peaks
/// base: 1,000 / 10,000 / 100,000 B; new: 1,000 / 15,000 / 80,000 B (ratios 1, 1.5, 0.8; changes 0, +5,000, -20,000 B);
/// v1/v2/v3 for the sweep: 1,000 / 10,000, then 1,500 / 10,000, then 2,000 / 5,000 B.
/// </summary>
public class PlotChangeTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void WriteRuns()
    {
        _dir = new TempDirectory();
        Write(_dir.File("base.json"), "base", Sorts(1_000, 10_000, 100_000));
        Write(_dir.File("new.json"), "new", Sorts(1_000, 15_000, 80_000));
        Write(_dir.File("v1.json"), "v1", Sorts(1_000, 10_000));
        Write(_dir.File("v2.json"), "v2", Sorts(1_500, 10_000));
        Write(_dir.File("v3.json"), "v3", Sorts(2_000, 5_000));
        Write(_dir.File("grow-base.json"), "main", Growths(candidate: false));
        Write(_dir.File("grow-new.json"), "pr", Growths(candidate: true));
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private CliResult Plot(params string[] args) => Tool.Run(["plot", .. args], _dir.Path, environment: null);

    [Test]
    public void Two_runs_are_a_scatter_of_ratio_against_baseline_coloured_by_the_absolute_change()
    {
        var result = Plot("base.json", "new.json", "-o", "scatter.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("(scatter: peak: new against base; 1 series, 3 point(s))"));
        var figure = Figure(_dir.File("scatter.html"));
        Assert.That(Title(figure), Is.EqualTo("peak: new against base"));
        Assert.That(AxisTitle(figure, "xaxis"), Is.EqualTo("base: peak (KiB)"));
        Assert.That(AxisTitle(figure, "yaxis"), Is.EqualTo("new / base"));
        Assert.That(AxisType(figure, "xaxis"), Is.EqualTo("log"));
        Assert.That(AxisType(figure, "yaxis"), Is.EqualTo("linear"));
        var trace = Traces(figure).Single();
        Assert.That(trace.GetProperty("name").GetString(), Is.EqualTo("new vs base"), "the legend names the runs");
        Assert.That(Numbers(trace.GetProperty("x")), Is.EqualTo(new double?[] { 1_000 / 1024.0, 10_000 / 1024.0, 100_000 / 1024.0 }).Within(1e-12));
        Assert.That(Numbers(trace.GetProperty("y")), Is.EqualTo(new double?[] { 1, 1.5, 0.8 }).Within(1e-12));
        var marker = trace.GetProperty("marker");
        Assert.That(Numbers(marker.GetProperty("color")), Is.EqualTo(new double?[] { 0, 5_000 / 1024.0, -20_000 / 1024.0 }).Within(1e-12));
        Assert.That(marker.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString(), Is.EqualTo("Δ peak (KiB)"));
        Assert.That(marker.GetProperty("cmax").GetDouble(), Is.EqualTo(20_000 / 1024.0).Within(1e-12), "symmetric around no change");
        Assert.That(marker.GetProperty("cmin").GetDouble(), Is.EqualTo(-20_000 / 1024.0).Within(1e-12), "one grew, one shrank: both sides");
        Assert.That(marker.GetProperty("colorscale").GetRawText(), Is.EqualTo("""[[0,"#2166ac"],[0.5,"#f7f7f7"],[1,"#b2182b"]]"""));
        Assert.That(Strings(trace.GetProperty("hovertext"))[1], Does.Contain("SortBenchmarks.Sort(n: 100)<br>base: 9.77 KiB → new: 14.6 KiB (1.50×, +4.88 KiB)"));
        var line = figure.GetProperty("layout").GetProperty("shapes")[0];
        Assert.That((line.GetProperty("y0").GetDouble(), line.GetProperty("y1").GetDouble()), Is.EqualTo((1.0, 1.0)), "a reference line at ratio 1");
    }

    [Test]
    public void Compare_ranks_the_changes_in_native_units_largest_growth_on_top()
    {
        var result = Plot("base.json", "new.json", "--view", "compare", "-l", "main", "-l", "pr", "-o", "compare.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("compare.html"));
        Assert.That(Title(figure), Is.EqualTo("peak: change against main"));
        Assert.That(AxisTitle(figure, "xaxis"), Is.EqualTo("Δ peak against main (KiB)"));
        var trace = Traces(figure).Single();
        Assert.That(trace.GetProperty("type").GetString(), Is.EqualTo("bar"));
        Assert.That(trace.GetProperty("name").GetString(), Is.EqualTo("pr"));
        // Bottom to top: the shrink, no change, the growth.
        Assert.That(Strings(trace.GetProperty("y")), Is.EqualTo(new[] { "SortBenchmarks.Sort(n: 1000)", "SortBenchmarks.Sort(n: 10)", "SortBenchmarks.Sort(n: 100)" }));
        Assert.That(Numbers(trace.GetProperty("x")), Is.EqualTo(new double?[] { -20_000 / 1024.0, 0, 5_000 / 1024.0 }).Within(1e-12));
        Assert.That(Strings(trace.GetProperty("hovertext"))[2], Does.EndWith("main: 9.77 KiB → pr: 14.6 KiB (+50.0%)"));
    }

    [Test]
    public void Scatter_colour_scale_has_no_blue_side_when_nothing_shrank_and_the_legend_is_above_the_plot()
    {
        var result = Plot("grow-base.json", "grow-new.json", "-o", "grow.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("grow.html"));
        var marker = Traces(figure).Single().GetProperty("marker");
        // Δ: Tiny +1,090 B, Mid +20 KiB, Big +1 MiB, Noise +10 KiB, in KiB: white (no change) to red (+1,024 KiB).
        Assert.That(Numbers(marker.GetProperty("color")), Is.EqualTo(new double?[] { 1024, 20, 10, 1_090 / 1024.0 }).Within(1e-12), "Big, Mid, Noise, Tiny");
        Assert.That(marker.GetProperty("cmin").GetDouble(), Is.EqualTo(0));
        Assert.That(marker.GetProperty("cmax").GetDouble(), Is.EqualTo(1024));
        Assert.That(marker.GetProperty("colorscale").GetRawText(), Is.EqualTo("""[[0,"#f7f7f7"],[1,"#b2182b"]]"""), "white to red only");
        var legend = figure.GetProperty("layout").GetProperty("legend");
        Assert.That((legend.GetProperty("orientation").GetString(), legend.GetProperty("y").GetDouble(), legend.GetProperty("yanchor").GetString()), Is.EqualTo(("h", 1.0, "bottom")),
            "a row above the plot area, not inside it over the points");
    }

    [Test]
    public void Compare_ranks_by_the_change_in_percent_and_labels_each_bar_with_it()
    {
        var result = Plot("grow-base.json", "grow-new.json", "--view", "compare", "-o", "grow.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var trace = Traces(Figure(_dir.File("grow.html"))).Single();
        // Bottom to top by %, not by bytes: Noise grew most in bytes after Big (+10 KiB) but only by 0.05%.
        Assert.That(Strings(trace.GetProperty("y")), Is.EqualTo(new[] { "Grow.Noise", "Grow.Big", "Grow.Mid", "Grow.Tiny" }));
        Assert.That(Numbers(trace.GetProperty("x")), Is.EqualTo(new double?[] { 10, 1024, 20, 1_090 / 1024.0 }).Within(1e-12), "bars still in KiB");
        Assert.That(Strings(trace.GetProperty("text")), Is.EqualTo(new[] { "+0.05%", "+10.0%", "+20.0%", "+109.0%" }));
        Assert.That(trace.GetProperty("textposition").GetString(), Is.EqualTo("outside"));
    }

    [Test]
    public void Three_runs_are_a_sweep_heatmap_of_fold_changes_against_the_first()
    {
        var result = Plot("v1.json", "v2.json", "v3.json", "-o", "sweep.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("(sweep: peak: fold change against v1; 2 benchmark(s) × 2 run(s))"));
        var figure = Figure(_dir.File("sweep.html"));
        var heat = Traces(figure).Single();
        Assert.That(heat.GetProperty("type").GetString(), Is.EqualTo("heatmap"));
        Assert.That(Strings(heat.GetProperty("x")), Is.EqualTo(new[] { "v2", "v3" }));
        // Rows bottom to top, so Sort(n: 10) is the top row.
        Assert.That(Strings(heat.GetProperty("y")), Is.EqualTo(new[] { "SortBenchmarks.Sort(n: 100)", "SortBenchmarks.Sort(n: 10)" }));
        var z = heat.GetProperty("z").EnumerateArray().Select(Numbers).ToArray();
        Assert.That(z[0], Is.EqualTo(new double?[] { 0, -1 }).Within(1e-12), "n=100: 1×, ½×");
        Assert.That(z[1], Is.EqualTo(new double?[] { Math.Log2(1.5), 1 }).Within(1e-12), "n=10: 1.5×, 2×");
        Assert.That(heat.GetProperty("text")[1].EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "1.50×", "2.00×" }));
        Assert.That(heat.GetProperty("zmax").GetDouble(), Is.EqualTo(1).Within(1e-12));
        Assert.That(heat.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString(), Is.EqualTo("peak / v1"));
    }

    [Test]
    public void Pivot_turns_the_values_of_a_dim_into_runs()
    {
        Write(_dir.File("impl.json"), "impl",
            Bench("Build", [("n", 10L), ("impl", "array")], 100, 10 * KiB),
            Bench("Build", [("n", 100L), ("impl", "array")], 1000, 100 * KiB),
            Bench("Build", [("n", 10L), ("impl", "list")], 300, 30 * KiB),
            Bench("Build", [("n", 100L), ("impl", "list")], 3000, 150 * KiB));

        var result = Plot("impl.json", "--pivot", "impl", "-o", "pivot.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("pivot.html"));
        Assert.That(Title(figure), Is.EqualTo("peak: impl=list against impl=array"), "two pivot values: a scatter");
        var trace = Traces(figure).Single();
        Assert.That(Numbers(trace.GetProperty("x")), Is.EqualTo(new double?[] { 10, 100 }));
        Assert.That(Numbers(trace.GetProperty("y")), Is.EqualTo(new double?[] { 3, 1.5 }));
    }

    [Test]
    public void Scatter_with_color_by_dim_gives_a_series_per_value()
    {
        var result = Plot("base.json", "new.json", "--color", "n", "-o", "c.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var traces = Traces(Figure(_dir.File("c.html")));
        Assert.That(traces.Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "n=10", "n=100", "n=1000" }));
        Assert.That(traces.Select(t => Numbers(t.GetProperty("y")).Single()), Is.EqualTo(new double?[] { 1, 1.5, 0.8 }).Within(1e-12));
    }

    [Test]
    public void A_benchmark_in_one_run_only_is_left_out_and_said_so()
    {
        Write(_dir.File("more.json"), "more", Sorts(1_000, 10_000, 100_000, 1_000_000));

        var result = Plot("base.json", "more.json", "-o", "more.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[1], Is.EqualTo("benchmem: note: 1 benchmark(s) not in base"));
        var figure = Figure(_dir.File("more.html"));
        Assert.That(Title(figure), Does.EndWith("<br><sup>1 benchmark(s) not in base</sup>"));
        Assert.That(Numbers(Traces(figure).Single().GetProperty("y")), Is.EqualTo(new double?[] { 1, 1, 1 }));
    }
}
