using Benchmem.Core.Timing;
using Benchmem.Core.Units;

namespace MemoryPassCost;

/// <summary>Prints the tables and the legend.</summary>
internal static class Report
{
    public static void Print(RunOptions options, ProcessNumbers inProcess, ChildOutcome? host, ChildOutcome? control)
    {
        var h = host?.Numbers;
        var c = control?.Numbers;
        if (host is { Numbers: null })
            Console.WriteLine($"Memory host child failed: {host.Error}");
        if (control is { Numbers: null })
            Console.WriteLine($"Control child failed: {control.Error}");
        if (h is { ProfilerActive: false })
            Console.WriteLine($"Memory host child ran WITHOUT the profiler (no allocation counts): {h.InactiveReason}");

        // Main table: the call's own time is the in-process TimingEngine median (what Benchmem reports as the
        // benchmark's time); both ratios divide by it.
        var rows = new List<string[]>
        {
            new[] { "workload", "call (median)", "in-process pass", "x call", "memory-host pass", "x call", "host allocations (expected)" },
        };
        for (int i = 0; i < inProcess.Workloads.Count; i++)
        {
            var w = inProcess.Workloads[i];
            var hw = h?.Workloads.ElementAtOrDefault(i);
            double call = w.CallNs ?? double.NaN;
            double pass = Median(w.PassNs);
            double hostPass = hw is null ? double.NaN : Median(hw.PassNs);
            rows.Add(
            [
                w.Name,
                TimeFormat.Format(call),
                Pass(w.PassNs),
                Ratio(pass, call),
                hw is null ? "n/a" : Pass(hw.PassNs),
                Ratio(hostPass, call),
                hw is null ? "n/a" : Allocations(hw, Workloads.All[i].ExpectedAllocations),
            ]);
        }
        var e = inProcess.Empty;
        var he = h?.Empty;
        rows.Add(
        [
            "fixed cost (no-op call)",
            "-",
            Pass(e.PassNs),
            "",
            he is null ? "n/a" : Pass(he.PassNs),
            "",
            he is null ? "n/a" : Allocations(he, Workloads.Empty.ExpectedAllocations),
        ]);
        Table(rows);
        Console.WriteLine();

        // Where the fixed cost goes.
        Console.WriteLine("Fixed cost of one pass = the pass of a no-op call. Its clean-heap steps alone (3 per pass, each a forced full");
        Console.WriteLine("blocking compacting GC + finalizers + a second GC: 6 full GCs), timed directly between the no-op samples:");
        Console.WriteLine($"  in process:  {TimeFormat.Format(inProcess.CleanHeapNs)} of {TimeFormat.Format(Median(e.PassNs))} ({Percent(inProcess.CleanHeapNs, Median(e.PassNs))}), live heap {ByteSize.Format(inProcess.LiveHeapBytes)}");
        if (h is not null && he is not null)
            Console.WriteLine($"  memory host: {TimeFormat.Format(h.CleanHeapNs)} of {TimeFormat.Format(Median(he.PassNs))} ({Percent(h.CleanHeapNs, Median(he.PassNs))}), live heap {ByteSize.Format(h.LiveHeapBytes)}");
        Console.WriteLine();

        // The profiler's slowdown of the call itself.
        if (h is not null || c is not null)
        {
            Console.WriteLine("The call itself, timed with TimingEngine in each process (the children time it after their passes):");
            var slow = new List<string[]>
            {
                new[] { "workload", "in process (tiered)", "control (TC=0)", "host (TC=0 + profiler)", "profiler slowdown", "host / in process" },
            };
            for (int i = 0; i < inProcess.Workloads.Count; i++)
            {
                double ip = inProcess.Workloads[i].CallNs ?? double.NaN;
                double cc = c?.Workloads.ElementAtOrDefault(i)?.CallNs ?? double.NaN;
                double hc = h?.Workloads.ElementAtOrDefault(i)?.CallNs ?? double.NaN;
                slow.Add([inProcess.Workloads[i].Name, TimeFormat.Format(ip), TimeFormat.Format(cc), TimeFormat.Format(hc), Ratio(hc, cc, "F2"), Ratio(hc, ip, "F2")]);
            }
            Table(slow);
            Console.WriteLine();
        }

        // Per-run and per-benchmark costs outside the passes.
        Console.WriteLine("Costs outside the passes:");
        if (host is { Numbers: { } hn })
            Console.WriteLine($"  memory-host child, start-up + exit (its wall time {TimeFormat.Format(host.WallNs)} minus the {TimeFormat.Format(hn.ElapsedNs)} it measured): "
                + $"{TimeFormat.Format(host.WallNs - hn.ElapsedNs)} once per run (a real host also loads NUnit and the test assembly)");
        if (control is { Numbers: { } cn })
            Console.WriteLine($"  control child, start-up + exit: {TimeFormat.Format(control.WallNs - cn.ElapsedNs)}");
        Console.WriteLine("  first Measure(Repeats = 1) of each workload, JIT included (in process the call was already JIT-ted by timing):");
        for (int i = 0; i < inProcess.Workloads.Count; i++)
        {
            var hw = h?.Workloads.ElementAtOrDefault(i);
            Console.WriteLine($"    {inProcess.Workloads[i].Name,-24} in process {TimeFormat.Format(inProcess.Workloads[i].FirstMeasureNs),10}"
                + (hw is null ? "" : $"   memory host {TimeFormat.Format(hw.FirstMeasureNs),10}"));
        }
        Console.WriteLine();

        Console.WriteLine("Legend:");
        Console.WriteLine("  call          median ns per call, TimingEngine in this process (tiered JIT, no profiler): the benchmark's own time.");
        Console.WriteLine($"  pass          wall time of MemoryMeter.Measure(Repeats = {options.Repeats}, Warmup = 1) / {options.Repeats}, median of {options.Samples} such calls,");
        Console.WriteLine("                ± half their range (machine noise); includes the amortized warm-up call and all MemoryMeter does per pass.");
        Console.WriteLine("  x call        pass / call, both against the in-process call time. Benchmem's adaptive Repeats takes 2-10 passes");
        Console.WriteLine("                per benchmark (3 when the peak is stable), so a benchmark's memory cost is about 3 times this.");
        Console.WriteLine("  fixed cost    for short calls the pass is almost all fixed cost, and the clean-heap GCs dominate it: every pass");
        Console.WriteLine("                runs 6 forced full blocking compacting GCs and 2 finalizer waits whatever the call does; their cost");
        Console.WriteLine("                grows with the live heap (small here; a test host with NUnit loaded has more).");
        Console.WriteLine("  allocations   the host's exact object count per pass (all passes; several values = it varied), expected in ().");
        Console.WriteLine("  profiler slowdown  host call / control call: both children run DOTNET_TieredCompilation=0, so this is the");
        Console.WriteLine("                profiler's ObjectAllocated callback alone; host / in process adds the JIT mode's effect.");
    }

    private static string Allocations(WorkloadNumbers w, long expected)
    {
        if (w.Allocations.Length == 0)
            return $"n/a ({CountFormat.Format(expected)})";
        string seen = string.Join("/", w.Allocations.Select(a => CountFormat.Format(a)));
        bool ok = w.Allocations.Length == 1 && w.Allocations[0] == expected;
        return $"{seen} ({CountFormat.Format(expected)}) {(ok ? "ok" : "MISMATCH")}";
    }

    /// <summary>Median and the samples' half-range relative to it: "745.5 us ±12%".</summary>
    private static string Pass(double[] samples)
    {
        double median = Median(samples);
        if (!double.IsFinite(median) || median <= 0)
            return "n/a";
        double spread = (samples.Max() - samples.Min()) / 2 / median;
        return $"{TimeFormat.Format(median)} ±{spread * 100:F0}%";
    }

    private static double Median(double[] values) => values.Length == 0 ? double.NaN : new Statistics(values).Median;

    private static string Ratio(double a, double b, string format = "N0") =>
        double.IsFinite(a) && double.IsFinite(b) && b > 0 ? a / b < 10 && format == "N0" ? (a / b).ToString("F1") + "x" : (a / b).ToString(format) + "x" : "n/a";

    private static string Percent(double part, double whole) =>
        double.IsFinite(part) && double.IsFinite(whole) && whole > 0 ? (part / whole).ToString("P0") : "n/a";

    private static void Table(List<string[]> rows)
    {
        int columns = rows[0].Length;
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        string Line(string[] r) => string.Join("  ", r.Select((cell, c) => c == 0 || c == columns - 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();
        Console.WriteLine(Line(rows[0]));
        Console.WriteLine(new string('-', widths.Sum() + 2 * (columns - 1)));
        foreach (var r in rows.Skip(1))
            Console.WriteLine(Line(r));
    }
}
