using Benchmem.Core.Errors;
using Benchmem.Core.Results;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// Record: the measurement under the benchmark's identity (with the dims the test gave itself) into the run's results,
/// and the run flagged, and told once, when other tests or test assemblies ran beside it.
/// </summary>
internal sealed class RecordStage(RunResults results, BenchmarkDims dims, ParallelRun parallel, BenchmarkMetrics? metrics = null)
{
    /// <summary>The record, or the failure when its FullName is already taken by another test.</summary>
    public (BenchmarkRecord? Record, BenchmarkFailure? Failure) Record(BenchmarkCase benchmark, BenchmarkPlan plan, Measurement measured)
    {
        var identity = benchmark.Identity;
        foreach (var (name, value) in dims.Take(benchmark.Context.CurrentTest.Id))
            identity.Dims[name] = value;
        var record = identity.ToRecord(plan.Group, measured.Timing, measured.Allocation, measured.Memory, Optimization.IsOptimized(benchmark.Code), plan.Baseline);
        foreach (var (name, value) in metrics?.Take(benchmark.Context.CurrentTest.Id) ?? new Dictionary<string, double>())
            record.Metrics[name] = value;
        try
        {
            results.Add(record, $"test {benchmark.Context.CurrentTest.FullName}");
        }
        catch (DuplicateBenchmarkException e)
        {
            return (null, new BenchmarkFailure(e.Message));
        }
        if (measured.OtherTests)
            parallel.WarnOnce();
        if (measured.OtherAssemblies.Count > 0)
            parallel.WarnAssembliesOnce(measured.OtherAssemblies);
        if (measured.OtherTests || measured.OtherAssemblies.Count > 0)
            results.MarkParallel();
        return (record, null);
    }
}
