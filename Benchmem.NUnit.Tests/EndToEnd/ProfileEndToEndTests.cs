using Benchmem.Core.Profiles;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// Benchmem.Profile in a real `dotnet test` run: a workload of known sizes and the example's k-d tree builds get one
/// profile each, exact to the byte, named from the benchmark down to the allocating method; `benchmem profile` then
/// renders the heaviest. With CompareFail only the regressing benchmark keeps its profile (CompareEndToEndTests).
/// </summary>
[TestFixture]
public class ProfileEndToEndTests
{
    private const long Buffer = (1 << 20) + 24, Widgets = 10_000 * 24, WidgetArray = 10_000 * 8 + 24, Tuple = 32;
    private SampleSuite _suite = null!;
    private ProcessResult _run = null!;
    private string _folder = "";

    [OneTimeSetUp]
    public void RunSuite()
    {
        var sources = Samples.Load("Profile");
        sources["KdTree.cs"] = File.ReadAllText(Path.Combine(PackedPackages.RepositoryRoot, "examples", "Examples", "KdTree.cs"));
        _suite = SampleSuite.Create("ProfileSample", sources);
        _run = _suite.Test(["--", "Benchmem.Profile=profiles"]);
        TestContext.Progress.WriteLine(_run.Output);
        _folder = Path.Combine(_suite.ProjectDirectory, "profiles");
    }

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    private AllocationProfile Profile(string method) => SpeedscopeFile.Read(ProfileFolder.ProfilePath(_folder, "Sample.Workload." + method));

    [Test]
    public void EveryBenchmarkGetsAProfileAndTheRunPrintsTheCommands()
    {
        Assert.That(_run.ExitCode, Is.Zero, _run.Output);
        Assert.That(_run.Output, Does.Contain($"Benchmem: 3 allocation profile(s) in {_folder}; render one with:"));
        foreach (var method in new[] { "Known", "BuildNaive", "BuildFixed" })
        {
            Assert.That(_run.Output, Does.Contain($"  benchmem profile {_folder} Sample.Workload.{method}"));
            Assert.That(File.Exists(ProfileFolder.TracePath(_folder, "Sample.Workload." + method)), method + ": the runtime trace is kept beside the profile");
        }
        Assert.That(Directory.GetDirectories(_folder), Is.Empty, "the staging folder is gone");
        Assert.That(Directory.GetFiles(_folder, "*.speedscope.json"), Has.Length.EqualTo(3), "no profile for the plain [Test]");
    }

    [Test]
    public void TheKnownWorkloadMeasuresToTheByte()
    {
        var profile = Profile("Known");
        Assert.That(ProfileSummary.TopTypes(profile, 3).Select(t => (t.Type, t.Objects, t.Bytes)), Is.EqualTo(new[]
        {
            ("System.Byte[]", 1L, Buffer), ("Sample.Widget", 10_000L, Widgets), ("Sample.Widget[]", 1L, WidgetArray),
        }));
        Assert.That(ProfileSummary.TopMethods(profile, 3).Select(m => (m.Method, m.OwnBytes)), Is.EqualTo(new[]
        {
            ("Sample.Workload.Buffer", Buffer), ("Sample.Workload.MakeWidgets", Widgets + WidgetArray), ("Sample.Workload.Known", Tuple),
        }));
        Assert.That(profile.TotalBytes, Is.EqualTo(Buffer + Widgets + WidgetArray + Tuple).And.EqualTo(profile.Info.AllocatedBytes));
        Assert.That(profile.Info.Allocations, Is.EqualTo(10_003));
        Assert.That(profile.Info.Method, Is.EqualTo(ProfileMethods.Exact));
    }

    /// <summary>The memory host follows the profiled pass's objects: Known's result is live at the peak whole, and dropped it leaks nothing.</summary>
    [Test]
    public void TheMemoryHostFollowsTheObjects_AtPeakIsTheHeldResult()
    {
        var known = Profile("Known");
        Assert.That((known.Info.Tracked, known.Info.Untracked, known.Info.WalksMissed), Is.EqualTo((true, 0L, 0L)));
        var atPeak = ProfileViews.Of(known, ProfileView.AtPeak, "Known");
        Assert.That(atPeak.TotalBytes, Is.EqualTo(Buffer + Widgets + WidgetArray + Tuple));
        Assert.That(atPeak.TotalBytes, Is.InRange(known.Info.PeakBytes - known.Info.PeakBoundBytes, known.Info.PeakBytes + known.Info.PeakBoundBytes));
        Assert.That(ProfileViews.Of(known, ProfileView.Leaks, "Known").Samples, Is.Empty);
        Assert.That(ProfileViews.Of(known, ProfileView.Temporary, "Known").Samples, Is.Empty);
        var tool = BenchmemTool.Run(["profile", _folder, "BuildNaive", "--at-peak", "--no-html"], _suite.ProjectDirectory);
        Assert.That(tool.ExitCode, Is.Zero, tool.ToString());
        Assert.That(tool.StdoutLines[0], Is.EqualTo("Allocation profile of Sample.Workload.BuildNaive: live at the peak"));
        var naive = ProfileViews.Of(Profile("BuildNaive"), ProfileView.AtPeak, "BuildNaive");
        Assert.That(ProfileSummary.TopTypes(naive, 1)[0].Type, Is.EqualTo("Examples.Point[]"), "the copies every node keeps hold the peak");
    }

    [Test]
    public void TheNaiveKdTreeProfileNamesTheRetainingMethodFirst()
    {
        var naive = Profile("BuildNaive");
        var top = ProfileSummary.TopMethods(naive, 1)[0];
        Assert.That(top.Method, Is.EqualTo("Examples.NaiveKdTree.Build"));
        Assert.That(top.OwnShare, Is.GreaterThan(0.9), "its own copies are nearly all the bytes");
        Assert.That(ProfileSummary.TopTypes(naive, 1)[0].Type, Is.EqualTo("Examples.Point[]"));
        var fixedPeak = Profile("BuildFixed").Info.PeakBytes;
        Assert.That(fixedPeak, Is.LessThanOrEqualTo(naive.Info.PeakBytes / 2), $"fixed {fixedPeak:N0} B vs naive {naive.Info.PeakBytes:N0} B");
    }

    [Test]
    public void TheToolRendersTheHeaviest()
    {
        // By live peak Known (1,368,656 B, all kept) is the heaviest; the naive k-d tree allocates the most.
        var byPeak = BenchmemTool.Run(["profile", _folder, "--worst", "peak", "--top", "3"], _suite.ProjectDirectory);
        Assert.That(byPeak.ExitCode, Is.Zero, byPeak.ToString());
        Assert.That(byPeak.StdoutLines[0], Is.EqualTo("Heaviest by peak of 3 profile(s): Sample.Workload.Known"));
        var tool = BenchmemTool.Run(["profile", _folder, "--worst", "allocated", "--top", "3"], _suite.ProjectDirectory);
        Assert.That(tool.ExitCode, Is.Zero, tool.ToString());
        Assert.That(tool.StdoutLines[0], Is.EqualTo("Heaviest by allocated of 3 profile(s): Sample.Workload.BuildNaive"));
        var methods = tool.StdoutLines.SkipWhile(l => !l.StartsWith("Top allocating methods", StringComparison.Ordinal)).Skip(2).First();
        Assert.That(methods, Does.StartWith("  Examples.NaiveKdTree.Build "));
        var page = Path.Combine(_folder, ProfileFolder.Stem("Sample.Workload.BuildNaive") + ".flame.html");
        Assert.That(tool.Stdout, Does.Contain($"Flame graph: {page}"));
        Assert.That(File.ReadAllText(page), Does.Contain("\"type\":\"icicle\"").And.Contain("Examples.NaiveKdTree.Build"));
    }

    /// <summary>
    /// In process there is no profiler: the profiles are sampled from the runtime's allocation events, labelled so, and
    /// the tool reads the samples from the trace on first use. The 1 MiB array is one sample of its own size.
    /// </summary>
    [Test]
    public void InProcessTheProfilesAreSampledAndSaySo()
    {
        var run = _suite.Test(["--", "Benchmem.Profile=sampled", "Benchmem.Host=inprocess"]);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Output, Does.Contain("Benchmem: Benchmem.Host=inprocess: the 3 allocation profile(s) asked for are sampled from the runtime's allocation events, not exact."));
        var folder = Path.Combine(_suite.ProjectDirectory, "sampled");
        var path = ProfileFolder.ProfilePath(folder, "Sample.Workload.Known");
        var pending = SpeedscopeFile.Read(path);
        Assert.That((pending.Info.Method, pending.Info.SamplesInTrace, pending.Samples.Count), Is.EqualTo((ProfileMethods.Sampled, true, 0)));

        var tool = BenchmemTool.Run(["profile", folder, "Known", "--no-html"], _suite.ProjectDirectory);
        Assert.That(tool.ExitCode, Is.Zero, tool.ToString());
        Assert.That(tool.StdoutLines[1], Does.StartWith("  sampled: the runtime's allocation events"));
        var filled = SpeedscopeFile.Read(path);
        Assert.That(filled.Info.SamplesInTrace, Is.False, "the samples are kept in the file now");
        var top = ProfileSummary.TopTypes(filled, 1)[0];
        Assert.That(top.Type, Is.EqualTo("System.Byte[]"));
        Assert.That(top.Bytes, Is.InRange(Buffer, Buffer + 100 * 1024), "one large-object sample: the array, plus at most one step of earlier large allocations");

        var naive = BenchmemTool.Run(["profile", folder, "BuildNaive", "--no-html"], _suite.ProjectDirectory);
        Assert.That(naive.ExitCode, Is.Zero, naive.ToString());
        Assert.That(ProfileSummary.TopMethods(SpeedscopeFile.Read(ProfileFolder.ProfilePath(folder, "Sample.Workload.BuildNaive")), 1)[0].Method,
            Is.EqualTo("Examples.NaiveKdTree.Build"));
    }
}
