namespace Benchmem.Core.Results;

/// <summary>
/// The <c>Metrics</c> array of a Benchmarks[] entry, as BenchmarkDotNet 0.15.8's MemoryDiagnoser writes it (a value and
/// its descriptor), whenever memory was measured: Gen0/1/2 collections per 1000 operations and "Allocated Memory"
/// (bytes per operation), which dotnet/performance's ResultsComparer looks up by Id. Benchmem's own memory-pass numbers
/// follow as extra descriptors of the same shape (Ids starting "Benchmem."), which BDN's readers pass over.
/// </summary>
public static class BdnMetrics
{
    /// <summary>BDN's IMetricDescriptor fields. UnitType is BDN's enum as a number: 0 Dimensionless, 1 Time, 2 Size, 3 CodeSize.</summary>
    public sealed record Descriptor(string Id, string DisplayName, string Legend, string NumberFormat, int UnitType, string Unit,
        bool TheGreaterTheBetter, int PriorityInCategory);

    public static readonly Descriptor Gen0 = new("Gen0Collects", "Gen0", "GC Generation 0 collects per 1000 operations", "#0.0000", 0, "Count", false, 0);
    public static readonly Descriptor Gen1 = new("Gen1Collects", "Gen1", "GC Generation 1 collects per 1000 operations", "#0.0000", 0, "Count", false, 1);
    public static readonly Descriptor Gen2 = new("Gen2Collects", "Gen2", "GC Generation 2 collects per 1000 operations", "#0.0000", 0, "Count", false, 2);
    public static readonly Descriptor Allocated = new("Allocated Memory", "Allocated",
        "Allocated memory per single operation (managed only, inclusive, 1KB = 1024B)", "0.##", 2, "B", false, 3);

    // Benchmem's memory passes: one call of the benchmark per pass, the headline pass (least peak) of them.
    public static readonly Descriptor Peak = new("Benchmem.PeakMemory", "Peak",
        "Peak managed heap above the start of one call (Benchmem memory pass)", "0.##", 2, "B", false, 4);
    public static readonly Descriptor Allocations = new("Benchmem.Allocations", "Allocations",
        "Objects allocated by one call (Benchmem memory pass, profiler)", "#0", 0, "Count", false, 5);
    public static readonly Descriptor Retained = new("Benchmem.RetainedMemory", "Retained",
        "Managed heap still reachable after one call returned (Benchmem memory pass)", "0.##", 2, "B", false, 6);
    public static readonly Descriptor CallAllocated = new("Benchmem.AllocatedMemory", "Allocated (call)",
        "Bytes allocated by one call (Benchmem memory pass)", "0.##", 2, "B", false, 7);

    /// <summary>The metrics of a record, in BDN's order then Benchmem's; none when memory was not measured.</summary>
    public static IReadOnlyList<(Descriptor Descriptor, double Value)> Of(BenchmarkRecord r)
    {
        var list = new List<(Descriptor, double)>();
        if (r.Allocation is { } a)
        {
            // BDN divides by the operation count as it is, so no operations give NaN (written "").
            double perThousand(int collections) => collections / (double)a.TotalOperations * 1000;
            list.Add((Gen0, perThousand(a.Gen0Collections)));
            list.Add((Gen1, perThousand(a.Gen1Collections)));
            list.Add((Gen2, perThousand(a.Gen2Collections)));
            list.Add((Allocated, a.BytesAllocatedPerOperation));
        }
        if (r.Memory is { } m)
        {
            var headline = m.Headline;
            foreach (var (descriptor, series) in OfPasses)
            {
                if (series.Read(headline) is { } value) // allocations without the profiler: left out
                    list.Add((descriptor, value));
            }
        }
        return list;
    }

    /// <summary>Benchmem's descriptors and the per-pass series each reports, in the order they are written.</summary>
    private static readonly (Descriptor Descriptor, PassSeries Series)[] OfPasses =
        [(Peak, PassSeries.PeakBytes), (Allocations, PassSeries.Allocations), (Retained, PassSeries.RetainedBytes), (CallAllocated, PassSeries.AllocatedBytes)];
}
