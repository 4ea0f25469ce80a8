using Benchmem.Core.Compare;
using Benchmem.Core.Memory;
using Benchmem.Core.Results;
using static Benchmem.Core.Tests.Compare.CompareSupport;

namespace Benchmem.Core.Tests.Compare;

/// <summary>
/// The four native metrics through the descriptors only (MetricField.All): the results file's series, read back; the
/// gate grammar; compare's columns. A file measured without the interposer has no native series and reads them as
/// absent, never 0.
/// </summary>
public class NativeMetricTests : CompareFixture
{
    private static MemoryPass NativePass(long peak, long allocated, long allocations, long retained) =>
        Pass(1024) with { NativePeakBytes = peak, NativeAllocatedBytes = allocated, NativeAllocations = allocations, NativeRetainedBytes = retained };

    private static BenchmarkRecord Sqlite(params MemoryPass[] passes) =>
        Record("SqliteBenchmarks", "Fill", time: [1000, 1010, 990], passes: passes);

    [Test]
    public void EveryPassSurvivesTheResultsFile_AndTheHeadlineIsTheMinimumPeakPass()
    {
        var run = Save(Dir, "native", Sqlite(NativePass(136_536, 152_904, 294, 126_728), NativePass(139_048, 155_680, 309, 2_656)));
        var passes = run.Benchmarks.Single().Memory!.Passes;
        string file = File.ReadAllText(Path.Combine(Dir, "native.json"));
        Assert.Multiple(() =>
        {
            Assert.That(passes.Select(p => (p.NativePeakBytes, p.NativeAllocatedBytes, p.NativeAllocations, p.NativeRetainedBytes)),
                Is.EqualTo(new (long?, long?, long?, long?)[] { (136_536, 152_904, 294, 126_728), (139_048, 155_680, 309, 2_656) }));
            Assert.That(file, Does.Contain("\"NativePeakBytes\": [\n").Or.Contain("\"NativePeakBytes\":["));
            var record = run.Benchmarks.Single();
            // Both passes have managed peak 1024: the headline is the first (MinBy keeps the first of equals).
            Assert.That(MetricField.NativePeak.Value(record), Is.EqualTo(136_536));
            Assert.That(MetricField.NativeAllocated.Value(record), Is.EqualTo(152_904));
            Assert.That(MetricField.NativeAllocations.Value(record), Is.EqualTo(294));
            Assert.That(MetricField.NativeRetained.Value(record), Is.EqualTo(126_728));
        });
    }

    [Test]
    public void WithoutTheInterposer_TheSeriesAreLeftOut_AndReadAsAbsent()
    {
        var run = Save(Dir, "managed", Sqlite(Pass(1024), Pass(1024)));
        string file = File.ReadAllText(Path.Combine(Dir, "managed.json"));
        var record = run.Benchmarks.Single();
        Assert.Multiple(() =>
        {
            Assert.That(file, Does.Not.Contain("Native"));
            Assert.That(file, Does.Contain("PeakBytes"));
            Assert.That(record.Memory!.Passes.Select(p => p.NativePeakBytes), Is.All.Null);
            foreach (var field in new[] { MetricField.NativePeak, MetricField.NativeAllocated, MetricField.NativeAllocations, MetricField.NativeRetained })
                Assert.That(field.Value(record), Is.Null, field.Name);
        });
    }

    [Test]
    public void GateRules_OnEveryNativeField()
    {
        var comparison = Comparison.Of(
            Save(Dir, "base", Sqlite(NativePass(100_000, 150_000, 300, 0))),
            Save(Dir, "new", Sqlite(NativePass(120_000, 150_000, 330, 126_728))));
        Assert.Multiple(() =>
        {
            Assert.That(comparison.Check("native-peak:20%").Passed, Is.True, "exactly at the limit passes");
            Assert.That(comparison.Check("native-peak:19%").RegressionLines,
                Is.EqualTo(new[] { "native-peak  SqliteBenchmarks.Fill: 97.7 KiB → 117 KiB (+20.0%)" }));
            Assert.That(comparison.Check("native-allocated:0%").Passed, Is.True);
            Assert.That(comparison.Check("native-allocations:30").Passed, Is.True);
            Assert.That(comparison.Check("native-allocations:29").Passed, Is.False);
            Assert.That(comparison.Check("native-retained:100KiB").Passed, Is.False, "a connection left open");
            Assert.That(comparison.Check("native-retained:124KiB").Passed, Is.True);
            Assert.That(ThresholdRule.Parse("Native-Peak:1MiB").Field, Is.SameAs(MetricField.NativePeak));
        });
        Assert.That(Assert.Throws<FormatException>(() => comparison.Check("native-peak.max:5%"))!.Message,
            Is.EqualTo("'native-peak.max:5%': native-peak takes no statistic, it compares the headline memory pass: write native-peak:5%"));
    }

    [Test]
    public void CompareColumns_ShowTheNativeFields()
    {
        var runs = new[]
        {
            ("base", Save(Dir, "base", Sqlite(NativePass(100_000, 150_000, 300, 0)))),
            ("new", Save(Dir, "new", Sqlite(NativePass(120_000, 150_000, 330, 126_728)))),
        };
        string table = ComparisonTable.Render(runs, new TableOptions { Columns = TableOptions.ParseColumns("native-peak,native-allocations,native-retained") });
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Contain("native-peak").And.Contain("native-allocations").And.Contain("native-retained"), table);
            Assert.That(table, Does.Contain("97.7 KiB").And.Contain("117 KiB").And.Contain("124 KiB").And.Contain("330"), table);
        });
    }
}
