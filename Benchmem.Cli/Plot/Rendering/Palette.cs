namespace Benchmem.Cli.Plot.Rendering;

/// <summary>
/// Series colours by name, in order of first use: the same run or series keeps its colour across facet panels, and
/// HTML and images use the same colours (plotly's default ten, which stay apart for most colour-blind readers).
/// </summary>
public sealed class Palette
{
    public static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private readonly Dictionary<string, string> _assigned = new(StringComparer.Ordinal);

    public string For(string key)
    {
        if (!_assigned.TryGetValue(key, out var color))
            _assigned[key] = color = Colors[_assigned.Count % Colors.Length];
        return color;
    }
}
