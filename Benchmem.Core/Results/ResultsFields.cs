using Benchmem.Core.Memory;

namespace Benchmem.Core.Results;

/// <summary>
/// Every field name of the results format, defined once for <see cref="ResultsWriter"/> and <see cref="ResultsReader"/>
/// (and the run-level reads of <see cref="BenchmarkRun"/> and <see cref="ResultsSession"/>). BenchmarkDotNet's names
/// are its full JSON export's, so its readers read ours; Benchmem's own live under a "Benchmem" block.
/// </summary>
public static class ResultsFields
{
    /// <summary>The block Benchmem adds, per run and per benchmark.</summary>
    public const string Benchmem = "Benchmem";

    /// <summary>The file's top level.</summary>
    public static class Run
    {
        public const string Title = "Title";
        public const string HostEnvironmentInfo = "HostEnvironmentInfo";
        public const string Benchmarks = "Benchmarks";
    }

    /// <summary>BDN's HostEnvironmentInfo.</summary>
    public static class Host
    {
        public const string Caption = "BenchmarkDotNetCaption";
        public const string Version = "BenchmarkDotNetVersion";
        public const string OsVersion = "OsVersion";
        public const string ProcessorName = "ProcessorName";
        public const string PhysicalProcessorCount = "PhysicalProcessorCount";
        public const string PhysicalCoreCount = "PhysicalCoreCount";
        public const string LogicalCoreCount = "LogicalCoreCount";
        public const string RuntimeVersion = "RuntimeVersion";
        public const string Architecture = "Architecture";
        public const string HasAttachedDebugger = "HasAttachedDebugger";
        public const string HasRyuJit = "HasRyuJit";
        public const string Configuration = "Configuration";
        public const string DotNetCliVersion = "DotNetCliVersion";
        public const string ChronometerFrequency = "ChronometerFrequency";
        public const string Hertz = "Hertz";
        public const string HardwareTimerKind = "HardwareTimerKind";
    }

    /// <summary>The run's Benchmem block.</summary>
    public static class RunBlock
    {
        public const string SchemaVersion = "SchemaVersion";
        public const string Version = "Version";
        public const string BenchmemCommit = "BenchmemCommit";
        public const string Assembly = "Assembly";
        public const string Datetime = "Datetime";
        public const string MachineInfo = "MachineInfo";
        public const string Node = "Node";
        public const string Processor = "Processor";
        public const string Cores = "Cores";
        public const string Os = "Os";
        public const string Runtime = "Runtime";
        // pytest-benchmark's commit_info spelling.
        public const string CommitInfo = "CommitInfo";
        public const string CommitId = "id";
        public const string CommitDirty = "dirty";
        public const string CommitBranch = "branch";
        public const string ParallelTests = "ParallelTests";
        public const string RunKey = "RunKey";
        public const string Label = "Label";
        public const string Sweep = "Sweep";
        public const string SweepPackage = "Package";
        public const string SweepVersion = "Version";
        public const string SweepFramework = "Framework";
    }

    /// <summary>One Benchmarks[] entry, BDN's part.</summary>
    public static class Entry
    {
        public const string DisplayInfo = "DisplayInfo";
        public const string Namespace = "Namespace";
        public const string Type = "Type";
        public const string Method = "Method";
        public const string MethodTitle = "MethodTitle";
        public const string Parameters = "Parameters";
        public const string FullName = "FullName";
        public const string HardwareIntrinsics = "HardwareIntrinsics";
        public const string Statistics = "Statistics";
        public const string Memory = "Memory";
        public const string Measurements = "Measurements";
        public const string Metrics = "Metrics";
    }

    /// <summary>BDN's Statistics object (of its "Workload Result" rounds).</summary>
    public static class Statistics
    {
        public const string OriginalValues = "OriginalValues";
        public const string N = "N";
        public const string Min = "Min";
        public const string LowerFence = "LowerFence";
        public const string Q1 = "Q1";
        public const string Median = "Median";
        public const string Mean = "Mean";
        public const string Q3 = "Q3";
        public const string UpperFence = "UpperFence";
        public const string Max = "Max";
        public const string InterquartileRange = "InterquartileRange";
        public const string LowerOutliers = "LowerOutliers";
        public const string UpperOutliers = "UpperOutliers";
        public const string AllOutliers = "AllOutliers";
        public const string StandardError = "StandardError";
        public const string Variance = "Variance";
        public const string StandardDeviation = "StandardDeviation";
        public const string Skewness = "Skewness";
        public const string Kurtosis = "Kurtosis";
        public const string ConfidenceInterval = "ConfidenceInterval";
        public const string Level = "Level";
        public const string Margin = "Margin";
        public const string Lower = "Lower";
        public const string Upper = "Upper";
        public const string Percentiles = "Percentiles";
    }

    /// <summary>BDN's Memory object (MemoryDiagnoser's numbers: Benchmem's allocation pass).</summary>
    public static class BdnMemory
    {
        public const string Gen0Collections = "Gen0Collections";
        public const string Gen1Collections = "Gen1Collections";
        public const string Gen2Collections = "Gen2Collections";
        public const string TotalOperations = "TotalOperations";
        public const string BytesAllocatedPerOperation = "BytesAllocatedPerOperation";
    }

    /// <summary>One of BDN's Measurements.</summary>
    public static class Measurement
    {
        public const string IterationMode = "IterationMode";
        public const string IterationStage = "IterationStage";
        public const string LaunchIndex = "LaunchIndex";
        public const string IterationIndex = "IterationIndex";
        public const string Operations = "Operations";
        public const string Nanoseconds = "Nanoseconds";
    }

    /// <summary>One of BDN's Metrics: a value and its IMetricDescriptor.</summary>
    public static class MetricEntry
    {
        public const string Value = "Value";
        public const string Descriptor = "Descriptor";
        public const string Id = "Id";
        public const string DisplayName = "DisplayName";
        public const string Legend = "Legend";
        public const string NumberFormat = "NumberFormat";
        public const string UnitType = "UnitType";
        public const string Unit = "Unit";
        public const string TheGreaterTheBetter = "TheGreaterTheBetter";
        public const string PriorityInCategory = "PriorityInCategory";
    }

    /// <summary>A benchmark's Benchmem block.</summary>
    public static class EntryBlock
    {
        public const string Dims = "Dims";
        public const string Group = "Group";
        public const string Optimized = "Optimized";
        public const string KeptFrom = "KeptFrom";
        /// <summary>True on the [Benchmark(Baseline = true)] of its group (absent otherwise).</summary>
        public const string Baseline = "Baseline";
        /// <summary>The benchmark's own numbers (Bench.Metric), name → value (absent when none).</summary>
        public const string Metrics = "Metrics";
        public const string Timing = "Timing";
        public const string Series = "Series";
        public const string PeakMethod = "PeakMethod";
        public const string PassPeakMethods = "PassPeakMethods";
        public const string AllocationsMethod = "AllocationsMethod";
        public const string UnobservedGcs = "UnobservedGcs";
        public const string MemoryMultiThreaded = "MemoryMultiThreaded";
        public const string Options = "Options";
        public const string Allocation = "Allocation";
        public const string Calibration = "Calibration";
    }

    /// <summary>Benchmem.Timing: every round and how they were taken.</summary>
    public static class Timing
    {
        public const string Rounds = "Rounds";
        public const string RoundNanoseconds = "RoundNanoseconds";
        public const string UpperOutliersRemoved = "UpperOutliersRemoved";
        public const string RoundsAreBdnResult = "RoundsAreBdnResult";
        public const string IterationsPerRound = "IterationsPerRound";
        public const string OverheadNanoseconds = "OverheadNanoseconds";
        public const string WarmupMilliseconds = "WarmupMilliseconds";
        public const string TotalMilliseconds = "TotalMilliseconds";
        public const string LaunchRounds = "LaunchRounds";
        public const string OperationsPerSecond = "OperationsPerSecond";
        public const string Outliers = "Outliers";
    }

    /// <summary>Benchmem.Calibration: the machine's speed sampled between the timing rounds (Timing.CalibrationResult).</summary>
    public static class Calibration
    {
        public const string Version = "Version";
        public const string Workloads = "Workloads";
        public const string Workload = "Workload";
        public const string BeforeRound = "BeforeRound";
        public const string Nanoseconds = "Nanoseconds";
        public const string Milliseconds = "Milliseconds";
    }

    /// <summary>Benchmem.Options: the memory passes' settings.</summary>
    public static class MemoryOptions
    {
        public const string Repeats = "Repeats";
        public const string Warmup = "Warmup";
        public const string Calls = "Calls";
        public const string Isolated = "Isolated";
        public const string Rss = "Rss";
    }

    /// <summary>Benchmem.Allocation: how the allocation pass counted.</summary>
    public static class Allocation
    {
        public const string Method = "Method";
        public const string MultiThreaded = "MultiThreaded";
    }
}

/// <summary>
/// One per-pass series of Benchmem.Series: its name in the file and the number it keeps of each memory pass. A
/// series is empty when a pass lacks the number (allocations without the profiler). <see cref="All"/> is the order
/// the writer writes them; a per-pass metric (<c>Compare.MetricField</c>) reads its pass value through its series,
/// so the file and every view agree on where the number comes from.
/// </summary>
public sealed class PassSeries
{
    private PassSeries(string name, Func<MemoryPass, long?> read, bool writtenUnmeasured = true)
    {
        Name = name;
        Read = read;
        WrittenUnmeasured = writtenUnmeasured;
    }

    /// <summary>False for series added after files already existed without them (native memory): left out of the file
    /// when no pass measured them, so a file without native memory reads exactly as before.</summary>
    public bool WrittenUnmeasured { get; }

    public string Name { get; }

    /// <summary>The pass's number; null when the pass did not measure it.</summary>
    public Func<MemoryPass, long?> Read { get; }

    public override string ToString() => Name;

    public static readonly PassSeries PeakBytes = new("PeakBytes", p => p.PeakBytes);
    public static readonly PassSeries AllocatedBytes = new("AllocatedBytes", p => p.AllocatedBytes);
    public static readonly PassSeries Allocations = new("Allocations", p => p.Allocations);
    public static readonly PassSeries RetainedBytes = new("RetainedBytes", p => p.RetainedBytes);
    public static readonly PassSeries Gen0 = new("Gen0", p => p.Gen0);
    public static readonly PassSeries Gen1 = new("Gen1", p => p.Gen1);
    public static readonly PassSeries Gen2 = new("Gen2", p => p.Gen2);
    public static readonly PassSeries RssBytes = new("RssBytes", p => p.RssBytes);
    // Per pass, so nothing of a pass is lost on the way from the memory host into the results file.
    public static readonly PassSeries PeakBoundBytes = new("PeakBoundBytes", p => p.PeakBoundBytes);
    public static readonly PassSeries UnobservedGcs = new("UnobservedGcs", p => p.UnobservedGcs);
    public static readonly PassSeries MultiThreaded = new("MultiThreaded", p => p.MultiThreaded ? 1 : 0);
    // Native memory (the memory host's interposer): absent where it was not loaded.
    public static readonly PassSeries NativePeakBytes = new("NativePeakBytes", p => p.NativePeakBytes, writtenUnmeasured: false);
    public static readonly PassSeries NativeAllocatedBytes = new("NativeAllocatedBytes", p => p.NativeAllocatedBytes, writtenUnmeasured: false);
    public static readonly PassSeries NativeAllocations = new("NativeAllocations", p => p.NativeAllocations, writtenUnmeasured: false);
    public static readonly PassSeries NativeRetainedBytes = new("NativeRetainedBytes", p => p.NativeRetainedBytes, writtenUnmeasured: false);

    /// <summary>Every series, in the order the file lists them.</summary>
    public static IReadOnlyList<PassSeries> All { get; } =
        [PeakBytes, AllocatedBytes, Allocations, RetainedBytes, Gen0, Gen1, Gen2, RssBytes, PeakBoundBytes, UnobservedGcs, MultiThreaded,
            NativePeakBytes, NativeAllocatedBytes, NativeAllocations, NativeRetainedBytes];
}
