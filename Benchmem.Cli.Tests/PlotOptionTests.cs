using System.Text.Json;
using System.Text.RegularExpressions;
using Benchmem.Cli.Tests.Infrastructure;
using SkiaSharp;
using static Benchmem.Cli.Tests.Infrastructure.PlotOutput;
using static Benchmem.Cli.Tests.Infrastructure.PlotRuns;

namespace Benchmem.Cli.Tests;

/// <summary>
/// The plot options past the views: --band, --log-x/--log-y/--linear, --y-zero, --free-axes, --clip, --open and the
/// .jpg/.webp/.pdf outputs, through the real tool. Band ends are checked against the crafted samples of
/// <see cref="PlotRuns"/> (passes peak, +64 KiB, +128 KiB; rounds 1.2, 0.9, 1, 1.1, 0.8 × the median), not against
/// the tool's own numbers.
/// </summary>
public class PlotOptionTests
{
    private TempDirectory _dir = null!;

    [OneTimeSetUp]
    public void WriteRuns()
    {
        Chromium.EnsureInstalled(); // also brings the font the images need
        _dir = new TempDirectory();
        Write(_dir.File("scale.json"), "scale", Scaling());
        Write(_dir.File("zero.json"), "zero", Sorts(0, 1_500, 2_000));
        // n = 1, 2, 4 with peaks 1, 2, 4 MiB (whiskers to + 128 KiB): neither axis spans two decades.
        Write(_dir.File("short.json"), "short", [.. new long[] { 1, 2, 4 }.Select(n => Bench("Sort", [("n", n)], 1000.0 * n, n * MiB, type: "SortBenchmarks"))]);
        Write(_dir.File("grow-base.json"), "main", Growths(candidate: false));
        Write(_dir.File("grow-new.json"), "pr", Growths(candidate: true));
        // Two facets a thousand times apart: impl=small peaks n bytes, impl=big n / 10 MiB.
        Write(_dir.File("apart.json"), "apart",
        [
            .. new long[] { 1_000, 10_000, 100_000 }.SelectMany(n => new[]
            {
                Bench("Build", [("n", n), ("impl", "small")], n, n),
                Bench("Build", [("n", n), ("impl", "big")], n, n / 10 * MiB),
            }),
        ]);
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private CliResult Plot(params string[] args) => Tool.Run(["plot", .. args], _dir.Path, environment: null);

    private JsonElement PlotHtml(string name, params string[] args)
    {
        var result = Plot([.. args, "-o", name]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        return Figure(_dir.File(name));
    }

    private static JsonElement[] Band(JsonElement figure, string edge) =>
        Traces(figure).Where(t => t.TryGetProperty("benchmemBand", out var b) && b.GetString() == edge).ToArray();

    [Test]
    public void Band_replaces_the_whiskers_with_a_filled_band_drawn_in_the_browser()
    {
        var figure = PlotHtml("band.html", "scale.json", "--band");
        var lines = Traces(figure).Where(t => !t.TryGetProperty("benchmemBand", out _)).ToArray();
        Assert.That(lines.Select(t => t.GetProperty("name").GetString()), Is.EqualTo(new[] { "impl=array", "impl=list" }));
        Assert.That(lines.Select(t => t.TryGetProperty("error_y", out _)), Is.All.False, "no whiskers with --band");
        // Memory: min…max over the passes (peak … peak + 128 KiB), in MiB.
        var (high, low) = (Band(figure, "high"), Band(figure, "low"));
        Assert.That(high.Select(t => Numbers(t.GetProperty("y"))), Is.EqualTo(new[] { new double?[] { 1.125, 10.125, 100.125 }, [2.125, 20.125, 200.125] }));
        Assert.That(low.Select(t => Numbers(t.GetProperty("y"))), Is.EqualTo(new[] { new double?[] { 1, 10, 100 }, [2, 20, 200] }));
        Assert.That(low.Select(t => t.GetProperty("fill").GetString()), Is.All.EqualTo("tonexty"));
        Assert.That(low.Select(t => t.GetProperty("fillcolor").GetString()), Is.EqualTo(new[] { "rgba(31,119,180,0.22)", "rgba(255,127,14,0.22)" }));

        string dom = Chromium.DumpDom(_dir.File("band.html"));
        Assert.That(dom, Does.Contain("data-benchmem-rendered=\"true\""));
        Assert.That(Regex.Match(dom, "<pre id=\"benchmem-errors\"[^>]*>(?<text>.*?)</pre>", RegexOptions.Singleline).Groups["text"].Value, Is.Empty);
        Assert.That(Regex.Matches(dom, "class=\"js-fill\"").Count, Is.EqualTo(2), "plotly drew a fill path per band");
    }

    /// <summary>In the images the band is the series colour at 22% over white: #1f77b4 → (206, 225, 238).</summary>
    [Test]
    public void Band_in_the_png_is_the_translucent_series_colour()
    {
        Assert.That(Plot("scale.json", "--columns", "time", "--band", "-o", "band.png").ExitCode, Is.EqualTo(0));
        Assert.That(Plot("scale.json", "--columns", "time", "-o", "whiskers.png").ExitCode, Is.EqualTo(0));
        var tint = new SKColor((byte)Math.Round(255 * 0.78 + 0x1f * 0.22), (byte)Math.Round(255 * 0.78 + 0x77 * 0.22), (byte)Math.Round(255 * 0.78 + 0xb4 * 0.22));
        var band = DecodePng(_dir.File("band.png"));
        var whiskers = DecodePng(_dir.File("whiskers.png"));
        Assert.That(band.CountNear(tint), Is.GreaterThan(whiskers.CountNear(tint) + 500), $"band pixels near {tint}");
    }

    [Test]
    public void Band_spreads_and_clip_use_the_samples()
    {
        // Memory Q1…Q3 of (p, p + 64 KiB, p + 128 KiB): p + 32 KiB … p + 96 KiB.
        var iqr = PlotHtml("iqr.html", "scale.json", "--band", "iqr", "--where", "impl=array");
        Assert.That(Numbers(Band(iqr, "low").Single().GetProperty("y")), Is.EqualTo(new double?[] { 1.03125, 10.03125, 100.03125 }));
        Assert.That(Numbers(Band(iqr, "high").Single().GetProperty("y")), Is.EqualTo(new double?[] { 1.09375, 10.09375, 100.09375 }));

        // Time: min…max of the rounds (0.8 … 1.2 × the median; array takes 10 µs, 100 µs, 1 ms).
        var minmax = PlotHtml("minmax.html", "scale.json", "--columns", "time", "--band", "minmax", "--where", "impl=array");
        Assert.That(Numbers(Band(minmax, "low").Single().GetProperty("y")).Select(v => Math.Round(v!.Value, 9)), Is.EqualTo(new[] { 8.0, 80, 800 }));
        Assert.That(Numbers(Band(minmax, "high").Single().GetProperty("y")).Select(v => Math.Round(v!.Value, 9)), Is.EqualTo(new[] { 12.0, 120, 1200 }));

        // --clip 1.15 leaves out 1.2 and 0.8 × the median (beyond 1.15× either way): min…max becomes 0.9 … 1.1.
        var result = Plot("scale.json", "--columns", "time", "--band", "minmax", "--clip", "1.15", "-o", "clip.html");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var clipped = Figure(_dir.File("clip.html"));
        Assert.That(Numbers(Band(clipped, "low")[0].GetProperty("y")).Select(v => Math.Round(v!.Value, 9)), Is.EqualTo(new[] { 9.0, 90, 900 }));
        Assert.That(Numbers(Band(clipped, "high")[0].GetProperty("y")).Select(v => Math.Round(v!.Value, 9)), Is.EqualTo(new[] { 11.0, 110, 1100 }));
        Assert.That(result.StdoutLines, Does.Contain("benchmem: note: --clip 1.15: 12 round(s) of 6 benchmark(s) beyond 1.15× the median left out of the spread"));
    }

    [Test]
    public void Clip_leaves_out_the_benchmarks_that_changed_beyond_the_factor()
    {
        // Tiny grew 2.09×, beyond 2×; Mid 1.2×, Big 1.1×, Noise 1.0005× stay.
        var result = Plot("grow-base.json", "grow-new.json", "--view", "compare", "--clip", "2", "-o", "clip-compare.html");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var figure = Figure(_dir.File("clip-compare.html"));
        Assert.That(Strings(figure.GetProperty("layout").GetProperty("yaxis").GetProperty("categoryarray")), Is.EquivalentTo(new[] { "Grow.Mid", "Grow.Big", "Grow.Noise" }));
        Assert.That(result.StdoutLines, Does.Contain("benchmem: note: --clip 2: 1 benchmark(s) changed beyond 2× left out (Grow.Tiny)"));
    }

    [Test]
    public void Log_and_linear_axes_override_the_automatic_choice()
    {
        // scale.json spans 100× on both axes: log by itself.
        var auto = PlotHtml("auto.html", "scale.json");
        Assert.That((AxisType(auto, "xaxis"), AxisType(auto, "yaxis")), Is.EqualTo(("log", "log")));
        var linear = PlotHtml("linear.html", "scale.json", "--linear");
        Assert.That((AxisType(linear, "xaxis"), AxisType(linear, "yaxis")), Is.EqualTo(("linear", "linear")));
        var zero = PlotHtml("zero.html", "scale.json", "--y-zero");
        Assert.That((AxisType(zero, "xaxis"), AxisType(zero, "yaxis")), Is.EqualTo(("log", "linear")), "--y-zero makes y linear");
        Assert.That(zero.GetProperty("layout").GetProperty("yaxis").GetProperty("rangemode").GetString(), Is.EqualTo("tozero"));
        // short.json spans 4× on both: linear by itself; --log-x and --log-y force log, each on its own axis.
        var narrow = PlotHtml("short.html", "short.json");
        Assert.That((AxisType(narrow, "xaxis"), AxisType(narrow, "yaxis")), Is.EqualTo(("linear", "linear")));
        var logX = PlotHtml("log-x.html", "short.json", "--log-x");
        Assert.That((AxisType(logX, "xaxis"), AxisType(logX, "yaxis")), Is.EqualTo(("log", "linear")));
        var logY = PlotHtml("log-y.html", "short.json", "--log-y");
        Assert.That((AxisType(logY, "xaxis"), AxisType(logY, "yaxis")), Is.EqualTo(("linear", "log")));
        // The image draws from zero too: its y tick labels start at 0.
        Assert.That(Plot("short.json", "--y-zero", "-o", "zero.svg").ExitCode, Is.EqualTo(0));
        Assert.That(ReadSvg(_dir.File("zero.svg")).Texts, Does.Contain("0"));
    }

    [Test]
    public void Facets_share_the_y_axis_unless_free_axes()
    {
        var shared = PlotHtml("shared.html", "apart.json", "--facet", "impl");
        var layout = shared.GetProperty("layout");
        Assert.That(layout.GetProperty("yaxis2").GetProperty("matches").GetString(), Is.EqualTo("y"));
        Assert.That((AxisTitle(shared, "yaxis"), AxisTitle(shared, "yaxis2")), Is.EqualTo(("peak (MiB)", "peak (MiB)")));

        var free = PlotHtml("free.html", "apart.json", "--facet", "impl", "--free-axes");
        Assert.That(free.GetProperty("layout").GetProperty("yaxis2").TryGetProperty("matches", out _), Is.False);
        // Each panel in its own unit: big peaks 100 MiB…10 GiB (median 1,000 MiB), small 1,000…100,000 B (median 9.77 KiB).
        var titles = new[] { "yaxis", "yaxis2" }.Select(a => AxisTitle(free, a)).ToArray();
        Assert.That(titles, Is.EquivalentTo(new[] { "peak (MiB)", "peak (KiB)" }));
        var small = Traces(free).Single(t => t.GetProperty("yaxis").GetString() == (titles[0] == "peak (KiB)" ? "y" : "y2"));
        Assert.That(Numbers(small.GetProperty("y")), Is.EqualTo(new double?[] { 1000 / 1024.0, 10000 / 1024.0, 100000 / 1024.0 }));
    }

    [TestCase("jpg")]
    [TestCase("webp")]
    public void Jpeg_and_webp_decode_to_the_image_size_with_both_series_drawn(string extension)
    {
        var result = Plot("scale.json", "-o", $"scale.{extension}");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var bytes = File.ReadAllBytes(_dir.File($"scale.{extension}"));
        if (extension == "jpg")
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xFF, 0xD8, 0xFF }), "JPEG SOI marker");
        else
            Assert.That((System.Text.Encoding.ASCII.GetString(bytes, 0, 4), System.Text.Encoding.ASCII.GetString(bytes, 8, 4)), Is.EqualTo(("RIFF", "WEBP")));
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.That(codec.EncodedFormat, Is.EqualTo(extension == "jpg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Webp));
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((1000, 600)));
        // The same picture as the lossless PNG of the same plot, up to the lossy codec's error.
        Assert.That(Plot("scale.json", "-o", "reference.png").ExitCode, Is.EqualTo(0));
        var reference = DecodePng(_dir.File("reference.png"));
        var pixels = bitmap.Pixels;
        double error = pixels.Select((p, i) => Math.Abs(p.Red - reference.Pixels[i].Red) + Math.Abs(p.Green - reference.Pixels[i].Green) + Math.Abs(p.Blue - reference.Pixels[i].Blue)).Average() / 3;
        Assert.That(error, Is.LessThan(3.0), "mean error per channel against the PNG, of 255");
        Assert.That(reference.NonWhiteShare, Is.GreaterThan(0.01), "the reference is no blank image");
    }

    [Test]
    public void Pdf_is_one_page_of_the_image_size()
    {
        var result = Plot("scale.json", "--facet", "impl", "-o", "scale.pdf");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var bytes = File.ReadAllBytes(_dir.File("scale.pdf"));
        string text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.That(text, Does.StartWith("%PDF-1."));
        Assert.That(text.TrimEnd(), Does.EndWith("%%EOF"));
        // Two facet panels side by side, 620 px each, under a 56 px header: one page of 1240 × 656 points.
        Assert.That(Regex.Matches(text, @"/Type\s*/Page\b").Count, Is.EqualTo(1));
        Assert.That(Regex.Match(text, @"/MediaBox\s*\[\s*0\s+0\s+(?<w>[\d.]+)\s+(?<h>[\d.]+)\s*\]").Groups is var g && g["w"].Success
            ? (double.Parse(g["w"].Value, System.Globalization.CultureInfo.InvariantCulture), double.Parse(g["h"].Value, System.Globalization.CultureInfo.InvariantCulture))
            : (0, 0), Is.EqualTo((1240.0, 656.0)));
    }

    [Test, Platform("Linux")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Open_starts_BROWSER_or_xdg_open_with_the_written_file()
    {
        var bin = _dir.Folder("bin");
        var log = _dir.File("opened.txt");
        string Script(string name, int exit)
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{name} $@\" >> '{log}'\nexit {exit}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return path;
        }
        var browser = Script("fake-browser", 0);
        var page = _dir.File("open.html");

        var viaBrowser = Tool.Run(["plot", "scale.json", "-o", "open.html", "--open"], _dir.Path, new Dictionary<string, string?> { ["BROWSER"] = browser + ":/nowhere/else" });
        Assert.That(viaBrowser.ExitCode, Is.EqualTo(0), viaBrowser.ToString());
        Assert.That(viaBrowser.StdoutLines[^1], Is.EqualTo($"benchmem: opened {page} with {browser}"));

        Script("xdg-open", 0);
        var viaXdg = Tool.Run(["plot", "scale.json", "-o", "open.png", "--open"], _dir.Path,
            new Dictionary<string, string?> { ["BROWSER"] = "", ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") });
        Assert.That(viaXdg.ExitCode, Is.EqualTo(0), viaXdg.ToString());

        // A launcher that fails is said, with the file left written.
        var failing = Script("broken-browser", 3);
        var broken = Tool.Run(["plot", "scale.json", "-o", "broken.html", "--open"], _dir.Path, new Dictionary<string, string?> { ["BROWSER"] = failing });
        Assert.That(broken.ExitCode, Is.EqualTo(2), broken.ToString());
        Assert.That(broken.StderrLines, Is.EqualTo(new[]
        {
            $"benchmem: --open: {failing} {_dir.File("broken.html")} exited with 3; the plot is written: open {_dir.File("broken.html")} yourself, or set BROWSER to your browser's command (e.g. BROWSER=firefox).",
        }));
        Assert.That(File.Exists(_dir.File("broken.html")), Is.True);

        Assert.That(File.ReadAllLines(log), Is.EqualTo(new[] { $"fake-browser {page}", $"xdg-open {_dir.File("open.png")}", $"broken-browser {_dir.File("broken.html")}" }));
    }

    private static IEnumerable<TestCaseData> BadOptions()
    {
        TestCaseData Case(string expected, params string[] args) => new TestCaseData(args, expected).SetArgDisplayNames(string.Join(' ', args));
        yield return Case("benchmem: --linear and --log-x contradict each other; --linear makes both axes linear: drop one of them.", "scale.json", "--linear", "--log-x");
        yield return Case("benchmem: --y-zero and --log-y contradict each other: zero is not on a log axis; drop one of them.", "scale.json", "--y-zero", "--log-y");
        yield return Case("benchmem: --log-x is for the scaling and scatter views, whose axes are numbers; this plot is compare: drop --log-x, or add --view scaling.",
            "grow-base.json", "grow-new.json", "--view", "compare", "--log-x");
        yield return Case("benchmem: --band is for the scaling view (a band around each line); this plot is scatter: drop --band, or add --view scaling.",
            "grow-base.json", "grow-new.json", "--band");
        yield return Case("benchmem: --band 'wide' is not a spread; give --band alone (the metric's own spread), --band minmax or --band iqr.", "scale.json", "--band", "wide");
        yield return Case("benchmem: --band took 'scale.json' as its spread; put --band after the run files, or give it one: --band minmax or --band iqr.", "--band", "scale.json", "short.json");
        yield return Case("benchmem: --free-axes frees the axes of --facet panels, and there is no --facet; add --facet DIM, or drop --free-axes.", "scale.json", "--free-axes");
        yield return Case("benchmem: --clip 1: give a factor above 1, e.g. --clip 10 (leave out what is more than 10× from the median).", "scale.json", "--clip", "1");
        yield return Case("benchmem: --log-y: peak (KiB) has the value 0, which a log axis cannot show; drop --log-y (the y axis goes logarithmic by itself when the data spans two decades).",
            "zero.json", "--log-y");
        yield return Case("benchmem: -o plot.gif: '.gif' is not a supported format; end the name in .html (interactive, offline), .png, .svg, .jpg, .webp or .pdf (static images).",
            "scale.json", "-o", "plot.gif");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void Bad_options_are_one_line_and_write_nothing(string[] args, string expected)
    {
        var before = Directory.GetFiles(_dir.Path).Length;
        var result = Plot(args);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty, result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { expected }), result.ToString());
        Assert.That(Directory.GetFiles(_dir.Path), Has.Length.EqualTo(before), "nothing written");
    }
}
