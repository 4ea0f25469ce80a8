using Benchmem.Core.Results;

namespace Benchmem.Cli.Plot.Views;

/// <summary>
/// scaling: the metric against a numeric dim. One line per series — per run (when several) and per benchmark and
/// value of the remaining dims — with whiskers: min…max over the memory passes, Q1…Q3 of the timing rounds.
/// </summary>
public static class ScalingView
{
    public static Figure Build(IReadOnlyList<PlotRun> runs, PlotSpec spec, List<string> notes)
    {
        var records = runs.SelectMany(r => r.Records).ToList();
        string x = ChooseX(runs, records, spec);
        var measured = records.Where(r => r.Dims.ContainsKey(x) && spec.Metric.Read(r) is not null).ToList();
        if (measured.Count == 0)
            throw new UsageException($"no benchmark with dim {x} measured {spec.Metric.Name} ({spec.Metric.HowToMeasure}); pick another metric with --columns ({PlotMetric.List}).");
        int unmeasured = PlotData.Count(records.Where(r => r.Dims.ContainsKey(x) && spec.Metric.Read(r) is null));
        if (unmeasured > 0)
            notes.Add($"{unmeasured} benchmark(s) without {spec.Metric.Name} left out");
        int noX = PlotData.Count(records.Where(r => !r.Dims.ContainsKey(x)));
        if (noX > 0)
            notes.Add($"{noX} benchmark(s) without dim {x} left out");

        // One unit and one log decision for all panels, so facets compare at a glance.
        var values = measured.Select(r => spec.Metric.Read(r)!.Value).ToList();
        var unit = AxisScale.UnitFor(spec.Metric.Kind, values.Select(v => v.Value));
        bool logX = AxisScale.ShouldLog(measured.Select(r => PlotData.ToDouble(r.Dims[x])));
        bool logY = AxisScale.ShouldLog(values.SelectMany(v => new[] { v.Value, v.Low, v.High }));

        var identity = spec.RoleDims(x, spec.Color);
        var naming = new SeriesNaming(runs, measured, identity);
        var panels = new List<Panel>();
        foreach (var (title, facetRuns) in Facets.Split(runs, spec.Facet, notes))
        {
            var series = new List<Series>();
            foreach (var run in facetRuns)
            {
                var groups = run.Records.Where(r => r.Dims.ContainsKey(x) && spec.Metric.Read(r) is not null)
                    .GroupBy(r => (Key: PlotData.Key(r, identity), Color: spec.Color is null ? null : ColorValue(r, spec.Color)))
                    .OrderBy(g => g.Key.Key, Core.Compare.NaturalOrder.Instance)
                    .ThenBy(g => g.Key.Color, Core.Compare.NaturalOrder.Instance);
                foreach (var group in groups)
                {
                    var points = group.OrderBy(r => PlotData.ToDouble(r.Dims[x])).ToList();
                    var m = points.Select(p => spec.Metric.Read(p)!.Value).ToList();
                    string name = naming.Name(run.Label, points[0], group.Key.Color is null ? null : $"{spec.Color}={group.Key.Color}");
                    series.Add(new Series
                    {
                        Name = name,
                        Kind = SeriesKind.Line,
                        X = points.Select(p => PlotData.ToDouble(p.Dims[x])).ToArray(),
                        Y = m.Select(v => unit.Apply(v.Value)).ToArray(),
                        YLow = m.Select(v => unit.Apply(v.Low)).ToArray(),
                        YHigh = m.Select(v => unit.Apply(v.High)).ToArray(),
                        Hover = points.Select((p, i) => $"{name}<br>{x}={PlotData.FormatDim(p.Dims[x])}: {spec.Metric.Format(m[i].Value)}" +
                                                        (m[i].Min != m[i].Max ? $" (min {spec.Metric.Format(m[i].Min)}, max {spec.Metric.Format(m[i].Max)})" : "") +
                                                        $"<br>{p.FullName}").ToArray(),
                        ColorGroup = group.Key.Color,
                    });
                }
            }
            panels.Add(new Panel
            {
                Title = title,
                X = new Axis(x, logX),
                Y = new Axis(unit.Title(spec.Metric.Title), logY),
                Series = series,
            });
        }
        return new Figure
        {
            Title = $"{spec.Metric.Title} against {x}" + (runs.Count == 1 ? $" · {runs[0].Label}" : ""),
            Panels = panels,
            LegendTitle = runs.Count == 1 ? runs[0].Label : "run",
        };
    }

    /// <summary>--x, or the one numeric dim whose value varies; otherwise a usage error saying what is there.</summary>
    private static string ChooseX(IReadOnlyList<PlotRun> runs, List<BenchmarkRecord> records, PlotSpec spec)
    {
        var dims = PlotData.DimNames(records).Where(d => d != spec.Pivot).ToList();
        if (spec.X is not null)
        {
            string x = PlotData.ResolveDim("--x", spec.X, records);
            if (!PlotData.IsNumeric(records, x))
                throw new UsageException($"--x {x}: dim '{x}' is not numeric (values: {PlotData.Describe(PlotData.DistinctValues(records, x))}); put a numeric dim on x " +
                                         $"({PlotData.DescribeDims(dims.Where(d => PlotData.IsNumeric(records, d)).ToList())}) and use --facet {x} or --color {x} for this one.");
            return x;
        }
        var candidates = dims.Where(d => d != spec.Facet && d != spec.Color && PlotData.IsNumeric(records, d) && PlotData.DistinctValues(records, d).Count > 1).ToList();
        if (candidates.Count == 1)
            return candidates[0];
        if (candidates.Count > 1)
            throw new UsageException($"scaling: several numeric dims vary ({string.Join(", ", candidates)}); pick the one for the x axis with --x, e.g. --x {candidates[0]}.");
        string what = runs.Count == 1 ? "this run's benchmarks have" : "these runs' benchmarks have";
        throw new UsageException($"scaling needs a numeric dim to put on x; {what} dims: {DescribeWithKind(records, dims)} — " +
                                 "add [TestCase]/[Values] parameters or Bench.Dim, or give two runs and use --view compare.");
    }

    private static string DescribeWithKind(List<BenchmarkRecord> records, List<string> dims) =>
        dims.Count == 0 ? "(none)" : string.Join(", ", dims.Select(d =>
        {
            var values = PlotData.DistinctValues(records, d);
            return PlotData.IsNumeric(records, d) ? $"{d} (one value: {values[0]})" : $"{d} (not numeric)";
        }));

    private static string? ColorValue(BenchmarkRecord record, string key) => PlotData.ValueOf(record, key) ?? "(none)";

    /// <summary>Legend names as short as they can be while telling series apart: the run label only when there are
    /// several runs, the method only when there are several, and only the dims that vary.</summary>
    private sealed class SeriesNaming
    {
        private readonly bool _labels;
        private readonly bool _methods;
        private readonly bool _types;
        private readonly List<string> _varying;

        public SeriesNaming(IReadOnlyList<PlotRun> runs, List<BenchmarkRecord> records, IReadOnlyCollection<string> identity)
        {
            _labels = runs.Count > 1;
            var methods = records.Select(r => (r.Type, r.Method)).Distinct().ToList();
            _methods = methods.Count > 1;
            _types = methods.Select(m => m.Method).Distinct().Count() < methods.Count;
            _varying = PlotData.DimNames(records).Where(d => !identity.Contains(d) && PlotData.DistinctValues(records, d).Count > 1).ToList();
        }

        public string Name(string label, BenchmarkRecord record, string? colorPart)
        {
            var parts = new List<string>();
            if (_labels)
                parts.Add(label);
            if (_methods)
                parts.Add(_types ? $"{record.Type}.{record.Method}" : record.Method);
            if (colorPart is not null)
                parts.Add(colorPart);
            parts.AddRange(_varying.Where(record.Dims.ContainsKey).Select(d => $"{d}={PlotData.FormatDim(record.Dims[d])}"));
            return parts.Count == 0 ? (_labels ? label : record.Method) : string.Join(" · ", parts);
        }
    }
}
