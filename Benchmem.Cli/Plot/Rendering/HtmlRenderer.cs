using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Benchmem.Cli.Plot.Rendering;

/// <summary>
/// An interactive plot as one self-contained HTML file: plotly.js inlined (no network needed, nothing fetched), the
/// figure as JSON in a <c>&lt;script type="application/json" id="benchmem-figure"&gt;</c> block, and a page-level
/// error trap that writes any script error into <c>&lt;pre id="benchmem-errors"&gt;</c>, so a broken page says so.
/// </summary>
public static class HtmlRenderer
{
    private const string PlotlyResource = "Benchmem.Cli.Plot.plotly.min.js.gz";

    /// <summary>plotly.js as base64 of its gzip (see Plot/PlotlyJs.targets): 1.45 MB instead of 3.6 MB in every page.</summary>
    private static readonly Lazy<string> PlotlyGzipBase64 = new(() =>
    {
        using var stream = typeof(HtmlRenderer).Assembly.GetManifestResourceStream(PlotlyResource)
                           ?? throw new InvalidOperationException($"{PlotlyResource} is missing from the tool's resources (see Benchmem.Cli/Plot/PlotlyJs.targets).");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return Convert.ToBase64String(bytes.GetBuffer(), 0, (int)bytes.Length);
    });

    public static void Write(Figure figure, Stream output)
    {
        var (data, layout, height) = PlotlyFigure(figure);
        WritePage(output, figure.Title, "benchmem plot", data, layout, height);
    }

    /// <summary>
    /// The self-contained page around a plotly figure (also the flame graph's): plotly.js inlined, the figure as JSON,
    /// the error trap, and <c>data-benchmem-rendered="true"</c> on the body once plotly drew it. The plot takes the
    /// window's full width and height (plotly resizes it with the window), and at least <paramref name="minHeight"/>
    /// pixels, below which its panels or bars would be squeezed (the page scrolls instead).
    /// </summary>
    internal static void WritePage(Stream output, string title, string generator, JsonArray data, JsonObject layout, int minHeight)
    {
        layout["autosize"] = true;
        var spec = new JsonObject
        {
            ["data"] = data,
            ["layout"] = layout,
            ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false },
        };
        // The default encoder escapes <, > and &, so the JSON cannot close its script element.
        string json = spec.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

        using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        writer.Write($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="{{Escape(generator)}}">
            <title>{{Escape(title)}}</title>
            <style>
            html, body { margin: 0; }
            body { font-family: sans-serif; }
            #benchmem-errors { display: none; color: #b00020; white-space: pre-wrap; margin: 8px; }
            #benchmem-plot { width: 100%; height: 100vh; min-height: {{minHeight}}px; }
            </style>
            <script>
            // Any script error, before or after plotting, is listed on the page (and checked by the tests).
            window.benchmemErrors = [];
            window.benchmemReport = function (message) {
              window.benchmemErrors.push(String(message));
              var box = document.getElementById('benchmem-errors');
              if (box) { box.textContent = window.benchmemErrors.join('\n'); box.style.display = 'block'; }
            };
            window.onerror = function (message, source, line, column) { window.benchmemReport(message + ' (' + (source || 'inline') + ':' + line + ':' + column + ')'); };
            window.addEventListener('unhandledrejection', function (e) { window.benchmemReport('unhandled rejection: ' + (e.reason && e.reason.message || e.reason)); });
            </script>
            </head>
            <body>
            <pre id="benchmem-errors"></pre>
            <div id="benchmem-plot"></div>
            <script type="application/json" id="benchmem-figure">{{json}}</script>
            <script type="application/octet-stream" id="benchmem-plotly" data-encoding="gzip+base64" data-version="{{PlotlyVersion}}">
            """);
        writer.Write(PlotlyGzipBase64.Value);
        writer.Write("""
            </script>
            <script>
            (function () {
              if (window.benchmemErrors.length) window.benchmemReport('(errors before plotting)');
              // plotly.js comes gzipped (2.5 times smaller): unpacked by the browser, then run as a script.
              function loadPlotly() {
                if (typeof DecompressionStream === 'undefined')
                  return Promise.reject(new Error('this browser cannot unpack the inlined plotly.js (it lacks DecompressionStream: use Chrome or Edge 80+, Firefox 113+ or Safari 16.4+)'));
                var binary = atob(document.getElementById('benchmem-plotly').textContent.trim());
                var bytes = new Uint8Array(binary.length);
                for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
                return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function (source) {
                  var script = document.createElement('script');
                  script.textContent = source;
                  document.head.appendChild(script);
                });
              }
              loadPlotly().then(function () {
                var figure = JSON.parse(document.getElementById('benchmem-figure').textContent);
                return Plotly.newPlot('benchmem-plot', figure.data, figure.layout, figure.config);
              }).then(
                function () { document.body.setAttribute('data-benchmem-rendered', 'true'); },
                function (e) { window.benchmemReport('plotting failed: ' + (e && e.message || e)); });
            })();
            </script>
            </body>
            </html>

            """);
    }

    /// <summary>The plotly.js version inlined, stamped by Plot/PlotlyJs.targets, for the page's readers.</summary>
    private static string PlotlyVersion => typeof(HtmlRenderer).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "PlotlyJsVersion").Value!;

    /// <summary>Plotly traces and layout for the figure, and the page height it needs.</summary>
    private static (JsonArray Data, JsonObject Layout, int Height) PlotlyFigure(Figure figure)
    {
        int n = figure.Panels.Count;
        int columns = n <= 1 ? 1 : Math.Min(n, n == 4 ? 2 : 3);
        int rows = (n + columns - 1) / columns;
        var data = new JsonArray();
        var shapes = new JsonArray();
        var annotations = new JsonArray();
        var layout = new JsonObject
        {
            ["title"] = new JsonObject
            {
                ["text"] = Escape(figure.Title) + (figure.Subtitle.Length > 0 ? $"<br><sup>{Escape(figure.Subtitle)}</sup>" : ""),
            },
            ["hovermode"] = "closest",
            ["barmode"] = "group",
            // Above the plot area, in rows: inside it would cover points or bars (a scatter's biggest regression is
            // often top-left, a compare's largest bar on top), and on the right it would take width from the plot
            // (and clash with the colour bar).
            ["legend"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = figure.LegendTitle ?? "" },
                ["orientation"] = "h",
                ["x"] = 0, ["y"] = 1, ["xanchor"] = "left", ["yanchor"] = "bottom",
            },
            // Narrow margins (plotly's default is 80 px a side): the axes' automargin makes room for their labels.
            ["margin"] = new JsonObject { ["t"] = figure.Subtitle.Length > 0 ? 100 : 80, ["l"] = 50, ["r"] = 30, ["b"] = 50 },
        };
        if (n > 1)
        {
            // The top row's panel titles sit above its plots: the grid stops short of the top to keep them off the legend.
            layout["grid"] = new JsonObject
            {
                ["rows"] = rows, ["columns"] = columns, ["pattern"] = "independent",
                ["domain"] = new JsonObject { ["x"] = new JsonArray(0, 1), ["y"] = new JsonArray(0, 1 - 0.06 / rows) },
            };
        }

        var palette = new Palette();
        var shownInLegend = new HashSet<string>(StringComparer.Ordinal);
        // The least height a panel row needs; the page gives the plot the window's height when that is more.
        int panelHeight = 320;
        for (int p = 0; p < n; p++)
        {
            var panel = figure.Panels[p];
            string suffix = p == 0 ? "" : (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string xRef = "x" + suffix, yRef = "y" + suffix;
            var xAxis = new JsonObject { ["title"] = new JsonObject { ["text"] = panel.X.Title }, ["type"] = panel.X.Log ? "log" : "linear", ["automargin"] = true };
            var yAxis = new JsonObject { ["title"] = new JsonObject { ["text"] = panel.Y.Title }, ["type"] = panel.Y.Log ? "log" : "linear", ["automargin"] = true };
            if (panel.Y.FromZero)
                yAxis["rangemode"] = "tozero";
            // Facet panels share the first panel's y range (plotly keeps matched axes together when zooming, too).
            if (figure.SharedY && p > 0)
                yAxis["matches"] = "y";
            if (panel.YCategories is { } categories)
            {
                yAxis["type"] = "category";
                yAxis["categoryorder"] = "array";
                yAxis["categoryarray"] = Strings(categories);
                panelHeight = Math.Max(panelHeight, 120 + categories.Count * Math.Max(1, panel.Series.Count) * 18);
            }
            if (panel.Heatmap is { } heat)
            {
                xAxis["type"] = "category";
                yAxis["type"] = "category";
                panelHeight = Math.Max(panelHeight, 160 + heat.Rows.Count * 24);
                data.Add(HeatmapTrace(heat, figure.ColorScale!, xRef, yRef, showScale: p == 0));
            }
            layout["xaxis" + suffix] = xAxis;
            layout["yaxis" + suffix] = yAxis;

            foreach (var series in panel.Series)
            {
                string color = palette.For(series.ColorGroup ?? series.Name);
                // Once per name: facet panels repeat the same runs and series.
                bool showLegend = shownInLegend.Add(series.Name);
                if (series is { Kind: SeriesKind.Line, Band: true, YLow: { } low, YHigh: { } high })
                {
                    // The band is two edge traces, the lower filled up to the upper; drawn before the line, under it.
                    data.Add(BandEdge(series, high, color, xRef, yRef, fill: false));
                    data.Add(BandEdge(series, low, color, xRef, yRef, fill: true));
                }
                data.Add(series.Kind switch
                {
                    SeriesKind.Line => LineTrace(series, color, panel.Series, xRef, yRef, showLegend),
                    SeriesKind.Markers => MarkerTrace(series, color, figure.ColorScale, xRef, yRef, showLegend, showScale: p == 0),
                    _ => BarTrace(series, color, panel.YCategories ?? [], xRef, yRef, showLegend),
                });
            }
            if (panel.ReferenceY is { } ry)
                shapes.Add(ReferenceLine(xRef + " domain", 0, 1, yRef, ry, ry));
            if (panel.ReferenceX is { } rx)
                shapes.Add(ReferenceLine(xRef, rx, rx, yRef + " domain", 0, 1));
            if (panel.Title is not null)
            {
                annotations.Add(new JsonObject
                {
                    ["text"] = $"<b>{Escape(panel.Title)}</b>",
                    ["xref"] = xRef + " domain", ["yref"] = yRef + " domain", ["x"] = 0.5, ["y"] = 1.0,
                    ["xanchor"] = "center", ["yanchor"] = "bottom", ["showarrow"] = false,
                });
            }
        }
        layout["shapes"] = shapes;
        layout["annotations"] = annotations;
        return (data, layout, rows * panelHeight + 120);
    }

    private static JsonObject LineTrace(Series s, string color, IReadOnlyList<Series> siblings, string xRef, string yRef, bool showLegend)
    {
        // Series that share a colour (--color DIM) are told apart by their dash.
        int dashIndex = s.ColorGroup is null ? 0 : siblings.Where(o => o.ColorGroup == s.ColorGroup).ToList().IndexOf(s);
        var trace = SeriesTrace("scatter", s, Numbers(s.Y), xRef, yRef, showLegend);
        trace["mode"] = "lines+markers";
        trace["line"] = new JsonObject { ["color"] = color, ["dash"] = Dashes[dashIndex % Dashes.Length] };
        trace["marker"] = new JsonObject { ["color"] = color, ["size"] = 7 };
        if (s.YLow is { } low && s.YHigh is { } high && !s.Band)
        {
            trace["error_y"] = new JsonObject
            {
                ["type"] = "data",
                ["symmetric"] = false,
                ["array"] = Numbers(high.Select((h, i) => h - s.Y[i])),
                ["arrayminus"] = Numbers(low.Select((l, i) => s.Y[i] - l)),
                ["color"] = color,
                ["thickness"] = 1.2,
                ["width"] = 4,
            };
        }
        return trace;
    }

    private static readonly string[] Dashes = ["solid", "dash", "dot", "dashdot", "longdash"];

    private static JsonObject MarkerTrace(Series s, string color, ColorScale? scale, string xRef, string yRef, bool showLegend, bool showScale)
    {
        var marker = new JsonObject { ["size"] = 10, ["line"] = new JsonObject { ["width"] = 0.5, ["color"] = "#333" } };
        if (s.Colors is { } colors && scale is not null)
        {
            marker["color"] = Numbers(colors);
            marker["colorscale"] = Diverging(scale);
            marker["cmin"] = scale.Range.Low;
            marker["cmax"] = scale.Range.High;
            marker["showscale"] = showScale;
            marker["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = scale.Title } };
        }
        else
        {
            marker["color"] = color;
        }
        // A colour-scaled trace still names the runs in the legend (its marker shows in a neutral grey there).
        var trace = SeriesTrace("scatter", s, Numbers(s.Y), xRef, yRef, showLegend);
        trace["mode"] = "markers";
        trace["marker"] = marker;
        return trace;
    }

    private static JsonObject BarTrace(Series s, string color, IReadOnlyList<string> categories, string xRef, string yRef, bool showLegend)
    {
        var trace = SeriesTrace("bar", s, Strings(s.Y.Select(i => categories[(int)i])), xRef, yRef, showLegend);
        trace["orientation"] = "h";
        trace["marker"] = new JsonObject { ["color"] = color };
        if (s.Labels is { } labels)
        {
            trace["text"] = Strings(labels);
            trace["textposition"] = "outside";
            trace["cliponaxis"] = false;
        }
        return trace;
    }

    /// <summary>What every series trace carries: its kind, name (legend group), points, hover text and panel axes.</summary>
    /// <summary>One edge of a --band: no line of its own, in the series' legend group; the lower edge fills up to the upper.</summary>
    private static JsonObject BandEdge(Series s, double[] y, string color, string xRef, string yRef, bool fill)
    {
        var trace = SeriesTrace("scatter", s, Numbers(y), xRef, yRef, showLegend: false);
        trace["name"] = s.Name + (fill ? " (band low)" : " (band high)");
        trace["mode"] = "lines";
        trace["line"] = new JsonObject { ["width"] = 0, ["color"] = color };
        trace["hoverinfo"] = "skip";
        trace["benchmemBand"] = fill ? "low" : "high";
        if (fill)
        {
            trace["fill"] = "tonexty";
            trace["fillcolor"] = Translucent(color, 0.22);
        }
        return trace;
    }

    /// <summary>#rrggbb as rgba(r,g,b,alpha).</summary>
    private static string Translucent(string hex, double alpha)
    {
        int r = Convert.ToInt32(hex.Substring(1, 2), 16), g = Convert.ToInt32(hex.Substring(3, 2), 16), b = Convert.ToInt32(hex.Substring(5, 2), 16);
        return $"rgba({r},{g},{b},{alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
    }

    private static JsonObject SeriesTrace(string type, Series s, JsonArray y, string xRef, string yRef, bool showLegend) => new()
    {
        ["type"] = type,
        ["name"] = s.Name,
        ["legendgroup"] = s.Name,
        ["showlegend"] = showLegend,
        ["x"] = Numbers(s.X),
        ["y"] = y,
        ["hovertext"] = Strings(s.Hover),
        ["hoverinfo"] = "text",
        ["xaxis"] = xRef,
        ["yaxis"] = yRef,
    };

    private static JsonObject HeatmapTrace(Heatmap heat, ColorScale scale, string xRef, string yRef, bool showScale)
    {
        var z = new JsonArray();
        var text = new JsonArray();
        var hover = new JsonArray();
        for (int r = 0; r < heat.Rows.Count; r++)
        {
            z.Add(Numbers(Enumerable.Range(0, heat.Columns.Count).Select(c => heat.Values[r, c])));
            text.Add(Strings(Enumerable.Range(0, heat.Columns.Count).Select(c => heat.Labels[r, c])));
            hover.Add(Strings(Enumerable.Range(0, heat.Columns.Count).Select(c => heat.Hover[r, c])));
        }
        return new JsonObject
        {
            ["type"] = "heatmap",
            ["x"] = Strings(heat.Columns),
            ["y"] = Strings(heat.Rows),
            ["z"] = z,
            ["text"] = text,
            ["texttemplate"] = "%{text}",
            ["hovertext"] = hover,
            ["hoverinfo"] = "text",
            ["colorscale"] = Diverging(scale),
            ["zmin"] = scale.Range.Low,
            ["zmax"] = scale.Range.High,
            ["showscale"] = showScale,
            ["colorbar"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = scale.Title },
                ["tickvals"] = Numbers(scale.Ticks.Select(t => t.Value)),
                ["ticktext"] = Strings(scale.Ticks.Select(t => t.Label)),
            },
            ["xaxis"] = xRef,
            ["yaxis"] = yRef,
        };
    }

    /// <summary>The scale's range in <see cref="Palette.Diverging"/> colours: blue, white at zero, red, or the one side drawn.</summary>
    private static JsonArray Diverging(ColorScale scale)
    {
        var (low, high) = scale.Range;
        var stops = new JsonArray();
        foreach (double value in new[] { low, 0, high }.Distinct())
            stops.Add(new JsonArray((value - low) / (high - low), Palette.Hex(Palette.Diverging(value / scale.Limit))));
        return stops;
    }

    private static JsonObject ReferenceLine(string xRef, double x0, double x1, string yRef, double y0, double y1) => new()
    {
        ["type"] = "line",
        ["xref"] = xRef, ["x0"] = x0, ["x1"] = x1,
        ["yref"] = yRef, ["y0"] = y0, ["y1"] = y1,
        ["line"] = new JsonObject { ["color"] = "#888", ["width"] = 1, ["dash"] = "dash" },
    };

    /// <summary>Plotly reads titles as a small HTML subset: only &amp;, &lt; and &gt; need escaping (WebUtility would
    /// also turn "·" and "µ" into entities, which plotly shows as typed).</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>JSON has no NaN: a missing value is null, which plotly leaves as a gap.</summary>
    private static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
