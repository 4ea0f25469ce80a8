using System.Collections;
using Benchmem.Core.Compare;
using Benchmem.Core.Errors;
using Benchmem.Core.Settings;

namespace Benchmem.Core.Tests.Settings;

/// <summary>Issue 17's run settings: Timing, Layout, extra:NAME columns and ratio rules in CompareFail.</summary>
public class RunParitySettingsTests
{
    private static BenchmemSettings Resolve(params (string Key, string Value)[] runSettings) =>
        SettingsResolver.Resolve(runSettings.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)), [], new Hashtable());

    private static string Problem(params (string Key, string Value)[] runSettings) =>
        Assert.Throws<BenchmemSettingsException>(() => Resolve(runSettings))!.Message.Split(Environment.NewLine)[1];

    [Test]
    public void Defaults_TimeAndCombineAndHaveNoLabelColumns()
    {
        var s = Resolve();
        Assert.That((s.Timing, s.Layout, s.ExtraColumns.Count, s.Columns), Is.EqualTo((true, "combined", 0, new[] { "peak" })));
    }

    [Test]
    public void Columns_TakeLabelColumns_BesideTheMetrics_OrAlone()
    {
        var both = Resolve(("Columns", "allocated, extra:phase,extra:n,extra:phase"));
        Assert.That(both.Columns, Is.EqualTo(new[] { "allocated" }));
        Assert.That(both.ExtraColumns, Is.EqualTo(new[] { "phase", "n" }), "each once, as given, case kept (dims are the test's own names)");
        var alone = Resolve(("Columns", "extra:Size"));
        Assert.That((alone.Columns, alone.ExtraColumns), Is.EqualTo((new[] { "peak" }, new[] { "Size" })), "memory columns stay the default");
        Assert.That(Problem(("Columns", "peak,extra:")), Is.EqualTo("  - runsettings <Benchmem><Columns>: 'peak,extra:' is not valid for Benchmem.Columns: "
            + "'extra:' names no dim: write extra:NAME, e.g. extra:n (expected a comma-separated list of peak, allocated, allocations, retained, rss, gen0, gen1, gen2, native-peak, "
            + "native-allocated, native-allocations, native-retained and extra:NAME label columns)"));
    }

    [Test]
    public void TimingAndLayout_AreParsed_AndContradictionsRefused()
    {
        Assert.That(Resolve(("Timing", "false")).Timing, Is.False);
        Assert.That(Resolve(("Layout", "Split")).Layout, Is.EqualTo("split"));
        Assert.That(Problem(("Layout", "stacked")), Is.EqualTo("  - runsettings <Benchmem><Layout>: 'stacked' is not valid for Benchmem.Layout: unknown item 'stacked' (expected one of combined, split)"));
        Assert.That(Problem(("Timing", "false"), ("Disable", "true")),
            Is.EqualTo("  - Benchmem.Timing=false (memory passes only) and Benchmem.Disable=true (no measuring at all) contradict each other: drop one of them."));
    }

    [Test]
    public void CompareFail_TakesRatioRules_BesideThresholds()
    {
        var rules = GateRules.Parse(Resolve(("CompareFail", "peak:10%, ratio.time:1.2,ratio.allocated:1")).CompareFail);
        Assert.That(rules.Thresholds.Select(t => t.Field.Name), Is.EqualTo(new[] { "peak" }));
        Assert.That(rules.Ratios.Select(r => (r.Field.Name, r.Limit)), Is.EqualTo(new[] { ("time", 1.2), ("allocated", 1.0) }));
        Assert.That(Problem(("CompareFail", "ratio.time")), Does.Contain("'ratio.time' has no limit: write ratio.time:1.2 (at most 1.2 times the baseline benchmark)"));
        Assert.That(Problem(("CompareFail", "ratio.peek:1.2")), Does.Contain("'ratio.peek:1.2': unknown field 'peek' (did you mean peak?)"));
        Assert.That(Problem(("CompareFail", "ratio.time:10%")), Does.Contain("'ratio.time:10%': '10%' is not a ratio: write a positive number without a unit, e.g. ratio.time:1.2"));
    }
}
