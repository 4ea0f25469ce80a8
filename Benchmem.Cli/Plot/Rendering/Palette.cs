namespace Benchmem.Cli.Plot.Rendering;

/// <summary>
/// Series colours by name, in order of first use: the same run or series keeps its colour across facet panels, and
/// HTML and images use the same colours (plotly's default ten, which stay apart for most colour-blind readers).
/// </summary>
public sealed class Palette
{
    public static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>
    /// Blue (-1, shrank) through near-white (0) to red (+1, grew): ColorBrewer's RdBu ends, the same in HTML and
    /// images (plotly's own "RdBu" runs the other way and through grey).
    /// </summary>
    public static (byte R, byte G, byte B) Diverging(double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, -1, 1) : 0;
        (byte R, byte G, byte B) blue = (0x21, 0x66, 0xac), white = (0xf7, 0xf7, 0xf7), red = (0xb2, 0x18, 0x2b);
        var (from, to, f) = t < 0 ? (white, blue, -t) : (white, red, t);
        return ((byte)(from.R + (to.R - from.R) * f), (byte)(from.G + (to.G - from.G) * f), (byte)(from.B + (to.B - from.B) * f));
    }

    public static string Hex((byte R, byte G, byte B) c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";

    private readonly Dictionary<string, string> _assigned = new(StringComparer.Ordinal);

    public string For(string key)
    {
        if (!_assigned.TryGetValue(key, out var color))
            _assigned[key] = color = Colors[_assigned.Count % Colors.Length];
        return color;
    }
}
