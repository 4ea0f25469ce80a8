using System.Text.Json;
using Benchmem.Core.Memory;
using Benchmem.Core.Profiles;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Benchmem.Core.Tests.Memory;

/// <summary>
/// Allocation profiles of a known workload, taken by the real profiler in stack mode in a child process
/// (TestChild "profile"): one 1 MiB byte[] from ProfileWorkload.Buffer and 10,000 Widgets (24 bytes each, in a
/// 10,000-slot array) from ProfileWorkload.MakeWidgets.
/// </summary>
public partial class AllocationCounterProfilerTests
{
    private const long Buffer = (1 << 20) + ArrayHeader;     // byte[1 MiB]
    private const long Widgets = 10_000 * 24;                  // object header + method table + one long
    private const long WidgetArray = 10_000 * 8 + ArrayHeader; // references
    private const long Tuple = 32;                             // the (byte[], Widget[]) the benchmark returns, boxed

    private string _profileFolder = "";
    private JsonElement _profileRun;
    private AllocationProfile _profile = null!;

    private void RunProfileChild(string childDll)
    {
        _profileFolder = Path.Combine(Path.GetTempPath(), $"benchmem-profile-test-{Guid.NewGuid():N}");
        var stacks = new Dictionary<string, string>(AllocationCounter.EnvironmentFor(_library, stacks: true)) { ["DOTNET_TieredCompilation"] = "0" };
        foreach (var (k, v) in NativeCounter.EnvironmentFor(NativeLibraryPath, null))
            stacks[k] = v; // native blocks in the same profile, as the memory host takes it (issue 19)
        _profileRun = RunChild(childDll, stacks, ["profile", _profileFolder], LiveChildTimeout);
        _profile = SpeedscopeFile.Read(_profileRun.GetProperty("profile").GetString()!);
    }

    [OneTimeTearDown]
    public void RemoveProfileFolder()
    {
        if (Directory.Exists(_profileFolder))
            Directory.Delete(_profileFolder, recursive: true);
    }

    [Test]
    public void Profile_TopTypesAreRankedBySizeWithExactBytesAndCounts()
    {
        var types = ProfileSummary.TopTypes(_profile, 10);
        Assert.That(types.Select(t => (t.Type, t.Objects, t.Bytes)), Is.EqualTo(new[]
        {
            ("System.Byte[]", 1L, Buffer),
            ("Widget", 10_000L, Widgets),
            ("Widget[]", 1L, WidgetArray),
            ("System.ValueTuple<Byte[],Widget[]>", 1L, Tuple),
        }));
        Assert.That(types[0].Share, Is.EqualTo((double)Buffer / (Buffer + Widgets + WidgetArray + Tuple)).Within(1e-9));
    }

    [Test]
    public void Profile_NamesTheAllocatingMethodsAndStartsAtTheBenchmark()
    {
        var methods = ProfileSummary.TopMethods(_profile, 10);
        Assert.That(methods.Select(m => (m.Method, m.OwnBytes, m.TotalBytes)), Is.EqualTo(new[]
        {
            ("ProfileWorkload.Buffer", Buffer, Buffer),
            ("ProfileWorkload.MakeWidgets", Widgets + WidgetArray, Widgets + WidgetArray),
            ("ProfileWorkload.Work", Tuple, Buffer + Widgets + WidgetArray + Tuple),
        }), "the runner's frames below the benchmark are cut off");
        Assert.That(_profile.Samples.Select(s => _profile.Frames[s.Stack[0]]), Is.All.EqualTo("ProfileWorkload.Work"));
    }

    [Test]
    public void Profile_CoversThePassExactly()
    {
        var info = _profile.Info;
        Assert.That(info.Method, Is.EqualTo(ProfileMethods.Exact));
        Assert.That(info.FullName, Is.EqualTo("TestChild.ProfileWorkload.Work"));
        Assert.That(_profile.TotalBytes, Is.EqualTo(Buffer + Widgets + WidgetArray + Tuple));
        // Every byte of the call is on a stack. The pass may also count another thread's few objects (seen in a fresh-clone
        // CI run: 1,720 B, the runtime trace's own machinery), which the profile, rooted at the call, leaves out: the pool-worker
        // slack of the other truths (16 KiB).
        Assert.That(info.AllocatedBytes - _profile.TotalBytes, Is.InRange(0, 16 * 1024), "every byte of the pass, on a stack");
        Assert.That(_profile.TotalObjects, Is.EqualTo(10_003));
        Assert.That(info.Allocations - _profile.TotalObjects, Is.InRange(0, 64));
        Assert.That(info.Unattributed, Is.Zero);
    }

    /// <summary>The .nettrace beside it is a real runtime trace: TraceEvent (PerfView's reader) finds the GC's allocation events for the pass.</summary>
    [Test]
    public void Profile_KeepsARuntimeTraceWithTheAllocationEvents()
    {
        Assert.That(_profileRun.GetProperty("traceProblem").GetString(), Is.Empty);
        var trace = _profileRun.GetProperty("trace").GetString()!;
        Assert.That(_profile.Info.Trace, Is.EqualTo(Path.GetFileName(trace)));
        var ticks = new List<(string Type, long Bytes)>();
        int methodNames = 0;
        using (var source = new EventPipeEventSource(trace))
        {
            source.Clr.GCAllocationTick += e => ticks.Add((e.TypeName, e.AllocationAmount64));
            source.Clr.MethodLoadVerbose += e => methodNames += e.MethodName == "MakeWidgets" ? 1 : 0;
            var rundown = new Microsoft.Diagnostics.Tracing.Parsers.Clr.ClrRundownTraceEventParser(source);
            rundown.MethodDCStopVerbose += e => methodNames += e.MethodName == "MakeWidgets" ? 1 : 0;
            source.Process();
        }
        Assert.That(ticks.Select(t => t.Type), Does.Contain("System.Byte[]"), "the 1 MiB array crosses the runtime's 100 KB sampling step");
        Assert.That(methodNames, Is.Positive, "the rundown names the workload's methods for the stacks");
    }
}

/// <summary>
/// Native blocks in the same profile (issue 19): the interposer hands each block to the profiler, which takes the
/// allocating thread's managed stack right there, inside malloc under the P/Invoke. ProfileWorkload.NativeBlocks asks
/// Marshal.AllocHGlobal for three 4,096-byte blocks.
/// </summary>
public partial class AllocationCounterProfilerTests
{
    [Test]
    public void Profile_AttributesNativeBlocksToTheManagedFramesThatLedToThem()
    {
        var native = _profile.NativeView();
        var paths = native.Samples.Select(s => (Path: string.Join(" > ", s.Stack.Select(i => native.Frames[i])), s.Objects, s.Bytes)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(paths, Does.Contain(("ProfileWorkload.Work > ProfileWorkload.NativeBlocks > native (managed code calling the allocator directly)",
                3L, 3L * 4096)), string.Join("\n", paths));
            Assert.That(native.Samples.Select(s => native.Frames[s.Stack[0]]), Is.All.EqualTo("ProfileWorkload.Work"), "rooted at the benchmark");
            // Every native block of the pass is on a stack (the runtime trace recorded beside the profile adds a few small
            // blocks of its own at the benchmark's frame: measured 18 blocks, 1,033 B, from operator new).
            // As for the managed totals: the pass may count another thread's block or two (seen: one of 56 B) the profile leaves out.
            Assert.That(_profile.Info.NativeAllocations - native.TotalObjects, Is.InRange(0, 8));
            Assert.That(_profile.Info.NativeAllocatedBytes - native.TotalBytes, Is.InRange(0, 16 * 1024));
            Assert.That(native.TotalBytes - 3 * 4096, Is.InRange(0, 4096), string.Join("\n", paths));
            // The managed profile is unchanged by it.
            Assert.That(_profile.TotalObjects, Is.EqualTo(10_003));
        });
        var methods = ProfileSummary.TopMethods(native, 5);
        Assert.That(methods[0], Is.EqualTo(new MethodRow("ProfileWorkload.NativeBlocks", 3 * 4096, 3, 3 * 4096,
            3.0 * 4096 / native.TotalBytes, 3.0 * 4096 / native.TotalBytes)));
    }

    [Test]
    public void Profile_NativeProfilesSurviveTheSpeedscopeFile()
    {
        var path = Path.Combine(_profileFolder, "copy" + SpeedscopeFile.Extension);
        SpeedscopeFile.Write(_profile, path);
        var read = SpeedscopeFile.Read(path);
        Assert.That(read.NativeSamples.Select(s => (string.Join(",", s.Stack.Select(i => read.Frames[i])), s.Objects, s.Bytes)),
            Is.EqualTo(_profile.NativeSamples.Select(s => (string.Join(",", s.Stack.Select(i => _profile.Frames[i])), s.Objects, s.Bytes))));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.That(doc.RootElement.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Is.EqualTo(new[]
        {
            "TestChild.ProfileWorkload.Work - allocated bytes (exact)", "TestChild.ProfileWorkload.Work - allocated objects (exact)",
            "TestChild.ProfileWorkload.Work - native bytes (exact)", "TestChild.ProfileWorkload.Work - native blocks (exact)",
            // The object tracking's views (issue 20) follow, for speedscope's picker.
            "TestChild.ProfileWorkload.Work - live at peak bytes", "TestChild.ProfileWorkload.Work - leaked bytes",
            "TestChild.ProfileWorkload.Work - temporary bytes",
        }));
    }
}
