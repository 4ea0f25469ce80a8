using System.Text.Json.Nodes;
using Benchmem.Cli.Plot.Rendering;
using Benchmem.Core.Profiles;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Profile;

/// <summary>
/// Memory over one profiled pass as an offline HTML page: the pass's live bytes after each GC against the bytes it had
/// allocated by then (memray's "temporal" view). Full GCs are exact points; after a partial GC the live value is an upper
/// bound (older garbage not collected yet), drawn hollow. The peak's live set is a dashed line.
/// </summary>
public static class TimelinePlot
{
    public static void Write(AllocationProfile profile, long peakLive, Stream output)
    {
        var points = profile.Info.Timeline;
        JsonObject Series(string name, Func<TimelinePoint, bool> which, string symbol) => new()
        {
            ["type"] = "scatter",
            ["mode"] = "lines+markers",
            ["name"] = name,
            ["x"] = new JsonArray(points.Where(which).Select(p => (JsonNode?)JsonValue.Create(p.AllocatedBytes)).ToArray()),
            ["y"] = new JsonArray(points.Where(which).Select(p => (JsonNode?)JsonValue.Create(p.LiveBytes)).ToArray()),
            ["marker"] = new JsonObject { ["symbol"] = symbol, ["size"] = 8 },
            ["line"] = new JsonObject { ["shape"] = "linear", ["width"] = name.StartsWith("all", StringComparison.Ordinal) ? 1 : 0 },
            ["hovertemplate"] = "allocated %{x:,} B<br>live %{y:,} B<extra>" + HtmlRenderer.Escape(name) + "</extra>",
        };
        var data = new JsonArray
        {
            Series("all GCs", _ => true, "circle-open"),
            Series("full GCs (exact)", p => p.Full, "circle"),
        };
        string title = $"Memory over the pass of {profile.Info.FullName}";
        var layout = new JsonObject
        {
            ["title"] = new JsonObject
            {
                ["text"] = HtmlRenderer.Escape(title) + "<br><sup>" + HtmlRenderer.Escape(
                    $"{points.Count} GCs; live at the peak {ByteSize.Format(peakLive)}, allocated {ByteSize.Format(profile.TotalBytes)}") + "</sup>",
            },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "bytes allocated by the pass so far" } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "the pass's bytes live after the GC" }, ["rangemode"] = "tozero" },
            ["shapes"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["yref"] = "y", ["y0"] = peakLive, ["y1"] = peakLive,
                    ["line"] = new JsonObject { ["dash"] = "dash", ["color"] = "#d62728" },
                },
            },
        };
        HtmlRenderer.WritePage(output, title, "benchmem profile --timeline", data, layout, 500);
    }
}
