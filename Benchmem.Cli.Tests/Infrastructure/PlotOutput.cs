using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SkiaSharp;

namespace Benchmem.Cli.Tests.Infrastructure;

/// <summary>Reads what <c>benchmem plot</c> wrote: the figure JSON inside the HTML, a decoded PNG, the text of an SVG.</summary>
public static partial class PlotOutput
{
    [GeneratedRegex("""<script type="application/json" id="benchmem-figure">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex FigureScript();

    /// <summary>The plotly figure ({data, layout, config}) embedded in an HTML plot.</summary>
    public static JsonElement Figure(string htmlPath)
    {
        var match = FigureScript().Match(File.ReadAllText(htmlPath));
        Assert.That(match.Success, Is.True, $"{htmlPath} has no <script id=\"benchmem-figure\"> block");
        using var doc = JsonDocument.Parse(match.Groups["json"].Value);
        return doc.RootElement.Clone();
    }

    public static JsonElement[] Traces(JsonElement figure) => figure.GetProperty("data").EnumerateArray().ToArray();

    public static double?[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string AxisTitle(JsonElement figure, string axis) =>
        figure.GetProperty("layout").GetProperty(axis).GetProperty("title").GetProperty("text").GetString()!;

    public static string AxisType(JsonElement figure, string axis) =>
        figure.GetProperty("layout").GetProperty(axis).GetProperty("type").GetString()!;

    public static string Title(JsonElement figure) =>
        figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString()!;

    /// <summary>A decoded PNG: size from the IHDR chunk (checked against the decoder) and pixel statistics, of the
    /// whole image or of a region (to tell which facet panel, or the header, something was drawn in).</summary>
    public sealed record Png(int Width, int Height, SKColor[] Pixels)
    {
        public SKRectI All => new(0, 0, Width, Height);

        public int DistinctColours => Pixels.Select(p => (uint)p).Distinct().Count();

        public double NonWhiteShare => NonWhiteShareIn(All);

        public int CountNear(SKColor target) => CountNearIn(target, All);

        public double NonWhiteShareIn(SKRectI region) => (double)In(region).Count(p => p.Red < 245 || p.Green < 245 || p.Blue < 245) / (region.Width * region.Height);

        public int CountNearIn(SKColor target, SKRectI region) =>
            In(region).Count(p => Math.Abs(p.Red - target.Red) < 12 && Math.Abs(p.Green - target.Green) < 12 && Math.Abs(p.Blue - target.Blue) < 12);

        private IEnumerable<SKColor> In(SKRectI region)
        {
            for (int y = Math.Max(0, region.Top); y < Math.Min(Height, region.Bottom); y++)
                for (int x = Math.Max(0, region.Left); x < Math.Min(Width, region.Right); x++)
                    yield return Pixels[y * Width + x];
        }
    }

    public static Png DecodePng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"), "first chunk is IHDR");
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        int height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.That(bitmap, Is.Not.Null, "the PNG decodes");
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((width, height)), "decoded size matches IHDR");
        return new Png(width, height, bitmap.Pixels);
    }

    /// <summary>The SVG's root size and every text element's content, trimmed.</summary>
    public static (double Width, double Height, string[] Texts) ReadSvg(string path)
    {
        var doc = XDocument.Load(path);
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.That(doc.Root!.Name, Is.EqualTo(svg + "svg"), "root element is <svg>");
        double width = double.Parse(doc.Root.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        double height = double.Parse(doc.Root.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var texts = doc.Descendants(svg + "text").Select(t => string.Concat(t.DescendantNodes().OfType<XText>().Select(x => x.Value)).Trim()).ToArray();
        return (width, height, texts);
    }

    /// <summary>
    /// Where an SVG's texts are drawn (ScottPlot places each with <c>transform="translate(x y)"</c>) and its data area
    /// (the first positioned rectangle, the plot's background), to tell a legend inside the data from one beside it.
    /// </summary>
    public static (IReadOnlyList<(string Text, double X, double Y)> Texts, (double Left, double Top, double Right, double Bottom) DataArea) SvgLayout(string path)
    {
        var doc = XDocument.Load(path);
        XNamespace svg = "http://www.w3.org/2000/svg";
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var texts = new List<(string, double, double)>();
        foreach (var t in doc.Descendants(svg + "text"))
        {
            var m = Regex.Match(t.Attribute("transform")?.Value ?? "", @"translate\((?<x>[-\d.]+)[ ,]+(?<y>[-\d.]+)\)");
            if (m.Success)
                texts.Add((string.Concat(t.DescendantNodes().OfType<XText>().Select(x => x.Value)).Trim(), double.Parse(m.Groups["x"].Value, culture), double.Parse(m.Groups["y"].Value, culture)));
        }
        var rect = doc.Descendants(svg + "rect").First(r => r.Attribute("x") is not null);
        double Attr(string name) => double.Parse(rect.Attribute(name)!.Value, culture);
        return (texts, (Attr("x"), Attr("y"), Attr("x") + Attr("width"), Attr("y") + Attr("height")));
    }
}
