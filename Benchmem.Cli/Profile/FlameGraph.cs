using System.Text.Json.Nodes;
using Benchmem.Cli.Plot.Rendering;
using Benchmem.Core.Profiles;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Profile;

/// <summary>
/// A profile's flame graph as one offline HTML page: a plotly icicle laid out bottom-up (the benchmark at the bottom,
/// the allocated types on top), each box as wide as the bytes allocated under it; click a box to zoom into it.
/// </summary>
public static class FlameGraph
{
    public static void Write(AllocationProfile profile, Stream output)
    {
        var ids = new JsonArray();
        var labels = new JsonArray();
        var parents = new JsonArray();
        var values = new JsonArray();
        var objects = new JsonArray();
        // One node per distinct path prefix; ids are the prefix's frame indexes.
        var nodes = new Dictionary<string, (long Bytes, long Objects, string Parent, string Label)>(StringComparer.Ordinal);
        const string Root = "all";
        foreach (var sample in profile.Samples)
        {
            string parent = Root;
            string id = "";
            foreach (var frame in sample.Stack)
            {
                id += "/" + frame;
                var node = nodes.TryGetValue(id, out var n) ? n : (0, 0, parent, profile.Frames[frame]);
                nodes[id] = (node.Bytes + sample.Bytes, node.Objects + sample.Objects, parent, node.Label);
                parent = id;
            }
        }
        ids.Add("0");
        labels.Add(Root);
        parents.Add("");
        values.Add(profile.TotalBytes);
        objects.Add(profile.TotalObjects);
        // The page names each box by its number, not by its path of frame indexes: a path is as long as the stack
        // is deep, and each is written twice (as id and as its children's parent), which weighed more than the data.
        var number = new Dictionary<string, string>(StringComparer.Ordinal) { [Root] = "0" };
        foreach (var (id, node) in nodes.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            string key = number[id] = number.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ids.Add(key);
            labels.Add(node.Label);
            parents.Add(number[node.Parent]);
            values.Add(node.Bytes);
            objects.Add(node.Objects);
        }
        var trace = new JsonObject
        {
            ["type"] = "icicle",
            ["ids"] = ids,
            ["labels"] = labels,
            ["parents"] = parents,
            ["values"] = values,
            ["customdata"] = objects,
            ["branchvalues"] = "total",
            ["tiling"] = new JsonObject { ["orientation"] = "v", ["flip"] = "y" },
            ["hovertemplate"] = "%{label}<br>%{value:,} bytes, %{customdata:,} objects<br>%{percentRoot:.1%} of the pass<extra></extra>",
            ["textinfo"] = "label",
        };
        var info = profile.Info;
        string how = info.Method == ProfileMethods.Exact ? "exact: every allocation of one pass" : "sampled: the runtime's allocation samples, shares are estimates";
        var layout = new JsonObject
        {
            ["title"] = new JsonObject
            {
                ["text"] = HtmlRenderer.Escape($"Allocations of {info.FullName}") + $"<br><sup>{HtmlRenderer.Escape($"{ByteSize.Format(profile.TotalBytes)} in {profile.TotalObjects:N0} objects ({how}); click a box to zoom")}</sup>",
            },
            ["margin"] = new JsonObject { ["t"] = 90, ["l"] = 10, ["r"] = 10, ["b"] = 10 },
        };
        int depth = profile.Samples.Count == 0 ? 1 : profile.Samples.Max(s => s.Stack.Length) + 1;
        HtmlRenderer.WritePage(output, $"Allocations of {info.FullName}", "benchmem profile", [trace], layout, Math.Clamp(depth * 28 + 120, 400, 4000));
    }
}
