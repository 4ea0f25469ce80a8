using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Exporters.Json;
using Benchmem.Core.Memory;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

/// <summary>
/// The results file against BenchmarkDotNet 0.15.8's own output: a genuine BDN full JSON export (MemoryDiagnoser, this
/// machine; Results/Golden/bdn-0.15.8-report-full.json) for the keys, their order and the Metrics descriptors, BDN's
/// live HostEnvironmentInfo for the environment strings, and a golden file for one whole Benchmem entry.
/// </summary>
public class BdnShapeTests
{
    private static readonly string Folder = Path.Combine(Path.GetDirectoryName(Source())!, "Golden");
    private static string Source([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
    private static string GoldenPath(string name) =>
        File.Exists(Path.Combine(Folder, name)) ? Path.Combine(Folder, name) : Path.Combine(AppContext.BaseDirectory, "Results", "Golden", name);

    private static JsonElement BdnExport() => JsonDocument.Parse(File.ReadAllBytes(GoldenPath("bdn-0.15.8-report-full.json"))).RootElement;

    internal static readonly HostInfo Host = Samples.Host with
    {
        OsVersion = "Linux Debian GNU/Linux 12 (bookworm)", ProcessorName = "AMD EPYC", PhysicalProcessorCount = 1, PhysicalCoreCount = 2,
        LogicalCoreCount = 2, DotNetCliVersion = "10.0.401", HardwareIntrinsics = "AVX2+BMI1+BMI2+F16C+FMA+LZCNT+MOVBE,AVX VectorSize=256",
    };

    /// <summary>A benchmark with every part: a round that is an upper outlier, the always-on allocation pass and two memory passes.</summary>
    internal static BenchmarkRecord Record() => new()
    {
        Namespace = "Examples",
        Type = "Work",
        Method = "Alloc",
        Parameters = "size=10",
        FullName = "Examples.Work.Alloc(size: 10)",
        Dims = new() { ["size"] = 10L },
        Timing = new TimingResult { RoundNanoseconds = [100, 101, 99, 102, 98, 100, 500], IterationsPerRound = 4, OverheadNanoseconds = 0.5 },
        Allocation = new AllocationResult { TotalOperations = 4000, BytesAllocatedPerOperation = 128, Gen0Collections = 2 },
        Memory = new MemoryResult
        {
            Passes = [new MemoryPass { PeakBytes = 4096, AllocatedBytes = 8192, RetainedBytes = 24, Allocations = 3, PeakMethod = PeakMethods.Exact },
                      new MemoryPass { PeakBytes = 4000, AllocatedBytes = 8192, RetainedBytes = 24, Allocations = 3, PeakMethod = PeakMethods.Exact }],
            Options = new MemoryOptions { Repeats = 2 },
            AllocationsMethod = "profiler",
        },
    };

    private static JsonElement Written(BenchmarkRecord record, HostInfo? host = null)
    {
        using var buffer = new MemoryStream();
        ResultsJson.WriteRun(buffer, Samples.Run() with { Host = host ?? Host }, [record]);
        return JsonDocument.Parse(buffer.ToArray()).RootElement;
    }

    [Test]
    public void BenchmarkKeys_AreBdnsInBdnsOrder_ThenBenchmems()
    {
        var bdn = BdnExport().GetProperty("Benchmarks")[0].EnumerateObject().Select(p => p.Name);
        var ours = Written(Record()).GetProperty("Benchmarks")[0].EnumerateObject().Select(p => p.Name);
        Assert.That(ours, Is.EqualTo(bdn.Append("Benchmem")));
    }

    [Test]
    public void HostEnvironmentKeys_AreBdnsInBdnsOrder()
    {
        var bdn = BdnExport().GetProperty("HostEnvironmentInfo").EnumerateObject().Select(p => p.Name);
        var ours = Written(Record()).GetProperty("HostEnvironmentInfo").EnumerateObject().Select(p => p.Name);
        Assert.That(ours, Is.EqualTo(bdn));
    }

    [Test]
    public void Metrics_StartWithMemoryDiagnosersDescriptorsExactly()
    {
        // BDN's "Alloc" benchmark allocated 128 B/op and saw no GC: the same numbers give the same four metrics.
        var bdn = BdnExport().GetProperty("Benchmarks")[1].GetProperty("Metrics");
        var record = Record();
        record = new BenchmarkRecord
        {
            Namespace = record.Namespace, Type = record.Type, Method = record.Method, FullName = record.FullName, Timing = record.Timing,
            Allocation = new AllocationResult { TotalOperations = 4000, BytesAllocatedPerOperation = 128 },
        };
        var ours = Written(record).GetProperty("Benchmarks")[0].GetProperty("Metrics");
        Assert.That(JsonElement.DeepEquals(ours, bdn), Is.True, $"ours:{Environment.NewLine}{ours}{Environment.NewLine}BDN's:{Environment.NewLine}{bdn}");
        Assert.That(ours.GetArrayLength(), Is.EqualTo(4), "no memory passes: no Benchmem metrics");
    }

    [Test]
    public void Metrics_PerThousandOperations_ThenBenchmemsOwn()
    {
        var metrics = Written(Record()).GetProperty("Benchmarks")[0].GetProperty("Metrics").EnumerateArray()
            .Select(m => (Id: m.GetProperty("Descriptor").GetProperty("Id").GetString(), Value: m.GetProperty("Value").GetDouble())).ToList();
        Assert.That(metrics, Is.EqualTo(new[]
        {
            ("Gen0Collects", 0.5), ("Gen1Collects", 0.0), ("Gen2Collects", 0.0), ("Allocated Memory", 128.0), // 2 GCs in 4000 operations
            ("Benchmem.PeakMemory", 4000.0), ("Benchmem.Allocations", 3.0), ("Benchmem.RetainedMemory", 24.0), ("Benchmem.AllocatedMemory", 8192.0),
        }));
    }

    [Test]
    public void AWholeEntry_MatchesItsGoldenFile()
    {
        var text = JsonSerializer.Serialize(Written(Record()), new JsonSerializerOptions { WriteIndented = true });
        // The package's own version and commit change with every commit: the golden file names them by placeholder.
        text = text.Replace($"\"{RunInfo.Version}\"", "\"(version)\"");
        if (RunInfo.BenchmemCommit is { Length: > 0 } commit)
            text = text.Replace($"\"{commit}\"", "\"(commit)\"");
        Reporting.Golden.AssertMatches(text.ReplaceLineEndings("\n") + "\n", "BdnShape.json");
    }

    [Test]
    public void Statistics_LeaveOutTheUpperOutlier_EveryRoundStaysInBenchmemAndMeasurements()
    {
        var entry = Written(Record()).GetProperty("Benchmarks")[0];
        var stats = entry.GetProperty("Statistics");
        Assert.That(stats.GetProperty("N").GetInt32(), Is.EqualTo(6));
        Assert.That(stats.GetProperty("Mean").GetDouble(), Is.EqualTo(100.0), "(100+101+99+102+98+100)/6, without the 500");
        var timing = entry.GetProperty("Benchmem").GetProperty("Timing");
        Assert.That(timing.GetProperty("RoundNanoseconds").EnumerateArray().Select(v => v.GetDouble()), Is.EqualTo(new double[] { 100, 101, 99, 102, 98, 100, 500 }));
        Assert.That(timing.GetProperty("UpperOutliersRemoved").GetInt32(), Is.EqualTo(1));
        var m = entry.GetProperty("Measurements").EnumerateArray().ToList();
        Assert.That(m.Select(x => x.GetProperty("IterationStage").GetString()), Is.EqualTo(Enumerable.Repeat("Actual", 7).Concat(Enumerable.Repeat("Result", 6))));
        Assert.That(m.Select(x => x.GetProperty("Nanoseconds").GetDouble()).Take(7), Is.EqualTo(new double[] { 400, 404, 396, 408, 392, 400, 2000 }), "round totals of 4 operations");
        Assert.That(m.All(x => x.GetProperty("Operations").GetInt64() == 4 && x.GetProperty("IterationMode").GetString() == "Workload"));
        var back = ResultsJson.ReadBenchmark(entry);
        Assert.That(back.Timing!.RoundNanoseconds, Is.EqualTo(new double[] { 100, 101, 99, 102, 98, 100, 500 }), "read back: every round");
    }

    [Test]
    public void Environment_IsWhatBdnReportsOnThisMachine()
    {
        // BDN's JsonExporter builds its HostEnvironmentInfo object in a protected method: call it on BDN's live info.
        var bdnInfo = HostEnvironmentInfo.GetCurrent();
        var method = typeof(JsonExporterBase).GetMethod("GetDataToSerialize", BindingFlags.NonPublic | BindingFlags.Instance, [typeof(HostEnvironmentInfo)])!;
        var bdn = (IReadOnlyDictionary<string, object>)method.Invoke(JsonExporter.Full, [bdnInfo])!;
        var ours = Written(Record(), HostInfo.Current).GetProperty("HostEnvironmentInfo");
        Assert.Multiple(() =>
        {
            foreach (var key in new[] { "OsVersion", "ProcessorName", "RuntimeVersion", "Architecture", "DotNetCliVersion" })
                Assert.That(ours.GetProperty(key).GetString(), Is.EqualTo(bdn[key]?.ToString()), key);
            foreach (var key in new[] { "PhysicalProcessorCount", "PhysicalCoreCount", "LogicalCoreCount" })
                Assert.That(ours.GetProperty(key).ValueKind == JsonValueKind.Null ? (int?)null : ours.GetProperty(key).GetInt32(), Is.EqualTo((int?)bdn[key]), key);
        });
    }

    [Test]
    public void HardwareIntrinsics_AreBdnsList()
    {
        var intrinsics = typeof(HostEnvironmentInfo).Assembly.GetType("BenchmarkDotNet.Detectors.Cpu.HardwareIntrinsics", throwOnError: true)!;
        var full = (string)intrinsics.GetMethod("GetFullInfo", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [Platform.X64])!;
        var vector = (string)intrinsics.GetMethod("GetVectorSize", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [])!;
        Assert.That(HostInfo.Current.HardwareIntrinsics, Is.EqualTo($"{full} {vector}"));
        Assert.That(Written(Record(), HostInfo.Current).GetProperty("Benchmarks")[0].GetProperty("HardwareIntrinsics").GetString(), Is.EqualTo($"{full} {vector}"));
    }

    private const string TwoSocketCpuInfo = """
        processor	: 0
        physical id	: 0
        cpu cores	: 2
        model name	: Intel(R) Xeon(R) CPU E5-2673 v4 @ 2.30GHz

        processor	: 1
        physical id	: 0
        cpu cores	: 2
        model name	: Intel(R) Xeon(R) CPU E5-2673 v4 @ 2.30GHz

        processor	: 2
        physical id	: 1
        cpu cores	: 2
        model name	: Intel(R) Xeon(R) CPU E5-2673 v4 @ 2.30GHz

        """;

    [TestCase(TwoSocketCpuInfo, TestName = "Cpu: two sockets, Intel brand string")]
    [TestCase("processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n", TestName = "Cpu: no physical ids")]
    public void CpuInfo_IsParsedAndCleanedAsBdnDoes(string cpuInfo)
    {
        var parser = typeof(HostEnvironmentInfo).Assembly.GetType("BenchmarkDotNet.Detectors.Cpu.Linux.LinuxCpuInfoParser", throwOnError: true)!;
        var bdn = (Perfolizer.Models.CpuInfo)parser.GetMethod("Parse", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [cpuInfo, ""])!;
        var ours = HostInfo.ReadCpu(cpuInfo);
        Assert.That((ours.ProcessorName, ours.PhysicalProcessorCount, ours.PhysicalCoreCount, ours.LogicalCoreCount),
            Is.EqualTo((bdn.ProcessorName, bdn.PhysicalProcessorCount, bdn.PhysicalCoreCount, bdn.LogicalCoreCount)));
        Assert.That(Perfolizer.Helpers.CpuBrandHelper.ToShortBrandName(ours), Is.EqualTo(Perfolizer.Helpers.CpuBrandHelper.ToShortBrandName(bdn)));
        Assert.That(Perfolizer.Helpers.CpuBrandHelper.ToShortBrandName(ours), Does.Not.Contain("(R)"));
    }

    [TestCase("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n", "Debian GNU/Linux 12 (bookworm)")]
    [TestCase("NAME=\"Ubuntu\"\nVERSION=\"24.04.1 LTS (Noble Numbat)\"\nID=ubuntu\nPRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\n", "Ubuntu 24.04.1 LTS (Noble Numbat)")]
    [TestCase("NAME=Alpine\nID=alpine\n", "Alpine")]
    public void LinuxRelease_IsChosenAsBdnChoosesIt(string osRelease, string expected)
    {
        var helper = typeof(HostEnvironmentInfo).Assembly.GetType("BenchmarkDotNet.Helpers.LinuxOsReleaseHelper", throwOnError: true)!;
        var bdn = (string?)helper.GetMethod("GetNameByOsRelease", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [osRelease.Split('\n')]);
        Assert.That(HostInfo.LinuxRelease(osRelease), Is.EqualTo(bdn).And.EqualTo(expected));
    }

    [TestCase("Examples", "Examples-20261202-031112")]
    [TestCase("My-Examples", "My_Examples-20261202-031112")]
    public void Title_HasTheTimeAfterTheFirstDash_AsBdnaReadsIt(string assembly, string expected)
    {
        var title = RunInfo.MakeTitle(assembly, new DateTimeOffset(2026, 12, 2, 3, 11, 12, TimeSpan.Zero));
        Assert.That(title, Is.EqualTo(expected));
        // bdna: DateTime.ParseExact(title.Substring(title.IndexOf('-') + 1), "yyyyMMdd-HHmmss", InvariantCulture)
        var parsed = DateTime.ParseExact(title[(title.IndexOf('-') + 1)..], "yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(parsed, Is.EqualTo(new DateTime(2026, 12, 2, 3, 11, 12)));
    }
}

/// <summary>Files written before the BDN-parity change (schema 1, committed as written by that version) still read.</summary>
public class OlderFormatTests
{
    private static string Fixture([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", "benchmem-schema1-report-full.json") is var p && File.Exists(p)
            ? p : Path.Combine(AppContext.BaseDirectory, "Results", "Golden", "benchmem-schema1-report-full.json");

    [Test]
    public void Schema1_Loads_WithEveryRoundFromOriginalValues()
    {
        var run = BenchmarkRun.Load(Fixture());
        Assert.That(run.SchemaVersion, Is.EqualTo(1));
        Assert.That(run.Benchmarks.Select(b => b.FullName), Is.EqualTo(new[]
            { "Examples.Sorting.Sort(n: 1000)", "Examples.Sorting.Sort(n: 10000)", "Examples.Sorting.Sort #2" }));
        // Schema 1 kept every round (the outliers too) in Statistics.OriginalValues.
        Assert.That(run.Benchmarks[0].Timing!.RoundNanoseconds, Is.EqualTo(new double[] { 1000, 1010, 990, 1005, 995, 1002, 998, 5000 }));
        Assert.That(run.Benchmarks[0].Timing!.IterationsPerRound, Is.EqualTo(64));
        Assert.That(run.Benchmarks[0].Memory!.Passes.Select(p => p.PeakBytes), Is.EqualTo(new long[] { 40_024, 40_024 }));
        Assert.That(run.Benchmarks[1].Allocation!.BytesAllocatedPerOperation, Is.EqualTo(40_024));
    }

    [Test]
    public void Schema1_WrittenAgain_BecomesSchema2_WithTheSameRounds()
    {
        var run = BenchmarkRun.Load(Fixture());
        using var buffer = new MemoryStream();
        ResultsJson.WriteRun(buffer, Samples.Run(), run.Benchmarks);
        using var doc = JsonDocument.Parse(buffer.ToArray());
        var first = doc.RootElement.GetProperty("Benchmarks")[0];
        Assert.That(first.GetProperty("Statistics").GetProperty("N").GetInt32(), Is.EqualTo(7), "the 5000 ns round is an upper outlier");
        var back = ResultsJson.ReadBenchmark(first);
        Assert.That(back.Timing!.RoundNanoseconds, Is.EqualTo(run.Benchmarks[0].Timing!.RoundNanoseconds));
    }
}

/// <summary>A BDN export's Statistics.OriginalValues are its result rounds already: they are not filtered a second time.</summary>
public class BdnExportStatisticsTests
{
    [Test]
    public void ABdnExport_KeepsItsOwnStatistics_ThroughReadingAndWriting()
    {
        var path = Path.Combine(Path.GetDirectoryName(Here())!, "Golden", "bdn-0.15.8-report-full.json");
        using var original = JsonDocument.Parse(File.ReadAllBytes(path));
        var run = BenchmarkRun.Load(path);
        using var buffer = new MemoryStream();
        ResultsJson.WriteRun(buffer, Samples.Run(), run.Benchmarks);
        using var written = JsonDocument.Parse(buffer.ToArray());
        var again = ResultsJson.ReadBenchmark(written.RootElement.GetProperty("Benchmarks")[0]);
        using var twice = new MemoryStream();
        ResultsJson.WriteRun(twice, Samples.Run(), [again]);
        using var rewritten = JsonDocument.Parse(twice.ToArray());
        foreach (var doc in new[] { written, rewritten })
        {
            var bdn = original.RootElement.GetProperty("Benchmarks")[0].GetProperty("Statistics");
            var ours = doc.RootElement.GetProperty("Benchmarks")[0].GetProperty("Statistics");
            Assert.That(ours.GetProperty("N").GetInt32(), Is.EqualTo(bdn.GetProperty("N").GetInt32()));
            Assert.That(ours.GetProperty("Mean").GetDouble(), Is.EqualTo(bdn.GetProperty("Mean").GetDouble()));
            Assert.That(ours.GetProperty("StandardDeviation").GetDouble(), Is.EqualTo(bdn.GetProperty("StandardDeviation").GetDouble()).Within(1e-9).Percent);
        }
    }

    private static string Here([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
