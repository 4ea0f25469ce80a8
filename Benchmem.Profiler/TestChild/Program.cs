using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Benchmem.Core.Memory;

// Child process of AllocationCounterTests. Prints one JSON line: either {"active":false,"error":...} with the
// message Read() threw, or the counter deltas around exactly 10,000 `object`s and one byte[1000] (a cold
// first window and a warm second one), plus the cost of one small allocation in ns (for the slowdown ratio).
// With the argument "precise" (started for precise peak): MemoryMeter's passes over workloads with a known peak.
if (args is ["precise"])
{
    Console.WriteLine(PreciseWorkloads.Run());
    return 0;
}
// With "profile <folder>" (started with stacks): an allocation profile of a known workload, saved into the folder.
if (args is ["profile", var profileFolder])
{
    Console.WriteLine(ProfileWorkload.Run(profileFolder));
    return 0;
}
const int Count = 10_000;
var keep = new object[Count]; // pre-sized outside the window: the window allocates only what is listed

string json;
if (!AllocationCounter.IsActive)
{
    string error;
    try
    {
        AllocationCounter.Read();
        error = "Read() did not throw";
    }
    catch (InvalidOperationException e)
    {
        error = e.Message;
    }
    json = $"{{\"active\":false,\"error\":{Quote(error)},\"nsPerAllocation\":{FormatDouble(NsPerAllocation())}}}";
}
else
{
    var cold = Window(keep);
    var warm = Window(keep);
    json = $"{{\"active\":true,\"cold\":{Format(cold)},\"warm\":{Format(warm)},\"nsPerAllocation\":{FormatDouble(NsPerAllocation())}}}";
}
Console.WriteLine(json);
return 0;

// The measured window, in its own method: when a loop runs in a method's first (Tier0) call, the JIT compiles an
// on-stack-replacement version in the middle of it, and that compile allocates for what the rest of the method
// uses (e.g. it interns its string literals). Here the rest of the method is just Read(), so it
// adds nothing (measured: the same loop written directly in the top-level Main added 4 objects / 128 bytes
// to the cold window, 0 with DOTNET_TC_OnStackReplacement=0).
[MethodImpl(MethodImplOptions.NoInlining)]
static (long Objects, long Bytes, long ThreadBytes) Window(object[] keep)
{
    long thread0 = GC.GetAllocatedBytesForCurrentThread();
    var (objects0, bytes0) = AllocationCounter.Read();
    for (int i = 0; i < keep.Length; i++)
        keep[i] = new object();
    var big = new byte[1000];
    var (objects1, bytes1) = AllocationCounter.Read();
    long thread1 = GC.GetAllocatedBytesForCurrentThread();
    GC.KeepAlive(big);
    return (objects1 - objects0, bytes1 - bytes0, thread1 - thread0);
}

// Best of 5 rounds of 200,000 small short-lived allocations, after a warm-up round.
static double NsPerAllocation()
{
    const int N = 200_000;
    Churn(N);
    double best = double.MaxValue;
    for (int round = 0; round < 5; round++)
    {
        long start = Stopwatch.GetTimestamp();
        Churn(N);
        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / N);
    }
    return best;
}

[MethodImpl(MethodImplOptions.NoInlining)]
static object? Churn(int n)
{
    object? last = null;
    for (int i = 0; i < n; i++)
        last = new object(); // escapes through the return value: no stack allocation
    return last;
}

static string Format((long Objects, long Bytes, long ThreadBytes) w) =>
    $"{{\"objects\":{w.Objects},\"bytes\":{w.Bytes},\"threadBytes\":{w.ThreadBytes}}}";

static string FormatDouble(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

/// <summary>Workloads whose true live high-water is known from their sizes; each measured in two passes.</summary>
internal static class PreciseWorkloads
{
    public static string Run()
    {
        var cases = new (string Name, Action Call)[]
        {
            ("array100MiB", () => Keep(100 << 20)),
            ("drop100Keep50", () => DropThenKeep()),
            ("churn", () => Churn()),
            ("kept1000", () => KeepObjects(1000)),
        };
        var parts = cases.Select(c =>
        {
            var result = MemoryMeter.Measure(c.Call, new MemoryOptions { Repeats = 2 });
            return $"\"{c.Name}\":{{\"peaks\":[{string.Join(",", result.Passes.Select(p => p.PeakBytes))}],"
                + $"\"method\":\"{result.PeakMethod}\",\"allocated\":{result.Headline.AllocatedBytes}}}";
        });
        return $"{{\"precise\":{(AllocationCounter.PreciseActive ? "true" : "false")},{string.Join(",", parts)}}}";
    }

    // NoInlining everywhere: a dropped array must not live on in a caller's temporary (see FINDINGS).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] Keep(int bytes) => new byte[bytes];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Drop(int bytes) => GC.KeepAlive(new byte[bytes]);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] DropThenKeep()
    {
        Drop(100 << 20);
        return Keep(50 << 20);
    }

    /// <summary>200 lists grown to 80,000 bytes and dropped: live at most one list's last two buffers (64 + 128 KiB).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Churn()
    {
        for (int i = 0; i < 200; i++)
        {
            var list = new List<byte>();
            for (int j = 0; j < 80_000; j++)
                list.Add((byte)j);
            GC.KeepAlive(list);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object[] KeepObjects(int n)
    {
        var kept = new object[n];
        for (int i = 0; i < n; i++)
            kept[i] = new object();
        return kept;
    }
}

/// <summary>A workload with a known allocation profile: one 1 MiB byte[] and 10,000 Widgets (24 bytes each) from named methods.</summary>
internal static class ProfileWorkload
{
    public const int Widgets = 10_000;

    public static string Run(string folder)
    {
        var invoker = Benchmem.Core.Invocation.BenchmarkInvoker.ForMethod(null, typeof(ProfileWorkload).GetMethod(nameof(Work))!, []);
        var options = new MemoryOptions { Repeats = 1, Warmup = 1 };
        MemoryMeter.Measure(invoker, options); // warm, as the memory host's passes leave it
        var saved = Benchmem.Core.Profiles.AllocationProfiler.Record(invoker, options, null, typeof(ProfileWorkload).GetMethod(nameof(Work)), "TestChild.ProfileWorkload.Work", folder);
        return $"{{\"profile\":{Quote(saved.ProfilePath)},\"trace\":{Quote(saved.TracePath ?? "")},\"traceProblem\":{Quote(saved.TraceProblem ?? "")}}}";
    }

    public static object Work() => (Buffer(), MakeWidgets());

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static byte[] Buffer() => new byte[1 << 20];

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Widget[] MakeWidgets()
    {
        var widgets = new Widget[Widgets];
        for (int i = 0; i < widgets.Length; i++)
            widgets[i] = new Widget { Id = i };
        return widgets;
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}

public sealed class Widget
{
    public long Id;
}
