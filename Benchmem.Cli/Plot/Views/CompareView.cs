using Benchmem.Core.Compare;

namespace Benchmem.Cli.Plot.Views;

/// <summary>
/// compare: each benchmark's change from the first run, in the metric's own unit (bytes, time), as horizontal bars
/// ranked so the largest growth is on top: what a reviewer reads first. One bar per later run.
/// </summary>
public static class CompareView
{
    public static Figure Build(IReadOnlyList<PlotRun> runs, PlotSpec spec, List<string> notes)
    {
        if (runs.Count < 2)
            throw new UsageException($"compare needs two or more runs, the first being the baseline; got {runs.Count} ({string.Join(", ", runs.Select(r => r.Label))}): give another run, or --pivot DIM to compare the values of a dim, or use --view scaling.");
        var identity = spec.RoleDims();
        var facets = Facets.Split(runs, spec.Facet, notes);
        var perFacet = new List<(string? Title, List<(string Name, double Base, double?[] Candidates)> Rows)>();
        int unmeasured = 0;
        Matching.NoteUnmatched(Matching.Rows(runs, identity), runs, notes);
        foreach (var (title, facetRuns) in facets)
        {
            var rows = Matching.Rows(facetRuns, identity);
            var kept = new List<(string, double, double?[])>();
            foreach (var row in rows)
            {
                if (row.Records[0] is not { } b || row.Records.Skip(1).All(r => r is null))
                    continue;
                var candidates = row.Records.Skip(1).Select(r => r is null ? null : spec.Metric.Read(r)?.Value).ToArray();
                if (spec.Metric.Read(b) is not { } bm || candidates.All(c => c is null))
                {
                    unmeasured++;
                    continue;
                }
                kept.Add((row.Name, bm.Value, candidates));
            }
            // Ranked by the last run's change (the newest), smallest first: a bar chart's first category is at the
            // bottom, so the largest growth ends on top.
            kept = kept.OrderBy(r => r.Item3[^1] is { } c ? c - r.Item2 : double.NegativeInfinity).ThenBy(r => r.Item1, NaturalOrder.Instance).ToList();
            perFacet.Add((title, kept));
        }
        var deltas = perFacet.SelectMany(f => f.Rows).SelectMany(r => r.Candidates.OfType<double>().Select(c => c - r.Base)).ToList();
        if (deltas.Count == 0)
            throw new UsageException($"compare: no benchmark has {spec.Metric.Name} in {runs[0].Label} and a later run; check that the runs share benchmarks, or pick another metric with --columns ({PlotMetric.List}).");
        if (unmeasured > 0)
            notes.Add($"{unmeasured} benchmark(s) without {spec.Metric.Name} left out");
        var unit = AxisScale.UnitFor(spec.Metric.Kind, deltas);
        string baseLabel = runs[0].Label;

        var panels = perFacet.Select(f => new Panel
        {
            Title = f.Title,
            X = new Axis(unit.Title($"Δ {spec.Metric.Name} against {baseLabel}")),
            Y = new Axis("benchmark"),
            YCategories = f.Rows.Select(r => r.Name).ToList(),
            ReferenceX = 0,
            Series = Enumerable.Range(1, runs.Count - 1).Select(i => new Series
            {
                Name = runs[i].Label,
                Kind = SeriesKind.Bars,
                X = f.Rows.Select(r => r.Candidates[i - 1] is { } c ? unit.Apply(c - r.Base) : double.NaN).ToArray(),
                Y = f.Rows.Select((_, k) => (double)k).ToArray(),
                Hover = f.Rows.Select(r => r.Candidates[i - 1] is { } c
                    ? $"{r.Name}<br>{baseLabel}: {spec.Metric.Format(r.Base)} → {runs[i].Label}: {spec.Metric.Format(c)} ({Metric.FormatChange(Metric.ChangePercent(r.Base, c))})"
                    : $"{r.Name}<br>not in {runs[i].Label}").ToArray(),
            }).ToList(),
        }).ToList();
        return new Figure
        {
            Title = $"{spec.Metric.Title}: change against {baseLabel}",
            Panels = panels,
            LegendTitle = "run",
        };
    }
}
