using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// The inline gate as a user meets it: save a baseline, change the code so one benchmark allocates more, run
/// again with Benchmem.CompareFail, and see exactly the grown benchmark fail.
/// </summary>
[TestFixture]
public class CompareEndToEndTests
{
    private SampleSuite _suite = null!;

    [OneTimeSetUp]
    public void Build() => _suite = SampleSuite.Create("GateSample", Samples.Load("Gate"));

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    private ProcessResult Run(int size, string storage, params string[] settings) =>
        _suite.Test(["--", $"Benchmem.Storage={storage}", .. settings], new Dictionary<string, string?> { ["SAMPLE_SIZE"] = size.ToString() });

    [Test]
    public void ExactlyTheGrownBenchmarkFails()
    {
        var storage = Path.Combine(_suite.Directory, "store-" + Guid.NewGuid().ToString("N")[..6]);
        var baseline = Run(1000, storage, "Benchmem.Save=base");
        Assert.That(baseline.ExitCode, Is.EqualTo(0), baseline.Output);

        var same = Run(1000, storage, "Benchmem.CompareFail=allocated:10%");
        Assert.That(same.ExitCode, Is.EqualTo(0), same.Output);
        Assert.That(same.Output, Does.Contain("Benchmem: CompareFail=allocated:10% against ").And.Contain("0001_base.json"));

        // With a profile folder, only the regressing benchmark keeps its allocation profile, and its failure says where.
        var profiles = Path.Combine(_suite.Directory, "profiles-" + Guid.NewGuid().ToString("N")[..6]);
        var grown = Run(2000, storage, "Benchmem.CompareFail=allocated:10%", $"Benchmem.Profile={profiles}");
        Assert.That(grown.ExitCode, Is.Not.EqualTo(0), grown.Output);
        Assert.That(Directory.GetFiles(profiles, "*.speedscope.json").Select(Path.GetFileName),
            Is.EqualTo(new[] { Core.Profiles.ProfileFolder.Stem("Sample.Gate.Grows") + ".speedscope.json" }), grown.Output);
        Assert.That(grown.Output, Does.Contain($"Benchmem: where the memory went: benchmem profile {profiles} Sample.Gate.Grows"));
        Assert.That(grown.Output, Does.Contain("Failed Grows ").And.Not.Contain("Failed Stable "));
        Assert.That(grown.Output, Does.Match(@"allocated\s+Gate\.Grows: 1\.00 KiB → 1\.98 KiB \(\+97\.7%\)"));
        Assert.That(grown.Output, Does.Contain("Failed:     1, Passed:     1"));

        var byName = Run(2000, storage, "Benchmem.CompareFail=allocated:2KiB", "Benchmem.CompareTo=base");
        Assert.That(byName.ExitCode, Is.EqualTo(0), "an absolute rule: +1000 B is within 2 KiB\n" + byName.Output);

        CalibrationIsWrittenAndCompareUsesIt(storage);
    }

    /// <summary>The runs above calibrated every benchmark's timing (Benchmem.Calibration in the saved files), and a time
    /// rule between two of them is judged on the calibrated ratio.</summary>
    private static void CalibrationIsWrittenAndCompareUsesIt(string storage)
    {
        var files = Directory.GetFiles(storage, "*.json", SearchOption.AllDirectories).Order().ToArray();
        Assert.That(files, Has.Length.EqualTo(1), "only the first run was saved");
        using var json = SampleSuite.ReadJson(files[0]);
        foreach (var b in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
        {
            var block = b.GetProperty("Benchmem");
            var c = block.GetProperty("Calibration");
            int rounds = block.GetProperty("Timing").GetProperty("Rounds").GetInt32();
            Assert.That(c.GetProperty("Version").GetInt32(), Is.EqualTo(Core.Timing.CalibrationWorkload.Version));
            Assert.That(c.GetProperty("Workloads").EnumerateArray().Select(w => w.GetString()), Is.EqualTo(new[] { "int", "float", "memory" }));
            var workload = c.GetProperty("Workload").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var before = c.GetProperty("BeforeRound").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var ns = c.GetProperty("Nanoseconds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            // Every workload before the first round and after the last, the rest in turn between the rounds, in order.
            Assert.That(workload[..3], Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(workload[^3..], Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(before[..3], Is.EqualTo(new[] { 0, 0, 0 }));
            Assert.That(before[^3..], Is.EqualTo(new[] { rounds, rounds, rounds }));
            Assert.That(before, Is.Ordered);
            Assert.That(ns, Has.Length.EqualTo(workload.Length).And.All.GreaterThan(0));
            // Within the budget: the samples took a minor share of the benchmark's timing (MaxTime = 0.1 s here, so the
            // fixed samples before and after the rounds weigh more than the ~5% of a 1 s benchmark; more on a loaded machine).
            double share = c.GetProperty("Milliseconds").GetDouble() / block.GetProperty("Timing").GetProperty("TotalMilliseconds").GetDouble();
            Assert.That(share, Is.GreaterThan(0).And.LessThan(0.35), b.GetProperty("FullName").GetString());
        }
        var gate = Core.Compare.Comparison.Of(files[0], files[0]).Check("time:1000%");
        Assert.That(gate.Changes, Has.Count.EqualTo(2));
        Assert.That(gate.Changes.Select(ch => ch.Calibration), Has.All.Not.Null);
        Assert.That(gate.Changes.Select(ch => ch.ChangePercent), Has.All.EqualTo(0));
        Assert.That(gate.ToString(), Does.EndWith(Core.Compare.GateResult.CalibrationNote));
    }

    [Test]
    public void WithNothingSavedTheGateSaysSoAndPasses()
    {
        var run = Run(2000, Path.Combine(_suite.Directory, "empty"), "Benchmem.CompareFail=peak:10%");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("Benchmem: CompareFail has no saved run to compare with yet in "));
    }

    [Test]
    public void BadRulesAndUnknownBaselinesStopTheRun()
    {
        var storage = Path.Combine(_suite.Directory, "bad");
        var rule = Run(1000, storage, "Benchmem.CompareFail=peak:10");
        Assert.That(rule.ExitCode, Is.Not.EqualTo(0));
        Assert.That(rule.Output, Does.Contain("'peak:10' is not valid for Benchmem.CompareFail"));
        var to = Run(1000, storage, "Benchmem.CompareFail=peak:10%", "Benchmem.CompareTo=nope");
        Assert.That(to.ExitCode, Is.Not.EqualTo(0));
        Assert.That(to.Output, Does.Contain("Benchmem.CompareTo: 'nope' is neither a file nor a saved run in "));
    }
}
