using System.Globalization;

namespace Benchmem.Cli.Plot.Views;

/// <summary>
/// sweep: many runs (versions of a package, frameworks, machines) against the first, as a heatmap of fold changes:
/// a row per benchmark, a column per later run, the colour log2(value / first) so 2× and ½× are equally strong.
/// </summary>
public static class SweepView
{
    public static Figure Build(IReadOnlyList<PlotRun> runs, PlotSpec spec, List<string> notes)
    {
        if (runs.Count < 2)
            throw new UsageException($"sweep needs two or more runs, the first being the reference; got {runs.Count} ({string.Join(", ", runs.Select(r => r.Label))}): give more runs, or --pivot DIM to sweep over the values of a dim, or use --view scaling.");
        var identity = spec.RoleDims();
        string baseLabel = runs[0].Label;
        var columns = runs.Skip(1).Select(r => r.Label).ToList();
        var panels = new List<Panel>();
        int zeroBase = 0, unmeasured = 0;
        double limit = 0;
        Matching.NoteUnmatched(Matching.Rows(runs, identity), runs, notes);
        foreach (var (title, facetRuns) in Facets.Split(runs, spec.Facet, notes))
        {
            var rows = Matching.Clip(Matching.Rows(facetRuns, identity), spec, notes);
            var kept = new List<(string Name, double Base, double?[] Values)>();
            foreach (var row in rows)
            {
                if (row.Records[0] is not { } b || row.Records.Skip(1).All(r => r is null))
                    continue;
                var values = row.Records.Skip(1).Select(r => r is null ? null : spec.Metric.Read(r)?.Value).ToArray();
                if (spec.Metric.Read(b) is not { } bm || values.All(v => v is null))
                {
                    unmeasured++;
                    continue;
                }
                if (bm.Value == 0)
                {
                    zeroBase++;
                    continue;
                }
                kept.Add((row.Name, bm.Value, values));
            }
            // Heatmap rows run bottom to top: reversed, so the first benchmark in name order is the top row.
            kept.Reverse();
            var z = new double[kept.Count, columns.Count];
            var labels = new string[kept.Count, columns.Count];
            var hover = new string[kept.Count, columns.Count];
            for (int r = 0; r < kept.Count; r++)
            {
                for (int c = 0; c < columns.Count; c++)
                {
                    if (kept[r].Values[c] is { } v && v / kept[r].Base is var ratio && ratio > 0)
                    {
                        z[r, c] = Math.Log2(ratio);
                        labels[r, c] = Ratio(ratio);
                        hover[r, c] = $"{kept[r].Name}<br>{baseLabel}: {spec.Metric.Format(kept[r].Base)} → {columns[c]}: {spec.Metric.Format(v)} ({Ratio(ratio)})";
                        limit = Math.Max(limit, Math.Abs(z[r, c]));
                    }
                    else
                    {
                        z[r, c] = double.NaN;
                        labels[r, c] = "";
                        hover[r, c] = kept[r].Values[c] is null ? $"{kept[r].Name}<br>not in {columns[c]}" : $"{kept[r].Name}<br>{columns[c]}: {spec.Metric.Format(kept[r].Values[c]!.Value)}";
                    }
                }
            }
            panels.Add(new Panel
            {
                Title = title,
                X = new Axis("run"),
                Y = new Axis("benchmark"),
                Heatmap = new Heatmap(columns, kept.Select(k => k.Name).ToList(), z, labels, hover),
            });
        }
        if (panels.All(p => p.Heatmap!.Rows.Count == 0))
            throw new UsageException($"sweep: no benchmark has {spec.Metric.Name} in {baseLabel} (non-zero) and a later run; check that the runs share benchmarks, or pick another metric with --columns ({PlotMetric.List}).");
        if (unmeasured > 0)
            notes.Add($"{unmeasured} benchmark(s) without {spec.Metric.Name} left out");
        if (zeroBase > 0)
            notes.Add($"{zeroBase} benchmark(s) with a zero {spec.Metric.Name} in {baseLabel} left out (no fold change)");

        // At least ±25% wide, so identical runs show as white rather than as the full colour range of rounding noise.
        limit = Math.Max(limit, Math.Log2(1.25));
        var ticks = new List<(double, string)>();
        foreach (double f in new[] { 1 / 16.0, 1 / 8.0, 1 / 4.0, 1 / 2.0, 1 / 1.25, 1, 1.25, 2, 4, 8, 16 })
        {
            if (Math.Abs(Math.Log2(f)) <= limit + 1e-9)
                ticks.Add((Math.Log2(f), Ratio(f)));
        }
        return new Figure
        {
            Title = $"{spec.Metric.Title}: fold change against {baseLabel}",
            Panels = panels,
            ColorScale = new ColorScale($"{spec.Metric.Name} / {baseLabel}", limit, ticks),
        };
    }

    private static string Ratio(double ratio) => ratio.ToString(ratio >= 100 ? "0" : ratio >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + "×";
}
