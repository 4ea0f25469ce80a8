using Benchmem.Core.Results;
using Benchmem.Cli.Tests.Infrastructure;
using static Benchmem.Cli.Tests.Infrastructure.PlotOutput;
using static Benchmem.Cli.Tests.Infrastructure.PlotRuns;

namespace Benchmem.Cli.Tests;

/// <summary>
/// <c>benchmem plot</c> with one run: the scaling view, read back from the figure JSON embedded in the HTML.
/// scale.json holds Build(n, impl) for n = 1,000 / 10,000 / 100,000: impl=array peaks 1, 10, 100 MiB (passes +0, +64,
/// +128 KiB) in 10 µs, 100 µs, 1 ms; impl=list twice the memory, three times the time.
/// </summary>
public class PlotScalingTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void WriteRuns()
    {
        _dir = new TempDirectory();
        Write(_dir.File("scale.json"), "scale", Scaling());
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private CliResult Plot(params string[] args) => Tool.Run(["plot", .. args], _dir.Path, environment: null);

    [Test]
    public void One_run_is_a_scaling_plot_of_peak_in_MiB_with_pass_whiskers_and_a_line_per_impl()
    {
        var result = Plot("scale.json", "-o", "scale.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.StartWith($"benchmem: wrote {_dir.File("scale.html")} (scaling: peak against n · scale; 2 series, 6 point(s))"));
        var figure = Figure(_dir.File("scale.html"));
        Assert.That(Title(figure), Is.EqualTo("peak against n · scale"));
        Assert.That(AxisTitle(figure, "xaxis"), Is.EqualTo("n"));
        Assert.That(AxisTitle(figure, "yaxis"), Is.EqualTo("peak (MiB)"));
        Assert.That(AxisType(figure, "xaxis"), Is.EqualTo("log"), "n spans two decades");
        Assert.That(AxisType(figure, "yaxis"), Is.EqualTo("log"), "1…200 MiB spans two decades");
        Assert.That(figure.GetProperty("layout").GetProperty("legend").GetProperty("title").GetProperty("text").GetString(), Is.EqualTo("scale"), "the legend names the run");

        var traces = Traces(figure);
        Assert.That(traces.Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "impl=array", "impl=list" }));
        Assert.That(Numbers(traces[0].GetProperty("x")), Is.EqualTo(new double?[] { 1_000, 10_000, 100_000 }));
        Assert.That(Numbers(traces[0].GetProperty("y")), Is.EqualTo(new double?[] { 1, 10, 100 }));
        Assert.That(Numbers(traces[1].GetProperty("y")), Is.EqualTo(new double?[] { 2, 20, 200 }));
        // Whiskers: min…max over the passes, i.e. 0 below the headline and 128 KiB = 0.125 MiB above it.
        var whiskers = traces[0].GetProperty("error_y");
        Assert.That(Numbers(whiskers.GetProperty("array")), Is.EqualTo(new double?[] { 0.125, 0.125, 0.125 }));
        Assert.That(Numbers(whiskers.GetProperty("arrayminus")), Is.EqualTo(new double?[] { 0, 0, 0 }));
        Assert.That(Strings(traces[0].GetProperty("hovertext"))[1], Does.Contain("n=10000: 10.0 MiB (min 10.0 MiB, max 10.1 MiB)"));
    }

    /// <summary>Build(n) whose headline pass ran <paramref name="gen1"/> gen-1 and <paramref name="gen2"/> gen-2 collections
    /// (the other two passes one and two more gen-1 ones).</summary>
    private static BenchmarkRecord Collecting(long n, int gen1, int gen2)
    {
        var r = Bench("Build", [("n", n)], n * 10.0, n / 1000 * MiB);
        return new BenchmarkRecord
        {
            Namespace = r.Namespace, Type = r.Type, Method = r.Method, Parameters = r.Parameters, FullName = r.FullName, Dims = r.Dims,
            Timing = r.Timing, Allocation = r.Allocation,
            Memory = r.Memory! with { Passes = [.. r.Memory!.Passes.Select((p, i) => p with { Gen1 = gen1 + i, Gen2 = gen2 })] },
        };
    }

    [TestCase("gen1", new double[] { 1, 10, 100 }, new double[] { 2, 2, 2 }, "log")]
    [TestCase("gen2", new double[] { 0, 3, 6 }, new double[] { 0, 0, 0 }, "linear")]
    public void Collections_of_every_generation_are_plot_metrics(string metric, double[] values, double[] above, string axis)
    {
        Write(_dir.File("gc.json"), "gc", Collecting(1_000, 1, 0), Collecting(10_000, 10, 3), Collecting(100_000, 100, 6));
        var result = Plot("gc.json", "--columns", metric, "-o", "gc.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("gc.html"));
        Assert.That(Title(figure), Is.EqualTo($"{metric} against n · gc"));
        Assert.That(AxisTitle(figure, "yaxis"), Is.EqualTo(metric), "a count has no unit");
        Assert.That(AxisType(figure, "yaxis"), Is.EqualTo(axis));
        var trace = Traces(figure).Single();
        Assert.That(Numbers(trace.GetProperty("y")), Is.EqualTo(values.Select(v => (double?)v)));
        Assert.That(Numbers(trace.GetProperty("error_y").GetProperty("array")), Is.EqualTo(above.Select(v => (double?)v)), "whiskers: min…max over the passes");
    }

    [Test]
    public void Time_is_the_median_per_op_in_a_unit_chosen_from_the_data_with_interquartile_whiskers()
    {
        var result = Plot("scale.json", "--columns", "time", "--where", "impl=array", "-o", "time.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("time.html"));
        Assert.That(Title(figure), Is.EqualTo("time per op against n · scale"));
        Assert.That(AxisTitle(figure, "yaxis"), Is.EqualTo("time per op (µs)"));
        var trace = Traces(figure).Single();
        Assert.That(trace.GetProperty("name").GetString(), Is.EqualTo("Build"), "one series, nothing varies: the method names it");
        Assert.That(Numbers(trace.GetProperty("y")), Is.EqualTo(new double?[] { 10, 100, 1000 }).Within(1e-9));
        Assert.That(Numbers(trace.GetProperty("error_y").GetProperty("array")), Is.EqualTo(new double?[] { 1, 10, 100 }).Within(1e-9), "Q3 of the rounds is 1.1 × the median");
        Assert.That(Numbers(trace.GetProperty("error_y").GetProperty("arrayminus")), Is.EqualTo(new double?[] { 1, 10, 100 }).Within(1e-9), "Q1 is 0.9 × the median");
        Assert.That(Strings(trace.GetProperty("hovertext"))[2], Does.Contain("n=100000: 1.000 ms (min 800.0 µs, max 1.200 ms)"), "the extremes on hover");
    }

    [Test]
    public void Two_runs_give_a_line_per_run_named_by_the_labels()
    {
        Write(_dir.File("other.json"), "other", Scaling());

        var result = Plot("scale.json", "other.json", "--view", "scaling", "--where", "impl=list", "-l", "main", "-l", "branch", "-o", "two.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("two.html"));
        Assert.That(Traces(figure).Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "main", "branch" }));
        Assert.That(Title(figure), Is.EqualTo("peak against n"));
    }

    [Test]
    public void Linear_axes_when_the_data_spans_less_than_two_decades()
    {
        var result = Plot("scale.json", "--where", "n=1000", "--where", "n=10000", "--where", "impl=array", "-o", "lin.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("lin.html"));
        Assert.That(AxisType(figure, "xaxis"), Is.EqualTo("linear"));
        Assert.That(AxisType(figure, "yaxis"), Is.EqualTo("linear"));
        Assert.That(Numbers(Traces(figure).Single().GetProperty("x")), Is.EqualTo(new double?[] { 1_000, 10_000 }), "the same key twice means either value");
    }

    [Test]
    public void Facet_makes_a_panel_per_value_with_shared_units()
    {
        var result = Plot("scale.json", "--facet", "impl", "-o", "facet.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("facet.html"));
        var layout = figure.GetProperty("layout");
        Assert.That(layout.GetProperty("grid").GetProperty("columns").GetInt32(), Is.EqualTo(2));
        Assert.That(layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()), Is.EqualTo(new[] { "<b>impl=array</b>", "<b>impl=list</b>" }));
        var traces = Traces(figure);
        Assert.That(traces.Select(t => t.GetProperty("yaxis").GetString()), Is.EqualTo(new[] { "y", "y2" }));
        Assert.That(AxisTitle(figure, "yaxis2"), Is.EqualTo("peak (MiB)"));
        Assert.That(Numbers(traces[1].GetProperty("y")), Is.EqualTo(new double?[] { 2, 20, 200 }));
    }

    [Test]
    public void Facet_by_type_splits_benchmarks_told_apart_by_their_class()
    {
        Write(_dir.File("types.json"), "types", [.. Scaling(), .. Sorts(1 * KiB, 10 * KiB, 100 * KiB)]);

        var result = Plot("types.json", "--facet", "type", "--where", "method=Sort", "--where", "method=Build", "-o", "types.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("types.html"));
        Assert.That(figure.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()),
            Is.EqualTo(new[] { "<b>type=ListBenchmarks</b>", "<b>type=SortBenchmarks</b>" }));
        var traces = Traces(figure);
        Assert.That(traces.Select(t => t.GetProperty("yaxis").GetString()), Is.EqualTo(new[] { "y", "y", "y2" }), "array and list, then Sort");
        Assert.That(Numbers(traces[2].GetProperty("x")), Is.EqualTo(new double?[] { 10, 100, 1000 }));
        Assert.That(Numbers(traces[2].GetProperty("y")), Is.EqualTo(new double?[] { 1 / 1024.0, 10 / 1024.0, 100 / 1024.0 }).Within(1e-12), "one unit (MiB) for all panels");
    }

    [Test]
    public void Color_groups_series_by_a_dim()
    {
        Write(_dir.File("other.json"), "other", Scaling());

        var result = Plot("scale.json", "other.json", "--view", "scaling", "--color", "impl", "-o", "color.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var traces = Traces(Figure(_dir.File("color.html")));
        Assert.That(traces.Select(t => t.GetProperty("name").GetString()),
            Is.EqualTo(new[] { "scale · impl=array", "scale · impl=list", "other · impl=array", "other · impl=list" }));
        string Colour(int i) => traces[i].GetProperty("line").GetProperty("color").GetString()!;
        Assert.That(Colour(0), Is.EqualTo(Colour(2)), "same impl, same colour");
        Assert.That(Colour(0), Is.Not.EqualTo(Colour(1)));
        Assert.That(traces[2].GetProperty("line").GetProperty("dash").GetString(), Is.Not.EqualTo(traces[0].GetProperty("line").GetProperty("dash").GetString()), "told apart by dash");
    }

    [Test]
    public void X_picks_the_dim_when_several_numeric_dims_vary()
    {
        Write(_dir.File("grid.json"), "grid",
            Bench("Fill", [("n", 10L), ("width", 1L)], 100, 10 * KiB),
            Bench("Fill", [("n", 100L), ("width", 1L)], 1000, 100 * KiB),
            Bench("Fill", [("n", 10L), ("width", 2L)], 200, 20 * KiB),
            Bench("Fill", [("n", 100L), ("width", 2L)], 2000, 200 * KiB));

        // Without --x: drawn against one of them (the most values, then by name), a line per value of the other.
        var chosen = Plot("grid.json", "-o", "n.html");
        Assert.That(chosen.ExitCode, Is.EqualTo(0), chosen.ToString());
        Assert.That(chosen.StdoutLines[1], Is.EqualTo("benchmem: note: ListBenchmarks.Fill against n (width also varies); pick another with --x"));
        var byN = Traces(Figure(_dir.File("n.html")));
        Assert.That(byN.Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "width=1", "width=2" }));
        Assert.That(Numbers(byN[1].GetProperty("x")), Is.EqualTo(new double?[] { 10, 100 }));

        var result = Plot("grid.json", "--x", "width", "-o", "w.html");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var traces = Traces(Figure(_dir.File("w.html")));
        Assert.That(traces.Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "n=10", "n=100" }));
        Assert.That(Numbers(traces[1].GetProperty("x")), Is.EqualTo(new double?[] { 1, 2 }));
        Assert.That(Numbers(traces[1].GetProperty("y")), Is.EqualTo(new double?[] { 100, 200 }), "KiB");
    }

    [Test]
    public void A_suite_with_a_dim_per_class_is_a_panel_per_benchmark_against_its_own_dim()
    {
        Write(_dir.File("suite.json"), "suite", Suite());

        var result = Plot("suite.json", "-o", "suite.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            $"benchmem: wrote {_dir.File("suite.html")} (scaling: peak against each benchmark's varying dim · suite; 4 series, 12 point(s), 3 panels)",
            "benchmem: note: 2 benchmark(s) without peak left out; 1 benchmark(s) with no numeric dim that varies left out (JsonBenchmarks.Parse)",
        }));
        var figure = Figure(_dir.File("suite.html"));
        Assert.That(figure.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()),
            Is.EqualTo(new[] { "<b>DictBenchmarks.Fill</b>", "<b>ListBenchmarks.Build</b>", "<b>SortBenchmarks.Sort</b>" }), "Concat has no peak, Parse no dim");
        Assert.That(new[] { "xaxis", "xaxis2", "xaxis3" }.Select(a => AxisTitle(figure, a)), Is.EqualTo(new[] { "size", "n", "n" }));
        Assert.That(new[] { "yaxis", "yaxis2", "yaxis3" }.Select(a => AxisTitle(figure, a)), Is.EqualTo(new[] { "peak (KiB)", "peak (MiB)", "peak (KiB)" }), "each benchmark's own unit");
        var traces = Traces(figure);
        Assert.That(traces.Select(t => (t.GetProperty("name").GetString(), t.GetProperty("xaxis").GetString())),
            Is.EqualTo(new[] { ("Fill", "x"), ("impl=array", "x2"), ("impl=list", "x2"), ("Sort", "x3") }));
        Assert.That(Numbers(traces[0].GetProperty("x")), Is.EqualTo(new double?[] { 10, 100, 1000 }));
        Assert.That(Numbers(traces[0].GetProperty("y")), Is.EqualTo(new double?[] { 10, 100, 1000 }), "KiB");
        Assert.That(Numbers(traces[2].GetProperty("y")), Is.EqualTo(new double?[] { 2, 20, 200 }), "MiB");
        Assert.That(Numbers(traces[3].GetProperty("y")), Is.EqualTo(new double?[] { 1_000 / 1024.0, 10_000 / 1024.0, 100_000 / 1024.0 }).Within(1e-12));

        var facet = Plot("suite.json", "--facet", "impl");
        Assert.That(facet.ExitCode, Is.EqualTo(2), facet.ToString());
        Assert.That(facet.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: scaling: the benchmarks vary different numeric dims (DictBenchmarks.Fill: size, ListBenchmarks.Build: n, SortBenchmarks.Sort: n, StringBenchmarks.Concat: parts), " +
            "which needs a panel each; with --facet, pick one dim for the x axis with --x, e.g. --x size.",
        }));
    }

    [Test]
    public void Facet_values_whose_benchmarks_were_all_left_out_make_no_panel()
    {
        Write(_dir.File("suite.json"), "suite", Suite());

        var result = Plot("suite.json", "--facet", "method", "--x", "n", "-o", "methods.html");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("methods.html"));
        Assert.That(figure.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()),
            Is.EqualTo(new[] { "<b>method=Build</b>", "<b>method=Sort</b>" }), "Concat, Fill and Parse have no n");
        Assert.That(figure.GetProperty("layout").GetProperty("grid").GetProperty("columns").GetInt32(), Is.EqualTo(2));
        Assert.That(figure.GetProperty("layout").TryGetProperty("xaxis3", out _), Is.False);
    }

    [Test]
    public void Default_output_is_benchmem_view_html_in_the_current_directory()
    {
        var result = Plot("scale.json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(File.Exists(_dir.File("benchmem-scaling.html")), Is.True, result.ToString());
        Assert.That(result.Stdout, Does.StartWith($"benchmem: wrote {_dir.File("benchmem-scaling.html")} "));
    }

    [Test]
    public void Html_is_self_contained_with_plotly_inlined_and_no_external_script()
    {
        Assert.That(Plot("scale.json", "-o", "offline.html").ExitCode, Is.EqualTo(0));

        string html = File.ReadAllText(_dir.File("offline.html"));
        Assert.That(html, Does.Not.Match("<script[^>]+src="), "no external scripts");
        Assert.That(html, Does.Not.Match("<link[^>]+href="), "no external stylesheets");
        // plotly.js inlined as base64 of its gzip: unpacked here as the page unpacks it.
        var bundle = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"application/octet-stream\" id=\"benchmem-plotly\" data-encoding=\"gzip\\+base64\" data-version=\"2.28.0\">(?<b64>[^<]*)</script>");
        Assert.That(bundle.Success, Is.True, "the plotly.js block");
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(Convert.FromBase64String(bundle.Groups["b64"].Value.Trim())), System.IO.Compression.CompressionMode.Decompress);
        using var plotly = new MemoryStream();
        gzip.CopyTo(plotly);
        Assert.That(System.Text.Encoding.UTF8.GetString(plotly.ToArray()), Does.StartWith("/**\n* plotly.js v2.28.0\n"), "plotly.js itself");
        Assert.That(plotly.Length, Is.EqualTo(3_608_773), "the whole bundle (bytes) as Plotly.NET 6.0.0 ships it");
        // The page is the bundle's gzip in base64 (1.47 MB) and the figure: 3.6 MB with the bundle as text.
        Assert.That(new FileInfo(_dir.File("offline.html")).Length, Is.InRange(1_400_000, 1_500_000));
        Assert.That(Directory.GetFiles(_dir.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "scale.json", "offline.html" }), "no temp file left behind");
    }
}
