using System.Collections;
using Benchmem.Core.Errors;
using Benchmem.Core.Settings;

namespace Benchmem.Core.Tests.Settings;

public class SettingsResolverTests
{
    private static readonly string NL = Environment.NewLine;
    private static readonly string Header = "Benchmem settings are invalid, so no benchmark ran:" + NL;

    private static KeyValuePair<string, string>[] Pairs(params (string Key, string Value)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToArray();

    private static Hashtable Env(params (string Key, string Value)[] pairs)
    {
        var env = new Hashtable();
        foreach (var (key, value) in pairs)
            env[key] = value;
        return env;
    }

    private static BenchmemSettings Resolve(
        (string, string)[]? runSettings = null, (string, string)[]? parameters = null, (string, string)[]? env = null) =>
        SettingsResolver.Resolve(Pairs(runSettings ?? []), Pairs(parameters ?? []), Env(env ?? []));

    private static string Problems(
        (string, string)[]? runSettings = null, (string, string)[]? parameters = null, (string, string)[]? env = null) =>
        Assert.Throws<BenchmemSettingsException>(() => Resolve(runSettings, parameters, env))!.Message;

    private static string Expected(params string[] problems) => Header + string.Join(NL, problems.Select(p => "  - " + p));

    [Test]
    public void NothingGiven_GivesDefaults()
    {
        var s = Resolve();

        Assert.That(s.Enabled, Is.False);
        Assert.That(s.Disable, Is.False);
        Assert.That(s.Json, Is.Null);
        Assert.That(s.Sources, Is.Empty);
    }

    [Test]
    public void RunSettings_BeatTestParameters_BeatEnvironment()
    {
        var s = Resolve(
            runSettings: [("Json", "from-runsettings.json")],
            parameters: [("Benchmem.Json", "from-parameter.json")],
            env: [("BENCHMEM_JSON", "from-env.json")]);

        Assert.That(s.Json, Is.EqualTo("from-runsettings.json"));
        Assert.That(s.Sources["Json"], Is.EqualTo("runsettings <Benchmem><Json>"));
    }

    [Test]
    public void TestParameters_BeatEnvironment()
    {
        var s = Resolve(
            parameters: [("Benchmem.Json", "from-parameter.json")],
            env: [("BENCHMEM_JSON", "from-env.json")]);

        Assert.That(s.Json, Is.EqualTo("from-parameter.json"));
        Assert.That(s.Sources["Json"], Is.EqualTo("test parameter Benchmem.Json"));
    }

    [Test]
    public void Environment_IsUsedWhenNothingElseGivesTheSetting()
    {
        var s = Resolve(env: [("BENCHMEM_JSON", "from-env.json"), ("BENCHMEM_ENABLED", "true")]);

        Assert.That(s.Json, Is.EqualTo("from-env.json"));
        Assert.That(s.Enabled, Is.True);
        Assert.That(s.Sources, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["Json"] = "environment variable BENCHMEM_JSON",
            ["Enabled"] = "environment variable BENCHMEM_ENABLED",
        }));
    }

    [Test]
    public void AFalseValueOfHigherPrecedence_OverridesATrueOneBelowIt()
    {
        var s = Resolve(
            runSettings: [("Enabled", "false")],
            parameters: [("Benchmem.Enabled", "true")],
            env: [("BENCHMEM_ENABLED", "true")]);

        Assert.That(s.Enabled, Is.False);
        Assert.That(s.Sources["Enabled"], Is.EqualTo("runsettings <Benchmem><Enabled>"));
    }

    [Test]
    public void EachSettingTakesItsOwnHighestSource()
    {
        var s = Resolve(
            runSettings: [("Disable", "true")],
            parameters: [("Benchmem.Json", "p.json")],
            env: [("BENCHMEM_JSON", "e.json"), ("BENCHMEM_DISABLE", "false")]);

        Assert.That(s.Disable, Is.True);
        Assert.That(s.Json, Is.EqualTo("p.json"));
        Assert.That(s.Sources, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["Disable"] = "runsettings <Benchmem><Disable>",
            ["Json"] = "test parameter Benchmem.Json",
        }));
    }

    [Test]
    public void Names_AreCaseInsensitive_InEverySource()
    {
        Assert.That(Resolve(runSettings: [("ENABLED", "true")]).Enabled, Is.True);
        Assert.That(Resolve(parameters: [("benchmem.enabled", "true")]).Enabled, Is.True);
        Assert.That(Resolve(env: [("benchmem_enabled", "true")]).Enabled, Is.True);

        var s = Resolve(parameters: [("BENCHMEM.jSoN", "x.json")]);
        Assert.That(s.Json, Is.EqualTo("x.json"));
        Assert.That(s.Sources.Keys, Is.EqualTo(new[] { "Json" }), "sources are keyed by the canonical name");
        Assert.That(s.Sources["Json"], Is.EqualTo("test parameter BENCHMEM.jSoN"), "the source names the input as given");
    }

    [Test]
    public void Precedence_HoldsAcrossDifferentSpellingsOfTheName()
    {
        var s = Resolve(runSettings: [("json", "r.json")], env: [("BENCHMEM_JSON", "e.json")]);

        Assert.That(s.Json, Is.EqualTo("r.json"));
    }

    [TestCase("true", true)]
    [TestCase("True", true)]
    [TestCase("TRUE", true)]
    [TestCase("1", true)]
    [TestCase("yes", true)]
    [TestCase("YES", true)]
    [TestCase("on", true)]
    [TestCase("On", true)]
    [TestCase("  true  ", true)]
    [TestCase("false", false)]
    [TestCase("False", false)]
    [TestCase("FALSE", false)]
    [TestCase("0", false)]
    [TestCase("no", false)]
    [TestCase("No", false)]
    [TestCase("off", false)]
    [TestCase("OFF", false)]
    [TestCase("", false)]
    [TestCase("   ", false)]
    public void Booleans_AcceptEverySpelling(string text, bool expected)
    {
        Assert.That(Resolve(runSettings: [("Enabled", text)]).Enabled, Is.EqualTo(expected));
        Assert.That(Resolve(parameters: [("Benchmem.Disable", text)]).Disable, Is.EqualTo(expected));
        Assert.That(Resolve(env: [("BENCHMEM_ENABLED", text)]).Enabled, Is.EqualTo(expected));
    }

    [Test]
    public void BadBoolean_NamesSourceValueAndExpectation()
    {
        Assert.That(Problems(runSettings: [("Enabled", "maybe")]), Is.EqualTo(Expected(
            "runsettings <Benchmem><Enabled>: 'maybe' is not valid for Benchmem.Enabled: not a boolean (expected true or false)")));
        Assert.That(Problems(parameters: [("Benchmem.Disable", "2")]), Is.EqualTo(Expected(
            "test parameter Benchmem.Disable: '2' is not valid for Benchmem.Disable: not a boolean (expected true or false)")));
        Assert.That(Problems(env: [("BENCHMEM_ENABLED", "enabled")]), Is.EqualTo(Expected(
            "environment variable BENCHMEM_ENABLED: 'enabled' is not valid for Benchmem.Enabled: not a boolean (expected true or false)")));
    }

    [Test]
    public void UnknownName_CloseToAKnownOne_GetsADidYouMeanHint()
    {
        Assert.That(Problems(parameters: [("Benchmem.Disabled", "true")]), Is.EqualTo(Expected(
            "test parameter Benchmem.Disabled: unknown setting 'Disabled'. Known settings: Enabled, Disable, Json, Repeats, Warmup, MemoryMaxTime, TimingMaxTime, MinRounds, Launches, Rss, PrecisePeak, Timeout, Host, Save, Autosave, Storage, CompareTo, CompareFail, Profile, Snapshot, Columns, Stats, TimingColumns, Sort, Reports, Timing, Layout (did you mean Disable?).")));
        Assert.That(Problems(runSettings: [("Enabeld", "true")]), Is.EqualTo(Expected(
            "runsettings <Benchmem><Enabeld>: unknown setting 'Enabeld'. Known settings: Enabled, Disable, Json, Repeats, Warmup, MemoryMaxTime, TimingMaxTime, MinRounds, Launches, Rss, PrecisePeak, Timeout, Host, Save, Autosave, Storage, CompareTo, CompareFail, Profile, Snapshot, Columns, Stats, TimingColumns, Sort, Reports, Timing, Layout (did you mean Enabled?).")));
        Assert.That(Problems(env: [("BENCHMEM_JSN", "a.json")]), Is.EqualTo(Expected(
            "environment variable BENCHMEM_JSN: unknown setting 'JSN'. Known settings: Enabled, Disable, Json, Repeats, Warmup, MemoryMaxTime, TimingMaxTime, MinRounds, Launches, Rss, PrecisePeak, Timeout, Host, Save, Autosave, Storage, CompareTo, CompareFail, Profile, Snapshot, Columns, Stats, TimingColumns, Sort, Reports, Timing, Layout (did you mean Json?).")));
    }

    [Test]
    public void UnknownName_FarFromEveryKnownOne_HasNoHint()
    {
        Assert.That(Problems(runSettings: [("Colour", "red")]), Is.EqualTo(Expected(
            "runsettings <Benchmem><Colour>: unknown setting 'Colour'. Known settings: Enabled, Disable, Json, Repeats, Warmup, MemoryMaxTime, TimingMaxTime, MinRounds, Launches, Rss, PrecisePeak, Timeout, Host, Save, Autosave, Storage, CompareTo, CompareFail, Profile, Snapshot, Columns, Stats, TimingColumns, Sort, Reports, Timing, Layout.")));
    }

    [Test]
    public void ProfileAndTimeout_AreParsedOrExplained()
    {
        Assert.That(Resolve(parameters: [("Benchmem.Profile", "profiles/run1")]).Profile, Is.EqualTo("profiles/run1"));
        Assert.That(Problems(parameters: [("Benchmem.Profile", " ")]), Is.EqualTo(Expected(
            "test parameter Benchmem.Profile: ' ' is not valid for Benchmem.Profile: the path is empty (expected a folder path for allocation profiles)")));
        Assert.That(Problems(env: [("BENCHMEM_timeout", "10s")]), Is.EqualTo(Expected(
            "environment variable BENCHMEM_timeout: '10s' is not valid for Benchmem.Timeout: not a positive number (expected a positive number of seconds, e.g. 60)")));
        Assert.That(Resolve(env: [("BENCHMEM_TIMEOUT", "2.5")]).Timeout, Is.EqualTo(2.5));
    }

    [Test]
    public void SeveralProblems_AreReportedTogether_InOneException()
    {
        var message = Problems(
            runSettings: [("Enabled", "maybe"), ("Json", "out.txt")],
            parameters: [("Benchmem.Profile", "")],
            env: [("BENCHMEM_COLOUR", "red")]);

        Assert.That(message, Is.EqualTo(Expected(
            "environment variable BENCHMEM_COLOUR: unknown setting 'COLOUR'. Known settings: Enabled, Disable, Json, Repeats, Warmup, MemoryMaxTime, TimingMaxTime, MinRounds, Launches, Rss, PrecisePeak, Timeout, Host, Save, Autosave, Storage, CompareTo, CompareFail, Profile, Snapshot, Columns, Stats, TimingColumns, Sort, Reports, Timing, Layout.",
            "runsettings <Benchmem><Enabled>: 'maybe' is not valid for Benchmem.Enabled: not a boolean (expected true or false)",
            "runsettings <Benchmem><Json>: 'out.txt' is not valid for Benchmem.Json: the results file must end in .json (expected a file path ending in .json)",
            "test parameter Benchmem.Profile: '' is not valid for Benchmem.Profile: the path is empty (expected a folder path for allocation profiles)")));
    }

    [Test]
    public void PrecisePeak_IsABoolean_AndNeedsTheMemoryHost()
    {
        Assert.That(Resolve(parameters: [("Benchmem.PrecisePeak", "true")]).PrecisePeak, Is.True);
        Assert.That(Resolve().PrecisePeak, Is.False);
        Assert.That(Problems(runSettings: [("PrecisePeak", "always")]), Is.EqualTo(Expected(
            "runsettings <Benchmem><PrecisePeak>: 'always' is not valid for Benchmem.PrecisePeak: not a boolean (expected true or false)")));
        Assert.That(Problems(runSettings: [("PrecisePeak", "true"), ("Host", "inprocess")]), Is.EqualTo(Expected(
            "Benchmem.PrecisePeak=true needs the memory host, but Benchmem.Host=inprocess: drop one of them.")));
    }

    [Test]
    public void Host_IsAutoOrInprocess_AndProcessIsRefusedWithTheChoices()
    {
        Assert.That(Resolve().Host, Is.EqualTo("auto"));
        Assert.That(Resolve(runSettings: [("Host", "InProcess")]).Host, Is.EqualTo("inprocess"));
        Assert.That(Resolve(env: [("BENCHMEM_HOST", "auto")]).Host, Is.EqualTo("auto"));
        Assert.That(Problems(runSettings: [("Host", "process")]), Is.EqualTo(Expected(
            "runsettings <Benchmem><Host>: 'process' is not valid for Benchmem.Host: 'process' is not a choice of its own: auto already runs memory passes "
            + "in the memory host wherever the package ships the profiler for this platform, and in process elsewhere; write auto (expected auto or inprocess)")));
        Assert.That(Problems(parameters: [("Benchmem.Host", "child")]), Is.EqualTo(Expected(
            "test parameter Benchmem.Host: 'child' is not valid for Benchmem.Host: unknown item 'child' (expected auto or inprocess)")));
    }

    [Test]
    public void TheProfilersOwnVariable_IsNotASetting() =>
        Assert.That(Resolve(env: [(SettingsResolver.ProfilerLivePeakVariable, "1")]).PrecisePeak, Is.False, "ignored, not an unknown setting");

    [Test]
    public void EnabledAndDisable_Contradict()
    {
        Assert.That(Problems(runSettings: [("Enabled", "true"), ("Disable", "true")]), Is.EqualTo(Expected(
            "Benchmem.Enabled=true and Benchmem.Disable=true contradict each other: drop one of them.")));
        // Also when they come from different sources.
        Assert.That(Problems(parameters: [("Benchmem.Disable", "yes")], env: [("BENCHMEM_ENABLED", "1")]), Is.EqualTo(Expected(
            "Benchmem.Enabled=true and Benchmem.Disable=true contradict each other: drop one of them.")));
    }

    [Test]
    public void EnabledTrue_WithDisableFalse_IsFine()
    {
        var s = Resolve(runSettings: [("Enabled", "true"), ("Disable", "false")]);

        Assert.That(s.Enabled, Is.True);
        Assert.That(s.Disable, Is.False);
    }

    [Test]
    public void BenchmemRole_IsInternal_AndIgnored()
    {
        var s = Resolve(env: [("BENCHMEM_ROLE", "memory-host"), ("benchmem_role", "x")]);

        Assert.That(s.Enabled, Is.False);
        Assert.That(s.Disable, Is.False);
        Assert.That(s.Json, Is.Null);
        Assert.That(s.Sources, Is.Empty);
    }

    [Test]
    public void NonBenchmemInputs_AreIgnored()
    {
        var s = Resolve(
            parameters: [("Foo", "bar"), ("BenchmemJson", "x.txt"), ("Other.Benchmem.Json", "x.txt"), ("Benchmem.Enabled", "on")],
            env: [("PATH", "/usr/bin"), ("HOME", "/root"), ("BENCHMEMJSON", "x.txt"), ("MY_BENCHMEM_JSON", "x.txt")]);

        Assert.That(s.Enabled, Is.True);
        Assert.That(s.Json, Is.Null);
        Assert.That(s.Sources.Keys, Is.EqualTo(new[] { "Enabled" }));
    }

    [Test]
    public void RealProcessEnvironment_IsAccepted()
    {
        // The host's own variables (PATH, HOME, DOTNET_*) must never trip the resolver.
        var env = Environment.GetEnvironmentVariables();
        foreach (var key in env.Keys.Cast<string>().Where(k => k.StartsWith("BENCHMEM_", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(key);

        var s = SettingsResolver.Resolve([], [], env);

        Assert.That(s.Sources, Is.Empty);
    }

    [TestCase("results.json", "results.json")]
    [TestCase("out/Results.JSON", "out/Results.JSON")]
    [TestCase("/tmp/a b/c.json", "/tmp/a b/c.json")]
    [TestCase("  padded.json  ", "padded.json")]
    public void Json_ValidPaths_AreKept(string given, string expected)
    {
        Assert.That(Resolve(runSettings: [("Json", given)]).Json, Is.EqualTo(expected));
    }

    [TestCase("", "the path is empty")]
    [TestCase("   ", "the path is empty")]
    [TestCase("results.txt", "the results file must end in .json")]
    [TestCase("results", "the results file must end in .json")]
    [TestCase("results.json.bak", "the results file must end in .json")]
    [TestCase("a\0.json", "the path has characters a file name cannot have")]
    public void Json_BadPaths_AreRejected(string given, string reason)
    {
        Assert.That(Problems(parameters: [("Benchmem.Json", given)]), Is.EqualTo(Expected(
            $"test parameter Benchmem.Json: '{given}' is not valid for Benchmem.Json: {reason} (expected a file path ending in .json)")));
    }

    [Test]
    public void OldMaxTime_IsRefusedWithBothNewNames_NeverReadAsTheTimingBudget()
    {
        Assert.That(Problems(runSettings: [("MaxTime", "30")]), Is.EqualTo(Expected(
            "runsettings <Benchmem><MaxTime>: Benchmem.MaxTime was the memory passes' time limit and is now two settings: write "
            + "Benchmem.MemoryMaxTime for that limit, or Benchmem.TimingMaxTime for every benchmark's timing budget (what [Benchmark(MaxTime)] sets).")));
        Assert.That(Problems(env: [("BENCHMEM_MAXTIME", "30")]), Does.Contain("environment variable BENCHMEM_MAXTIME: Benchmem.MaxTime was"));
    }

    [Test]
    public void TimingAndMemoryKnobs_AreSeparateSettings()
    {
        var s = Resolve(runSettings: [("TimingMaxTime", "0.25"), ("MinRounds", "40"), ("MemoryMaxTime", "3")]);

        Assert.That((s.TimingMaxTime, s.MinRounds, s.MemoryMaxTime), Is.EqualTo((0.25, 40, 3.0)));
        Assert.That(Problems(parameters: [("Benchmem.MinRounds", "0")]), Is.EqualTo(Expected(
            "test parameter Benchmem.MinRounds: '0' is not valid for Benchmem.MinRounds: not a whole number from 1 to 1000000 (expected a whole number of rounds from 1 to 1000000)")));
    }

    [Test]
    public void Launches_DefaultToOne_AreAWholeNumberOfProcesses()
    {
        Assert.That(Resolve().Launches, Is.EqualTo(1));
        Assert.That(Resolve(env: [("BENCHMEM_LAUNCHES", "3")]).Launches, Is.EqualTo(3));
        Assert.That(Problems(parameters: [("Benchmem.Launches", "0")]), Is.EqualTo(Expected(
            "test parameter Benchmem.Launches: '0' is not valid for Benchmem.Launches: not a whole number from 1 to 20 (expected a whole number of processes from 1 to 20)")));
    }

    [Test]
    public void Reports_DefaultToAllThree_NoneTurnsThemOff_AListChooses()
    {
        Assert.That(Resolve().Reports, Is.EqualTo(new[] { "md", "csv", "html" }));
        Assert.That(Resolve(runSettings: [("Reports", "none")]).Reports, Is.Empty);
        Assert.That(Resolve(env: [("BENCHMEM_REPORTS", " CSV, md ")]).Reports, Is.EqualTo(new[] { "csv", "md" }));
    }

    [Test]
    public void Reports_AnUnknownFormat_OrAMisspeltName_IsNamed()
    {
        Assert.That(Problems(runSettings: [("Reports", "md,pdf")]), Is.EqualTo(Expected(
            "runsettings <Benchmem><Reports>: 'md,pdf' is not valid for Benchmem.Reports: unknown item 'pdf' (expected none, or a comma-separated list of md, csv, html)")));
        Assert.That(Problems(parameters: [("Benchmem.Report", "md")]), Does.EndWith("Columns, Stats, TimingColumns, Sort, Reports, Timing, Layout (did you mean Reports?)."));
    }
}
