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
        var families = spec.X is null ? FamilyAxes(records, spec, notes) : null;
        if (families is not null && families.Select(f => f.X).Distinct(StringComparer.Ordinal).Count() > 1)
            return BuildFamilies(runs, spec, notes, families);
        string x = families?[0].X ?? ChooseX(runs, records, spec);
        var measured = Measured(records, x, spec);
        if (measured.Count == 0)
            throw new UsageException($"no benchmark with dim {x} measured {spec.Metric.Name} ({spec.Metric.HowToMeasure}); pick another metric with --columns ({PlotMetric.List}).");
        NoteLeftOut(records, x, spec, notes);

        // One unit and one log decision for all panels, so facets compare at a glance (--free-axes: each its own).
        var (unit, logX, logY) = Scales(measured, x, spec);
        var identity = spec.RoleDims(x, spec.Color);
        var naming = new SeriesNaming(runs, measured, identity);
        var panels = Facets.Split(runs, spec.Facet, notes)
            .Select(f =>
            {
                var (u, lx, ly) = spec.FreeAxes ? Scales(Measured(f.Runs.SelectMany(r => r.Records).ToList(), x, spec), x, spec) : (unit, logX, logY);
                return MakePanel(f.Runs, f.Title, x, spec, u, lx, ly, identity, naming);
            }).ToList();
        NoteClipped(measured, spec, notes);
        return new Figure
        {
            Title = $"{spec.Metric.Title} against {x}" + (runs.Count == 1 ? $" · {runs[0].Label}" : ""),
            Panels = panels,
            LegendTitle = runs.Count == 1 ? runs[0].Label : "run",
        };
    }

    /// <summary>
    /// An ordinary suite varies a different dim per benchmark (Build(n), Fill(size), Parse(depth)): each family (the
    /// benchmarks of one method) gets a panel with its own dim on x, and its own units, since its numbers are of
    /// another benchmark. Families with no numeric dim that varies have nothing to put on x and are left out.
    /// </summary>
    private static Figure BuildFamilies(IReadOnlyList<PlotRun> runs, PlotSpec spec, List<string> notes, List<(string Family, string X)> families)
    {
        var records = runs.SelectMany(r => r.Records).ToList();
        var panels = new List<Panel>();
        foreach (var (family, x) in families)
        {
            var familyRuns = runs.Select(r => r with { Records = r.Records.Where(b => FamilyOf(b) == family).ToList() }).ToList();
            var familyRecords = familyRuns.SelectMany(r => r.Records).ToList();
            var measured = Measured(familyRecords, x, spec);
            NoteLeftOut(familyRecords, x, spec, notes);
            if (measured.Count == 0)
                continue;
            var (unit, logX, logY) = Scales(measured, x, spec);
            var identity = spec.RoleDims(x, spec.Color);
            NoteClipped(measured, spec, notes);
            panels.Add(MakePanel(familyRuns, family, x, spec, unit, logX, logY, identity, new SeriesNaming(runs, measured, identity)));
        }
        var without = records.Where(r => families.All(f => f.Family != FamilyOf(r))).ToList();
        if (without.Count > 0)
            notes.Add($"{PlotData.Count(without)} benchmark(s) with no numeric dim that varies left out ({PlotData.Describe(without.Select(FamilyOf).Distinct().ToList())})");
        if (panels.Count == 0)
            throw new UsageException($"no benchmark with a numeric dim that varies measured {spec.Metric.Name} ({spec.Metric.HowToMeasure}); pick another metric with --columns ({PlotMetric.List}).");
        return new Figure
        {
            Title = $"{spec.Metric.Title} against each benchmark's varying dim" + (runs.Count == 1 ? $" · {runs[0].Label}" : ""),
            Panels = panels,
            LegendTitle = runs.Count == 1 ? runs[0].Label : "run",
        };
    }

    /// <summary>
    /// Without --x: each family's x, the numeric dim that varies within it (the one with the most values when several
    /// do, said in a note). Null when no family has one (the caller's error says what is there).
    /// </summary>
    private static List<(string Family, string X)>? FamilyAxes(List<BenchmarkRecord> records, PlotSpec spec, List<string> notes)
    {
        var result = new List<(string, string)>();
        var chosen = new List<string>();
        foreach (var family in records.GroupBy(FamilyOf).OrderBy(g => g.Key, Core.Compare.NaturalOrder.Instance))
        {
            var members = family.ToList();
            var varying = BenchmarkKey.DimNames(members)
                .Where(d => d != spec.Pivot && d != spec.Facet && d != spec.Color && PlotData.IsNumeric(members, d))
                .Select(d => (Dim: d, Values: PlotData.DistinctValues(members, d).Count)).Where(d => d.Values > 1)
                .OrderByDescending(d => d.Values).ThenBy(d => d.Dim, StringComparer.Ordinal).ToList();
            if (varying.Count == 0)
                continue;
            result.Add((family.Key, varying[0].Dim));
            if (varying.Count > 1)
                chosen.Add($"{family.Key} against {varying[0].Dim} ({string.Join(", ", varying.Skip(1).Select(d => d.Dim))} also {(varying.Count > 2 ? "vary" : "varies")})");
        }
        if (result.Count == 0)
            return null;
        bool perFamily = result.Select(f => f.Item2).Distinct(StringComparer.Ordinal).Count() > 1;
        if (perFamily && spec.Facet is not null)
            throw new UsageException($"scaling: the benchmarks vary different numeric dims ({string.Join(", ", result.Select(f => $"{f.Item1}: {f.Item2}"))}), which needs a panel each; " +
                                     $"with --facet, pick one dim for the x axis with --x, e.g. --x {result[0].Item2}.");
        notes.AddRange(chosen.Select(c => $"{c}; pick another with --x"));
        return result;
    }

    /// <summary>The family a benchmark belongs to: its class and method, <c>ListBenchmarks.Build</c>.</summary>
    private static string FamilyOf(BenchmarkRecord record) => $"{record.Type}.{record.Method}";

    private static List<BenchmarkRecord> Measured(List<BenchmarkRecord> records, string x, PlotSpec spec) =>
        records.Where(r => r.Dims.ContainsKey(x) && spec.Metric.Read(r) is not null).ToList();

    private static void NoteLeftOut(List<BenchmarkRecord> records, string x, PlotSpec spec, List<string> notes)
    {
        int unmeasured = PlotData.Count(records.Where(r => r.Dims.ContainsKey(x) && spec.Metric.Read(r) is null));
        if (unmeasured > 0)
            notes.Add($"{unmeasured} benchmark(s) without {spec.Metric.Name} left out");
        int noX = PlotData.Count(records.Where(r => !r.Dims.ContainsKey(x)));
        if (noX > 0)
            notes.Add($"{noX} benchmark(s) without dim {x} left out");
    }

    private static (AxisUnit Unit, bool LogX, bool LogY) Scales(List<BenchmarkRecord> measured, string x, PlotSpec spec)
    {
        var values = measured.Select(r => spec.Metric.Read(r, spec.Clip)!.Value).ToList();
        return (AxisScale.UnitFor(spec.Metric.Kind, values.Select(v => v.Value)),
                AxisScale.ShouldLog(measured.Select(r => PlotData.ToDouble(r.Dims[x]))),
                AxisScale.ShouldLog(values.SelectMany(v => new[] { v.Value, v.Spread(spec.Band).Low, v.Spread(spec.Band).High })));
    }

    /// <summary>--clip: how many samples beyond the factor were left out of the spreads, said under the title.</summary>
    private static void NoteClipped(List<BenchmarkRecord> measured, PlotSpec spec, List<string> notes)
    {
        if (spec.Clip is not { } factor)
            return;
        var clipped = measured.Select(r => spec.Metric.Read(r, factor)!.Value.Clipped).ToList();
        int samples = clipped.Sum(), benchmarks = clipped.Count(c => c > 0);
        string what = spec.Metric.Field.IsSampled ? "round(s)" : "pass(es)";
        notes.Add(samples == 0 ? $"--clip {factor:0.###}: no {what} beyond {factor:0.###}× the median"
                               : $"--clip {factor:0.###}: {samples} {what} of {benchmarks} benchmark(s) beyond {factor:0.###}× the median left out of the spread");
    }

    /// <summary>A line per run and benchmark (and --color value) among the runs' records that have x and the metric.</summary>
    private static Panel MakePanel(IReadOnlyList<PlotRun> runs, string? title, string x, PlotSpec spec, AxisUnit unit, bool logX, bool logY,
                                   IReadOnlyCollection<string> identity, SeriesNaming naming)
    {
        var series = new List<Series>();
        foreach (var run in runs)
        {
            var groups = run.Records.Where(r => r.Dims.ContainsKey(x) && spec.Metric.Read(r) is not null)
                .GroupBy(r => (Key: BenchmarkKey.Without(r, identity), Color: spec.Color is null ? null : ColorValue(r, spec.Color)))
                .OrderBy(g => g.Key.Key, Core.Compare.NaturalOrder.Instance)
                .ThenBy(g => g.Key.Color, Core.Compare.NaturalOrder.Instance);
            foreach (var group in groups)
            {
                var points = group.OrderBy(r => PlotData.ToDouble(r.Dims[x])).ToList();
                var m = points.Select(p => spec.Metric.Read(p, spec.Clip)!.Value).ToList();
                string name = naming.Name(run.Label, points[0], group.Key.Color is null ? null : $"{spec.Color}={group.Key.Color}");
                series.Add(new Series
                {
                    Name = name,
                    Kind = SeriesKind.Line,
                    X = points.Select(p => PlotData.ToDouble(p.Dims[x])).ToArray(),
                    Y = m.Select(v => unit.Apply(v.Value)).ToArray(),
                    YLow = m.Select(v => unit.Apply(v.Spread(spec.Band).Low)).ToArray(),
                    YHigh = m.Select(v => unit.Apply(v.Spread(spec.Band).High)).ToArray(),
                    Band = spec.Band is not null,
                    Hover = points.Select((p, i) => $"{name}<br>{x}={BenchmarkKey.FormatDim(p.Dims[x])}: {spec.Metric.Format(m[i].Value)}" +
                                                    (m[i].Min != m[i].Max ? $" (min {spec.Metric.Format(m[i].Min)}, max {spec.Metric.Format(m[i].Max)})" : "") +
                                                    $"<br>{p.FullName}").ToArray(),
                    ColorGroup = group.Key.Color,
                });
            }
        }
        return new Panel
        {
            Title = title,
            X = new Axis(x, logX),
            Y = new Axis(unit.Title(spec.Metric.Title), logY),
            Series = series,
        };
    }

    /// <summary>--x, or the one numeric dim whose value varies; otherwise a usage error saying what is there.</summary>
    private static string ChooseX(IReadOnlyList<PlotRun> runs, List<BenchmarkRecord> records, PlotSpec spec)
    {
        var dims = BenchmarkKey.DimNames(records).Where(d => d != spec.Pivot).ToList();
        if (spec.X is not null)
        {
            string x = PlotData.ResolveDim("--x", spec.X, records);
            if (!PlotData.IsNumeric(records, x))
                throw new UsageException($"--x {x}: dim '{x}' is not numeric (values: {PlotData.Describe(PlotData.DistinctValues(records, x))}); put a numeric dim on x " +
                                         $"({PlotData.DescribeDims(dims.Where(d => PlotData.IsNumeric(records, d)).ToList())}) and use --facet {x} or --color {x} for this one.");
            return x;
        }
        // No family varies a dim on its own, but across families one does (Sort(n: 10) and Fill(n: 100)): that one.
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
            _varying = BenchmarkKey.DimNames(records).Where(d => !identity.Contains(d) && PlotData.DistinctValues(records, d).Count > 1).ToList();
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
            parts.AddRange(_varying.Where(record.Dims.ContainsKey).Select(d => $"{d}={BenchmarkKey.FormatDim(record.Dims[d])}"));
            return parts.Count == 0 ? (_labels ? label : record.Method) : string.Join(" · ", parts);
        }
    }
}
