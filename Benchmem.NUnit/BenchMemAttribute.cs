using Benchmem.Core.Memory;
using Benchmem.Core.Settings;
using Benchmem.Core.Units;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit;

/// <summary>
/// Adds untimed memory passes to a [Benchmark] test, even without Benchmem.Enabled=true: after the timing rounds,
/// each pass starts from a clean heap and measures peak, allocated, retained, GC counts (and rss, allocations where
/// available). The headline is the pass with the minimum peak; every pass is kept. Ceilings fail the test,
/// judged on the worst pass.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BenchMemAttribute : NUnitAttribute, IWrapTestMethod
{
    private const int Unset = -1;

    /// <summary>Measured passes; 0 (default) = adaptive: at least 2, stop after 2 without a new minimum, at most 10.</summary>
    public int Repeats { get; set; } = -1;

    /// <summary>Untracked calls before the first pass (default 1).</summary>
    public int Warmup { get; set; } = -1;

    /// <summary>Invocations inside one measured pass, to see build-up across calls (default 1).</summary>
    public int Calls { get; set; } = 1;

    /// <summary>Also record the process's resident high-water (Linux).</summary>
    public bool Rss { get; set; }

    /// <summary>
    /// Precise peak for this benchmark: the memory host runs a full GC at every allocation that could raise the peak, so
    /// the live high-water is exact to the byte instead of to 4 KiB or 1%. More GCs on churn; see Benchmem.PrecisePeak
    /// for the whole run.
    /// </summary>
    public bool PrecisePeak { get; set; }

    /// <summary>
    /// Keep an allocation profile of this benchmark (one extra pass: bytes and objects by type and call path) in
    /// Benchmem.Profile's folder, or BenchmarkResults/profiles when that is not set. Benchmem.Profile does it for the whole run.
    /// </summary>
    public bool Profile { get; set; }

    /// <summary>Ceiling on peak, a size such as "100MiB": the test fails when the worst pass goes over it.</summary>
    public string? MaxPeak { get; set; }

    /// <summary>Ceiling on bytes allocated per pass, a size such as "5MB".</summary>
    public string? MaxAllocated { get; set; }

    /// <summary>Ceiling on objects allocated per pass (needs exact allocation counts); -1 = none.</summary>
    public long MaxAllocations { get; set; } = -1;

    /// <summary>Memory passes are run by [Benchmark]'s command; alone, this attribute says what is missing.</summary>
    public TestCommand Wrap(TestCommand command) =>
        command.Test.Method?.MethodInfo.IsDefined(typeof(BenchmarkAttribute), false) == true
            ? command
            : new FailCommand(command, "[BenchMem] adds memory passes to a [Benchmark] test: put [Benchmark] on this method too.");

    /// <summary>Memory passes for every [Benchmark] test: Benchmem.Enabled, or Benchmem.Profile (a profile is a memory pass's).</summary>
    internal static bool MemoryOn(BenchmemSettings settings) => settings.Enabled || settings.Profile is not null;

    /// <summary>This attribute's values over the run-level defaults (Benchmem.Repeats, .Warmup, .MemoryMaxTime, .Rss).</summary>
    internal MemoryOptions Options(BenchmemSettings settings) => For(settings, this);

    internal static MemoryOptions For(BenchmemSettings settings, BenchMemAttribute? attribute) => new()
    {
        // -1 is "not set"; any other value, even a negative one, is the user's and is validated (never silently dropped).
        Repeats = attribute is { Repeats: not Unset } ? attribute.Repeats : settings.Repeats ?? 0,
        Warmup = attribute is { Warmup: not Unset } ? attribute.Warmup : settings.Warmup ?? 1,
        Calls = attribute?.Calls ?? 1,
        Rss = attribute?.Rss == true || settings.Rss,
        MaxTime = settings.MemoryMaxTime ?? 10,
        PrecisePeak = attribute?.PrecisePeak == true || settings.PrecisePeak,
    };

    /// <summary>The ceilings, parsed; a malformed size string is the test's failure message.</summary>
    internal IEnumerable<(string Metric, long Limit, string Text, Func<MemoryPass, long?> Value)> Ceilings()
    {
        if (MaxPeak is not null)
            yield return ("peak", ParseSize(nameof(MaxPeak), MaxPeak), MaxPeak, p => p.PeakBytes);
        if (MaxAllocated is not null)
            yield return ("allocated", ParseSize(nameof(MaxAllocated), MaxAllocated), MaxAllocated, p => p.AllocatedBytes);
        if (MaxAllocations < Unset)
            throw new FormatException($"[BenchMem(MaxAllocations = {MaxAllocations})] is out of range: give a number of objects, 0 or more.");
        if (MaxAllocations >= 0)
            yield return ("allocations", MaxAllocations, MaxAllocations.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), p => p.Allocations);
    }

    private static long ParseSize(string property, string text) =>
        ByteSize.TryParse(text, out var bytes, out var error)
            ? bytes
            : throw new FormatException($"[BenchMem({property} = \"{text}\")]: {error}");

    private sealed class FailCommand(TestCommand inner, string message) : DelegatingTestCommand(inner)
    {
        public override TestResult Execute(TestExecutionContext context)
        {
            context.CurrentResult.SetResult(ResultState.Failure, message);
            return context.CurrentResult;
        }
    }
}
