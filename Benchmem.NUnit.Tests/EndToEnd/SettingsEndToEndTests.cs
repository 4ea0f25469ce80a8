using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// Run settings through every source vstest offers, on one built sample suite: `-- Benchmem.X=v` (runsettings
/// section, read by the package's settings provider), TestRunParameters, and BENCHMEM_X environment variables.
/// </summary>
[TestFixture]
public class SettingsEndToEndTests
{
    private SampleSuite _suite = null!;
    private static readonly string[] OneFastBenchmark = ["--filter", "Name=A_Fast"];

    [OneTimeSetUp]
    public void Build() => _suite = SampleSuite.Create("Settings", Samples.Load("Killer"));

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    private string Results(string name) => Path.Combine(_suite.ProjectDirectory, name);

    private string RunSettingsWithParameter(string json)
    {
        var path = Path.Combine(_suite.Directory, $"params-{Guid.NewGuid():N}.runsettings");
        File.WriteAllText(path, $"""
            <RunSettings>
              <TestRunParameters>
                <Parameter name="Benchmem.Json" value="{json}" />
              </TestRunParameters>
            </RunSettings>
            """);
        return path;
    }

    [Test]
    public void CommandLineBeatsTestRunParametersBeatsEnvironment()
    {
        var env = new Dictionary<string, string?> { ["BENCHMEM_JSON"] = "out/env.json" };
        var settings = RunSettingsWithParameter("out/params.json");

        var all = _suite.Test([.. OneFastBenchmark, "--settings", settings, "--", "Benchmem.Json=out/cli.json"], env);
        Assert.That(all.ExitCode, Is.EqualTo(0), all.Output);
        Assert.That(Directory.GetFiles(Results("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "cli-report-github.md", "cli-report.csv", "cli-report.html", "cli.json" }), "the results file and its reports");

        var noCli = _suite.Test([.. OneFastBenchmark, "--settings", settings], env);
        Assert.That(noCli.ExitCode, Is.EqualTo(0), noCli.Output);
        Assert.That(File.Exists(Results("out/params.json")), Is.True, noCli.Output);
        Assert.That(File.Exists(Results("out/env.json")), Is.False);

        var envOnly = _suite.Test(OneFastBenchmark, env);
        Assert.That(envOnly.ExitCode, Is.EqualTo(0), envOnly.Output);
        Assert.That(File.Exists(Results("out/env.json")), Is.True, envOnly.Output);
        using var json = SampleSuite.ReadJson(Results("out/env.json"));
        Assert.That(json.RootElement.GetProperty("Benchmarks")[0].GetProperty("FullName").GetString(), Is.EqualTo("Sample.Killer.A_Fast"));
    }

    [Test]
    public void LaunchesTimeEachBenchmarkInThatManyProcesses_ThePooledRoundsSayHowManyEach()
    {
        var run = _suite.Test([.. OneFastBenchmark, "--", "Benchmem.Launches=3", "Benchmem.Json=launches/r.json", "Benchmem.Reports=none"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Match(@"Benchmem: Benchmem\.Launches=3: 2 more process\(es\) timed the 1 benchmark\(s\) in \d+\.\d s; "
            + @"each benchmark's rounds are pooled over its launches \(Benchmem\.Timing\.LaunchRounds\)\."));
        var record = Core.Results.BenchmarkRun.Load(Results("launches/r.json")).Benchmarks.Single();
        var timing = record.Timing!;
        Assert.That(timing.LaunchRounds, Has.Length.EqualTo(3));
        Assert.That(timing.LaunchRounds!.Sum(), Is.EqualTo(timing.RoundNanoseconds.Length));
        // Each launch spent its own 0.1 s budget: the pooled time is three budgets, not one.
        Assert.That(timing.TotalMilliseconds, Is.GreaterThan(3 * 100 * 0.95));
        // Every launch calibrated (at least a sample of each workload before its first round and after its last), each
        // sample placed among the pooled rounds: the last launch's first samples sit where its rounds begin.
        var c = timing.Calibration!;
        int lastStart = timing.LaunchRounds[0] + timing.LaunchRounds[1];
        Assert.That(Enumerable.Range(0, c.Count).Count(k => c.BeforeRound[k] == 0), Is.GreaterThanOrEqualTo(3));
        Assert.That(Enumerable.Range(0, c.Count).Count(k => c.BeforeRound[k] == lastStart), Is.GreaterThanOrEqualTo(3));
        Assert.That(c.BeforeRound.Max(), Is.EqualTo(timing.RoundNanoseconds.Length));
    }

    [Test]
    public void DisableRunsBenchmarksOnceAsPlainTests()
    {
        var run = _suite.Test([.. OneFastBenchmark, "--", "Benchmem.Disable=true", "Benchmem.Json=disabled/r.json"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("Passed:     1"));
        Assert.That(Directory.Exists(Results("disabled")), Is.False, "no benchmark ran, so no results file");
        Assert.That(run.Output, Does.Not.Contain("Name (time in"));
    }

    [Test]
    public void AnUnknownSettingStopsTheRunWithAHint()
    {
        var run = _suite.Test([.. OneFastBenchmark, "--", "Benchmem.Enabld=true"]);
        Assert.That(run.ExitCode, Is.Not.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("Benchmem settings are invalid, so no benchmark ran:"));
        Assert.That(run.Output, Does.Contain("runsettings <Benchmem><Enabld>: unknown setting 'Enabld'. Known settings: Enabled, Disable, Json, Repeats, Warmup, MemoryMaxTime, TimingMaxTime, MinRounds, Launches, Rss, PrecisePeak, Timeout, Host, Save, Autosave, Storage, CompareTo, CompareFail, Profile, Snapshot, Columns, Stats, TimingColumns, Sort, Reports, Timing, Layout (did you mean Enabled?)."));
    }

    [Test]
    public void ATypoIsSaidOnceByOneFailedTest_TheOthersAreSkipped()
    {
        var run = _suite.Test(["--", "Benchmem.Enabld=true"]);
        Assert.That(run.ExitCode, Is.Not.EqualTo(0), run.Output);
        Assert.That(System.Text.RegularExpressions.Regex.Matches(run.Output, "unknown setting 'Enabld'").Count, Is.EqualTo(1), run.Output);
        Assert.That(run.Output, Does.Match(@"Failed:     1, Passed:     0, Skipped:     \d+"), run.Output);
        Assert.That(run.Output, Does.Not.Contain("at Benchmem."), "no stack trace");
    }

    [Test]
    public void ABadValueNamesTheSourceAndTheExpectedKind()
    {
        var env = new Dictionary<string, string?> { ["BENCHMEM_DISABLE"] = "maybe" };
        var run = _suite.Test(OneFastBenchmark, env);
        Assert.That(run.ExitCode, Is.Not.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("environment variable BENCHMEM_DISABLE: 'maybe' is not valid for Benchmem.Disable: not a boolean (expected true or false)"));
    }

    /// <summary>A results folder that cannot be made (its parent is a file) stops the run before any benchmark.</summary>
    [Test]
    public void AnUnwritableResultsFolderStopsTheRunFirst()
    {
        var file = Path.Combine(_suite.Directory, "not-a-folder");
        File.WriteAllText(file, "");
        var run = _suite.Test([.. OneFastBenchmark, "--", $"Benchmem.Json={file}/r.json"]);
        Assert.That(run.ExitCode, Is.Not.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain($"Benchmem cannot write the results file's folder {file} ("));
        Assert.That(run.Output, Does.Contain("so no benchmark ran: set Benchmem.Json to a path in a writable folder."));

        var storage = _suite.Test([.. OneFastBenchmark, "--", "Benchmem.Save=x", $"Benchmem.Storage={file}", "Benchmem.Json=ok/r.json"]);
        Assert.That(storage.ExitCode, Is.Not.EqualTo(0), storage.Output);
        Assert.That(storage.Output, Does.Contain($"Benchmem cannot write the saved-runs folder {file}/"));
        Assert.That(storage.Output, Does.Contain("set Benchmem.Storage to a writable folder."));

        var profile = _suite.Test([.. OneFastBenchmark, "--", $"Benchmem.Profile={file}", "Benchmem.Json=ok/r.json"]);
        Assert.That(profile.ExitCode, Is.Not.EqualTo(0), profile.Output);
        Assert.That(profile.Output, Does.Contain($"Benchmem cannot write the profile folder {file} ("));
        Assert.That(profile.Output, Does.Contain("set Benchmem.Profile to a writable folder."));
    }

    [Test]
    public void SavedRunsAreNumberedAndNeverOverwritten()
    {
        var storage = Path.Combine(_suite.Directory, "store");
        for (int i = 0; i < 2; i++)
        {
            var run = _suite.Test([.. OneFastBenchmark, "--", "Benchmem.Save=baseline", $"Benchmem.Storage={storage}", "Benchmem.Json=saved/r.json"]);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
            Assert.That(run.Output, Does.Contain($"Benchmem: saved this run as {storage}/"));
        }
        var machine = Directory.GetDirectories(storage).Single();
        Assert.That(Directory.GetFiles(machine).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "0001_baseline.json", "0002_baseline.json" }));
        Assert.That(File.ReadAllText(Path.Combine(machine, "0002_baseline.json")), Is.EqualTo(File.ReadAllText(Results("saved/r.json"))));
        var bad = _suite.Test([.. OneFastBenchmark, "--", "Benchmem.Save=has space"]);
        Assert.That(bad.Output, Does.Contain("'has space' cannot be a saved run's name"));
    }

    [Test]
    public void AKilledTestHostLosesNoFinishedBenchmark()
    {
        var journalDir = Results("killed");
        var env = new Dictionary<string, string?> { ["SAMPLE_KILL"] = "1" };
        var killed = _suite.Test(["--", "Benchmem.Json=killed/r.json"], env);
        Assert.That(killed.ExitCode, Is.Not.EqualTo(0), killed.Output);
        Assert.That(killed.Output, Does.Contain("Test host process crashed").Or.Contain("aborted"), killed.Output);
        var journals = Directory.GetFiles(journalDir, "r.json.*.journal");
        Assert.That(journals, Has.Length.EqualTo(1), "the finished benchmark's journal survives the kill");
        Assert.That(File.Exists(Path.Combine(journalDir, "r.json")), Is.False, "the end-of-run hook never ran");

        var next = _suite.Test([.. OneFastBenchmark, "--", "Benchmem.Json=killed/r.json"]);
        Assert.That(next.ExitCode, Is.EqualTo(0), next.Output);
        var recovered = Directory.GetFiles(journalDir, "r-recovered-*.json");
        Assert.That(recovered, Has.Length.EqualTo(1), next.Output);
        Assert.That(next.Output, Does.Contain($"Benchmem: recovered 1 benchmark(s) of an interrupted run (process "));
        Assert.That(next.Output, Does.Contain(recovered[0]));
        using var json = SampleSuite.ReadJson(recovered[0]);
        Assert.That(json.RootElement.GetProperty("Benchmarks").GetArrayLength(), Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("Benchmarks")[0].GetProperty("FullName").GetString(), Is.EqualTo("Sample.Killer.A_Fast"));
        // Every round was recovered (Statistics.N counts only the rounds BDN's rule keeps).
        Assert.That(json.RootElement.GetProperty("Benchmarks")[0].GetProperty("Benchmem").GetProperty("Timing").GetProperty("RoundNanoseconds").GetArrayLength(), Is.GreaterThanOrEqualTo(5));
        Assert.That(Directory.GetFiles(journalDir, "*.journal"), Is.Empty, "recovered journals are removed");
        Assert.That(File.Exists(Path.Combine(journalDir, "r.json")), Is.True, "the new run wrote its own file");
    }
}
