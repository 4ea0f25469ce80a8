using System.Globalization;
using System.Text.Json.Nodes;
using Benchmem.Cli.Plot.Rendering;
using Benchmem.Core.Profiles;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Profile;

/// <summary>
/// A differential flame graph as one offline HTML page: the head profile's call tree laid out like <see cref="FlameGraph"/>,
/// each box as wide as the larger of its base and head bytes (so vanished stacks still show), red where the head grew,
/// blue where it shrank, the deeper the colour the larger the change relative to the largest one.
/// </summary>
public static class DiffFlameGraph
{
    public static void Write(AllocationProfile baseProfile, AllocationProfile head, string title, Stream output)
    {
        // One node per distinct path prefix of frame names, over both profiles.
        var nodes = new Dictionary<string, (long Base, long Head, long Width, string Parent, string Label)>(StringComparer.Ordinal);
        const string Root = "";
        void Add(AllocationProfile profile, bool isHead)
        {
            foreach (var sample in profile.Samples)
            {
                string parent = Root, id = "";
                foreach (var frame in sample.Stack)
                {
                    id += "\n" + profile.Frames[frame];
                    var n = nodes.TryGetValue(id, out var found) ? found : (0, 0, 0, parent, profile.Frames[frame]);
                    nodes[id] = isHead ? n with { Head = n.Head + sample.Bytes } : n with { Base = n.Base + sample.Bytes };
                    parent = id;
                }
            }
        }
        Add(baseProfile, isHead: false);
        Add(head, isHead: true);
        // Widths bottom-up: a leaf is max(base, head); a parent at least the sum of its children (plotly's "total").
        var children = nodes.Keys.ToLookup(k => nodes[k].Parent, StringComparer.Ordinal);
        long Width(string id)
        {
            long sum = children[id].Sum(Width);
            var n = nodes[id];
            long width = Math.Max(sum, Math.Max(n.Base, n.Head));
            nodes[id] = n with { Width = width };
            return width;
        }
        long total = children[Root].Sum(Width);
        long largest = Math.Max(1, nodes.Values.Select(n => Math.Abs(n.Head - n.Base)).DefaultIfEmpty(0).Max());

        var ids = new JsonArray { "0" };
        var labels = new JsonArray { "all" };
        var parents = new JsonArray { "" };
        var values = new JsonArray { total };
        long baseTotal = baseProfile.TotalBytes, headTotal = head.TotalBytes;
        var hover = new JsonArray { Hover("all", baseTotal, headTotal) };
        var colors = new JsonArray { Color(headTotal - baseTotal, Math.Max(largest, Math.Abs(headTotal - baseTotal))) };
        var number = new Dictionary<string, string>(StringComparer.Ordinal) { [Root] = "0" };
        foreach (var (id, n) in nodes.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            number[id] = number.Count.ToString(CultureInfo.InvariantCulture);
            ids.Add(number[id]);
            labels.Add(n.Label);
            parents.Add(number[n.Parent]);
            values.Add(n.Width);
            hover.Add(Hover(n.Label, n.Base, n.Head));
            colors.Add(Color(n.Head - n.Base, largest));
        }
        var trace = new JsonObject
        {
            ["type"] = "icicle",
            ["ids"] = ids,
            ["labels"] = labels,
            ["parents"] = parents,
            ["values"] = values,
            ["customdata"] = hover,
            ["marker"] = new JsonObject { ["colors"] = colors },
            ["branchvalues"] = "total",
            ["tiling"] = new JsonObject { ["orientation"] = "v", ["flip"] = "y" },
            ["hovertemplate"] = "%{customdata}<extra></extra>",
            ["textinfo"] = "label",
        };
        string sub = $"base {ByteSize.Format(baseTotal)} → head {ByteSize.Format(headTotal)}; red grew, blue shrank, width the larger of the two; click a box to zoom";
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = HtmlRenderer.Escape(title) + $"<br><sup>{HtmlRenderer.Escape(sub)}</sup>" },
            ["margin"] = new JsonObject { ["t"] = 90, ["l"] = 10, ["r"] = 10, ["b"] = 10 },
        };
        int depth = nodes.Count == 0 ? 1 : nodes.Keys.Max(k => k.Count(c => c == '\n')) + 1;
        HtmlRenderer.WritePage(output, title, "benchmem profile --diff", [trace], layout, Math.Clamp(depth * 28 + 120, 400, 4000));
    }

    private static string Hover(string label, long baseBytes, long headBytes)
    {
        long delta = headBytes - baseBytes;
        return HtmlRenderer.Escape(label) + $"<br>base {ByteSize.Format(baseBytes)}, head {ByteSize.Format(headBytes)}"
            + $"<br>{(delta < 0 ? "-" : "+")}{ByteSize.Format(Math.Abs(delta))}";
    }

    /// <summary>Red for growth, blue for shrinking, white for no change; the intensity is the change over the largest one.</summary>
    public static string Color(long delta, long largest)
    {
        double share = Math.Min(1, Math.Abs(delta) / (double)Math.Max(1, largest));
        int fade = (int)Math.Round(255 * (1 - share));
        return delta > 0 ? $"rgb(255,{fade},{fade})" : delta < 0 ? $"rgb({fade},{fade},255)" : "rgb(255,255,255)";
    }
}
