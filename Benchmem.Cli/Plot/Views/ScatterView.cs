namespace Benchmem.Cli.Plot.Views;

/// <summary>
/// scatter: two runs, one point per benchmark, the baseline's value on x and candidate/baseline on y, so regressions
/// stand above the ratio-1 line whatever their size; the colour is the absolute change, so a +50% on 1 KiB does not
/// look as bad as a +50% on 1 GiB.
/// </summary>
public static class ScatterView
{
    private sealed record Point(string Name, double Base, double Candidate, string? Color, string FullName);

    public static Figure Build(IReadOnlyList<PlotRun> runs, PlotSpec spec, List<string> notes)
    {
        if (runs.Count != 2)
            throw new UsageException(runs.Count < 2
                ? $"scatter compares two runs (baseline, candidate); got {runs.Count} ({string.Join(", ", runs.Select(r => r.Label))}): give a second run, or --pivot DIM to compare the values of a dim, or use --view scaling."
                : $"scatter compares two runs; got {runs.Count}: use --view sweep or --view compare for more, or give two.");
        string baseLabel = runs[0].Label, candidateLabel = runs[1].Label;
        var identity = spec.RoleDims();
        var facets = Facets.Split(runs, spec.Facet, notes);
        int zeroBase = 0, unmeasured = 0;
        var perFacet = new List<(string? Title, List<Point> Points)>();
        Matching.NoteUnmatched(Matching.Rows(runs, identity), runs, notes);
        foreach (var (title, facetRuns) in facets)
        {
            var rows = Matching.Clip(Matching.Rows(facetRuns, identity), spec, notes);
            var points = new List<Point>();
            foreach (var row in rows)
            {
                if (row.Records[0] is not { } b || row.Records[1] is not { } c)
                    continue;
                if (spec.Metric.Read(b) is not { } bm || spec.Metric.Read(c) is not { } cm)
                {
                    unmeasured++;
                    continue;
                }
                if (bm.Value == 0)
                {
                    zeroBase++;
                    continue;
                }
                string? color = spec.Color is null ? null : PlotData.ValueOf(c, spec.Color) ?? "(none)";
                points.Add(new Point(row.Name, bm.Value, cm.Value, color, c.FullName));
            }
            perFacet.Add((title, points));
        }
        var all = perFacet.SelectMany(f => f.Points).ToList();
        if (all.Count == 0)
            throw new UsageException($"scatter: no benchmark of {baseLabel} and {candidateLabel} has {spec.Metric.Name} in both with a non-zero baseline " +
                                     $"({PlotData.Describe(runs.Select(r => $"{r.Label}: {r.Records.Count} benchmark(s)").ToList())}); check that the runs share benchmarks, or pick another metric with --columns ({PlotMetric.List}).");
        if (unmeasured > 0)
            notes.Add($"{unmeasured} benchmark(s) without {spec.Metric.Name} in both runs left out");
        if (zeroBase > 0)
            notes.Add($"{zeroBase} benchmark(s) with a zero baseline left out (no ratio)");

        var unit = AxisScale.UnitFor(spec.Metric.Kind, all.Select(p => p.Base));
        var deltaUnit = AxisScale.UnitFor(spec.Metric.Kind, all.Select(p => p.Candidate - p.Base));
        bool logX = AxisScale.ShouldLog(all.Select(p => p.Base));
        bool logY = AxisScale.ShouldLog(all.Select(p => p.Candidate / p.Base));
        double limit = all.Max(p => Math.Abs(deltaUnit.Apply(p.Candidate - p.Base)));
        var panels = perFacet.Select(f => new Panel
        {
            Title = f.Title,
            X = new Axis($"{baseLabel}: {unit.Title(spec.Metric.Title)}", logX),
            Y = new Axis($"{candidateLabel} / {baseLabel}", logY),
            ReferenceY = 1,
            Series = spec.Color is null
                ? f.Points.Count == 0 ? [] : [Make($"{candidateLabel} vs {baseLabel}", f.Points, withColors: true)]
                : f.Points.GroupBy(p => p.Color!).OrderBy(g => g.Key, Core.Compare.NaturalOrder.Instance)
                    .Select(g => Make($"{spec.Color}={g.Key}", g.ToList(), withColors: false) with { ColorGroup = g.Key }).ToList(),
        }).ToList();
        return new Figure
        {
            Title = $"{spec.Metric.Title}: {candidateLabel} against {baseLabel}",
            Panels = panels,
            LegendTitle = spec.Color is null ? "runs" : spec.Color,
            ColorScale = spec.Color is null
                ? new ColorScale(deltaUnit.Title($"Δ {spec.Metric.Name}"), limit == 0 ? 1 : limit, [], Shrank: all.Any(p => p.Candidate < p.Base), Grew: all.Any(p => p.Candidate > p.Base))
                : null,
        };

        Series Make(string name, List<Point> points, bool withColors) => new()
        {
            Name = name,
            Kind = SeriesKind.Markers,
            X = points.Select(p => unit.Apply(p.Base)).ToArray(),
            Y = points.Select(p => p.Candidate / p.Base).ToArray(),
            Hover = points.Select(p => $"{p.Name}<br>{baseLabel}: {spec.Metric.Format(p.Base)} → {candidateLabel}: {spec.Metric.Format(p.Candidate)}" +
                                       $" ({(p.Candidate / p.Base).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}×, {Sign(p.Candidate - p.Base)}{spec.Metric.Format(Math.Abs(p.Candidate - p.Base))})").ToArray(),
            Colors = withColors ? points.Select(p => deltaUnit.Apply(p.Candidate - p.Base)).ToArray() : null,
        };
    }

    private static string Sign(double delta) => delta > 0 ? "+" : delta < 0 ? "-" : "±";
}
