using Benchmem.Core.Compare;

namespace Benchmem.Cli.Plot.Views;

/// <summary>
/// compare: each benchmark's change from the first run, in the metric's own unit (bytes, time), as horizontal bars
/// labelled with the change in %, ranked by that % so the largest relative growth is on top: what a reviewer reads
/// first (ranked by bytes, a +0.05% wobble of a big benchmark would sit above a +109% regression of a small one).
/// One bar per later run.
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
            var rows = Matching.Clip(Matching.Rows(facetRuns, identity), spec, notes);
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
            // Ranked by the last run's (the newest) relative change, smallest first: a bar chart's first category is
            // at the bottom, so the largest growth ends on top; a run lacking the benchmark ranks it lowest.
            kept = kept.OrderBy(r => r.Item3[^1] is { } c ? Metric.ChangePercent(r.Item2, c) : double.NegativeInfinity)
                .ThenBy(r => r.Item3[^1] is { } c ? c - r.Item2 : double.NegativeInfinity)
                .ThenBy(r => r.Item1, NaturalOrder.Instance).ToList();
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
                Labels = f.Rows.Select(r => r.Candidates[i - 1] is { } c ? ChangeLabel(Metric.ChangePercent(r.Base, c)) : "").ToArray(),
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

    /// <summary>The bar's change as compare prints it (<c>+109.0%</c>), with two decimals below 1% so a +0.05% wobble
    /// does not read as no change at all.</summary>
    private static string ChangeLabel(double percent) =>
        double.IsFinite(percent) && percent != 0 && Math.Abs(percent) < 0.95
            ? percent.ToString("+0.00;-0.00", System.Globalization.CultureInfo.InvariantCulture) + "%"
            : Metric.FormatChange(percent);
}
