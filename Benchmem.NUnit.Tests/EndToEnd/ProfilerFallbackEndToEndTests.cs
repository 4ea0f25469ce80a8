using System.Runtime.InteropServices;
using System.Text.Json;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// The fallbacks of issue 22, in real `dotnet test` runs: where the profiler the package ships for this platform is
/// missing, or is there but cannot be loaded (another architecture's library at its path), memory is measured without
/// it: no allocation counts, each peak labelled by how it was seen (never as the live peak), and one line says why.
/// The suite is built once; each test breaks the build output's profiler and the teardown puts it back.
/// </summary>
[TestFixture]
[NonParallelizable] // both tests change the same build output
public class ProfilerFallbackEndToEndTests
{
    private const long KeptBytes = 10_000 * 24 + 80_024; // 10,000 objects and the array that keeps them
    private SampleSuite _suite = null!;
    private string _profiler = "";
    private byte[] _shipped = [];

    [OneTimeSetUp]
    public void BuildSuite()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            Assert.Ignore("the fallback runs swap the linux-x64 profiler of the build output; this is not linux-x64");
        _suite = SampleSuite.Create("FallbackSample", Samples.Load("Fallback"));
        _profiler = ProfilerIn(_suite, "linux-x64");
        Assert.That(File.Exists(_profiler), $"the package put no linux-x64 profiler at {_profiler}");
        _shipped = File.ReadAllBytes(_profiler);
    }

    [TearDown]
    public void RestoreTheProfiler() => File.WriteAllBytes(_profiler, _shipped);

    [OneTimeTearDown]
    public void CleanUp() => _suite?.Dispose();

    private static string ProfilerIn(SampleSuite suite, string rid) =>
        Path.Combine(suite.ProjectDirectory, "bin", suite.Configuration, "net10.0", "runtimes", rid, "native", "libbenchmem_profiler.so");

    [Test]
    public void AMissingProfiler_MeasuresInProcess_LabelsThePeaks_AndSaysWhyInOneLine()
    {
        File.Delete(_profiler);
        var (run, results) = Run("missing");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(Lines(run.Output, "Benchmem: the memory host"), Is.EqualTo(new[]
        {
            "Benchmem: the memory host cannot run (no allocation profiler is shipped for linux-x64); measuring memory in process instead,"
            + " without exact allocation counts and without the live peak (peaks are heap high-water upper bounds).",
        }), run.Output);
        AssertMeasuredWithoutTheProfiler(results, run.Output);
        AssertNoNativeMetrics(results, run.Output, "the memory host cannot run here");
        Assert.That(run.Output, Does.Not.Contain("memory host measured"));
    }

    /// <summary>
    /// The package's linux-arm64 build where the linux-x64 one belongs: a real library the runtime cannot load here. The
    /// memory host starts, its runtime refuses the profiler, and its passes run without it: the numbers are labelled
    /// as in process (no counts, heap high-water where a GC ran).
    /// </summary>
    [Test]
    public void AWrongArchitectureProfiler_MeasuresWithoutIt_AndLabelsTheNumbers()
    {
        UseTheArm64Profiler();
        var (run, results) = Run("wrong-architecture");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        AssertMeasuredWithoutTheProfiler(results, run.Output);
    }

    /// <summary>
    /// A profiler at the path that the child's runtime cannot load: the run says so in one line, naming the platform
    /// and why, instead of claiming exact counts.
    /// </summary>
    [Test]
    public void AWrongArchitectureProfiler_SaysWhyInOneLine()
    {
        UseTheArm64Profiler();
        var (run, _) = Run("wrong-architecture-line");
        Assert.That(Lines(run.Output, "Benchmem: the memory host"), Is.EqualTo(new[]
        {
            $"Benchmem: the memory host could not load the allocation profiler for linux-x64 ({_profiler} is not a library this process can load);"
            + " measuring memory without it, without exact allocation counts and without the live peak (peaks are heap high-water upper bounds).",
        }), run.Output);
        Assert.That(run.Output, Does.Not.Contain("with exact allocation counts and live peaks"));
    }

    /// <summary>The interposer missing beside the profiler: the host still measures managed memory exactly, native metrics
    /// are absent (never 0), and one line says so.</summary>
    [Test]
    public void AMissingInterposer_LeavesNativeMetricsAbsent_AndSaysSoOnce()
    {
        var interposer = Path.Combine(Path.GetDirectoryName(_profiler)!, "libbenchmem_native.so");
        Assert.That(File.Exists(interposer), $"the package put no interposer at {interposer}");
        var shipped = File.ReadAllBytes(interposer);
        try
        {
            File.Delete(interposer);
            var (run, results) = Run("no-interposer");
            Assert.That(run.ExitCode, Is.Zero, run.Output);
            AssertNoNativeMetrics(results, run.Output, "no native-memory interposer is shipped for linux-x64");
            Assert.That(Series(results["KeepTenThousand"], "Allocations"), Has.Length.EqualTo(3).And.All.EqualTo(10_001), "the profiler still counts");
        }
        finally
        {
            File.WriteAllBytes(interposer, shipped);
        }
    }

    private static void AssertNoNativeMetrics(Dictionary<string, JsonElement> results, string output, string why)
    {
        Assert.That(Lines(output, "Benchmem: native memory"), Is.EqualTo(new[]
        {
            $"Benchmem: native memory is not measured in this run ({why}): native-peak, native-allocated, native-allocations and native-retained are left out.",
        }), output);
        foreach (var (method, benchmem) in results)
            Assert.That(benchmem.GetProperty("Series").TryGetProperty("NativePeakBytes", out _), Is.False, method + ": absent, not 0");
    }

    private void UseTheArm64Profiler()
    {
        var arm64 = ProfilerIn(_suite, "linux-arm64");
        if (!File.Exists(arm64))
            Assert.Ignore($"this package was packed without the linux-arm64 profiler (no cross compiler): {arm64}");
        File.Copy(arm64, _profiler, overwrite: true);
    }

    /// <summary>One `dotnet test` run; each benchmark's Benchmem block by method name.</summary>
    private (ProcessResult Run, Dictionary<string, JsonElement> Results) Run(string name)
    {
        var json = Path.Combine(_suite.Directory, name + ".json");
        var run = _suite.Test(["--", $"Benchmem.Json={json}"]);
        TestContext.Progress.WriteLine(run.Output);
        Assert.That(File.Exists(json), $"no results file {json}:\n{run.Output}");
        using var doc = SampleSuite.ReadJson(json);
        var results = doc.RootElement.GetProperty("Benchmarks").EnumerateArray()
            .ToDictionary(b => b.GetProperty("Method").GetString()!, b => b.GetProperty("Benchmem").Clone());
        return (run, results);
    }

    private static string[] Lines(string output, string prefix) => output.Split('\n')
        .Select(l => l.Trim()).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    private static string[] PeakMethods(JsonElement benchmem) =>
        [.. benchmem.GetProperty("PassPeakMethods").EnumerateArray().Select(m => m.GetString()!)];

    private static long[] Series(JsonElement benchmem, string name) =>
        [.. benchmem.GetProperty("Series").GetProperty(name).EnumerateArray().Select(v => v.GetInt64())];

    /// <summary>
    /// Without the profiler: no allocation counts, and each pass's peak labelled by how it was seen, never as the live peak:
    /// "exact" where no GC ran and nothing became garbage (the heap's growth is every byte allocated), "heap-high-water"
    /// (an upper bound) where a GC ran — always in CollectInside, which collects inside the call. Allocated bytes stay
    /// exact (the runtime's own per-thread counter).
    /// </summary>
    private static void AssertMeasuredWithoutTheProfiler(Dictionary<string, JsonElement> results, string output)
    {
        var kept = results["KeepTenThousand"];
        var collected = results["CollectInside"];
        Assert.Multiple(() =>
        {
            foreach (var (method, benchmem) in results)
            {
                Assert.That(benchmem.GetProperty("AllocationsMethod").ValueKind, Is.EqualTo(JsonValueKind.Null), method + ": no profiler, no counts");
                Assert.That(Series(benchmem, "Allocations"), Is.Empty, method);
                Assert.That(PeakMethods(benchmem), Has.Length.EqualTo(3).And.All.AnyOf("exact", "heap-high-water"), method + ": " + output);
            }
            Assert.That(Series(kept, "AllocatedBytes"), Has.Length.EqualTo(3).And.All.EqualTo(KeptBytes));
            Assert.That(Series(kept, "PeakBytes"), Has.All.GreaterThanOrEqualTo(KeptBytes), "at least what it keeps (an upper bound where a GC ran)");
            Assert.That(collected.GetProperty("PeakMethod").GetString(), Is.EqualTo("heap-high-water"), output);
            Assert.That(PeakMethods(collected), Has.All.EqualTo("heap-high-water"));
            Assert.That(Series(collected, "AllocatedBytes"), Has.All.EqualTo((10 << 20) + 24 + (1 << 20) + 24));
        });
    }
}
