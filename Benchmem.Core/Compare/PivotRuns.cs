using Benchmem.Core.Results;

namespace Benchmem.Core.Compare;

/// <summary>
/// A run cut along a dim (<c>benchmem compare --pivot DIM</c>): one run per value of the dim, in the dims' order
/// (numbers numerically), each holding that value's benchmarks under their FullName without the dim, so the first
/// value is the baseline the others are gated against — an A/B inside one run.
/// </summary>
public static class PivotRuns
{
    /// <summary>The runs along <paramref name="dim"/>, labelled "dim=value"; benchmarks without the dim are left out (and named).</summary>
    public static (IReadOnlyList<(string Label, BenchmarkRun Run)> Runs, IReadOnlyList<string> LeftOut) Split(BenchmarkRun run, string dim)
    {
        var with = run.Benchmarks.Where(b => b.Dims.ContainsKey(dim)).ToList();
        var values = BenchmarkKey.OrderedDimValues(with.Select(b => b.Dims[dim]));
        var runs = values.Select(value => ($"{dim}={value}", BenchmarkRun.FromRecords($"{run.Title} {dim}={value}",
            [.. with.Where(b => BenchmarkKey.FormatDim(b.Dims[dim]) == value).Select(b => Without(b, dim))]))).ToList();
        return (runs, [.. run.Benchmarks.Where(b => !b.Dims.ContainsKey(dim)).Select(BenchmarkKey.ShortName)]);
    }

    /// <summary>The record named and dimmed as if it had no <paramref name="dim"/>.</summary>
    private static BenchmarkRecord Without(BenchmarkRecord b, string dim) =>
        b.Renamed(BenchmarkKey.Without(b, dim), b.Dims.Where(d => d.Key != dim).ToDictionary(d => d.Key, d => d.Value));
}
