using Benchmem.Core.Memory;
using Benchmem.NUnit.Commands.Stages;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>[BenchMem] ceilings: judged on the worst pass, named by the property that sets them, parsed once into one record.</summary>
public class CeilingTests
{
    private static MemoryPass Pass(long peak, long allocated, long? allocations = null) =>
        new() { PeakBytes = peak, AllocatedBytes = allocated, RetainedBytes = 0, Allocations = allocations, PeakMethod = PeakMethods.HeapHighWater };

    private static MemoryResult Passes(params MemoryPass[] passes) => new() { Passes = passes, Options = new MemoryOptions() };

    [Test]
    public void TheWorstPassOverTheLimitFails_NamingMetricPropertyAndPassCount()
    {
        var ceiling = new Ceiling(CeilingKind.Peak, 100 * 1024 * 1024, "100MiB");
        var memory = Passes(Pass(90L * 1024 * 1024, 0), Pass(117L * 1024 * 1024, 0), Pass(95L * 1024 * 1024, 0));

        Assert.That(ceiling.Check(memory), Is.EqualTo("peak 117 MiB exceeds MaxPeak 100MiB (worst of 3 passes)"));
    }

    [Test]
    public void OnePassAtTheLimitPasses_AndOneByteOverFails_WithoutAPassCount()
    {
        var ceiling = new Ceiling(CeilingKind.Allocated, 5000, "5000B");

        Assert.That(ceiling.Check(Passes(Pass(0, 5000))), Is.Null);
        Assert.That(ceiling.Check(Passes(Pass(0, 5001))), Is.EqualTo("allocated 4.88 KiB exceeds MaxAllocated 5000B"));
    }

    [Test]
    public void ObjectCountsAreShownAsCounts()
    {
        var ceiling = new Ceiling(CeilingKind.Allocations, 1000, "1,000");

        Assert.That(ceiling.Check(Passes(Pass(0, 0, 1500))), Is.EqualTo("allocations 1,500 exceeds MaxAllocations 1,000"));
    }

    [Test]
    public void WithoutObjectCountsTheAllocationsCeilingSaysWhatIsMissing() =>
        Assert.That(new Ceiling(CeilingKind.Allocations, 10, "10").Check(Passes(Pass(0, 0, allocations: null))),
            Is.EqualTo("MaxAllocations needs exact allocation counts, which this run does not have (they come from the memory host's profiler); "
                + "use MaxAllocated for a ceiling in bytes instead."));

    [Test]
    public void EachKindIsNamedAfterTheAttributePropertyThatSetsIt() =>
        Assert.That(new[] { CeilingKind.Peak, CeilingKind.Allocated, CeilingKind.Allocations }.Select(k => (k.Metric, k.Property)),
            Is.EqualTo(new[] { ("peak", "MaxPeak"), ("allocated", "MaxAllocated"), ("allocations", "MaxAllocations") }));

    [Test]
    public void TheAttributesCeilingsAreParsedInOrder_WithTheTextAsWritten()
    {
        var (ceilings, error) = PlanStage.Ceilings(new BenchMemAttribute { MaxPeak = "1KiB", MaxAllocated = "2KB", MaxAllocations = 1234567 });

        Assert.That(error, Is.Null);
        Assert.That(ceilings.Select(c => (c.Kind, c.Limit, c.Text)), Is.EqualTo(new[]
        {
            (CeilingKind.Peak, 1024L, "1KiB"),
            (CeilingKind.Allocated, 2000L, "2KB"),
            (CeilingKind.Allocations, 1234567L, "1,234,567"),
        }));
    }

    [Test]
    public void NoCeilingsByDefault()
    {
        var (ceilings, error) = PlanStage.Ceilings(new BenchMemAttribute());

        Assert.That(ceilings, Is.Empty);
        Assert.That(error, Is.Null);
    }
}
