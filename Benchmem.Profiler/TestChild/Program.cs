using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Benchmem.Core.Memory;

// Child process of AllocationCounterTests. Prints one JSON line: either {"active":false,"error":...} with the
// message Read() threw, or the counter deltas around exactly 10,000 `object`s and one byte[1000] (a cold
// first window and a warm second one), plus the cost of one small allocation in ns (for the slowdown ratio).
// With the argument "precise" (started for precise peak): MemoryMeter's passes over workloads with a known peak;
// names after it run only those workloads (under emulation the million-object churn alone takes ~40 s).
if (args is ["precise", .. var onlyWorkloads])
{
    Console.WriteLine(PreciseWorkloads.Run(onlyWorkloads));
    return 0;
}
// With "environment <library>": the variables the memory host starts its child with for that profiler, one NAME=VALUE
// a line, so a script outside .NET (scripts/arm64-under-qemu.sh) loads the profiler exactly as the host does.
if (args is ["environment", var library])
{
    foreach (var (name, value) in AllocationCounter.EnvironmentFor(library))
        Console.WriteLine($"{name}={value}");
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

/// <summary>
/// Workloads whose true live high-water, allocations and leaks are known from object sizes (the arithmetic is in
/// AllocationCounterProfilerTests); each measured in two passes, in the default mode and with PrecisePeak. Churn of a
/// million objects is left out of the precise mode (a GC at each of its allocations).
/// </summary>
internal static class PreciseWorkloads
{
    private static readonly List<byte[]> Leaked = new(capacity: 1000); // pre-sized: a leak adds no list growth
    private static object? _sink;

    public static string Run(IReadOnlyCollection<string> only)
    {
        var cases = new (string Name, Func<object?> Call, bool Precise)[]
        {
            ("array100MiB", () => Keep(100 << 20), true),
            ("drop100Keep50", () => DropThenKeep(), true),
            ("drop64Keep10x1", () => Drop64ThenKeepTen(), true),
            ("churn", () => { Churn(); return null; }, true),
            ("kept1000", () => KeepObjects(1000), true),
            ("strings1000", () => Concatenate(1000), true),
            ("objects1M", () => { ManyShortLived(1_000_000); return null; }, false),
            ("listGrowth100k", () => GrowList(100_000), true),
            ("loh1MiB", () => Keep(1 << 20), true),
            ("pinned64KiB", () => GC.AllocateArray<byte>(65_536, pinned: true), true),
            ("collectInside", () => CollectInside(), true),
            ("leak4224", () => { Leak(); return null; }, true),
            ("taskRun40000", () => Task.Run(() => new byte[40_000]).Result, true),
            ("parallelFor", () => ParallelArrays(), true),
            ("asyncYield", () => AsyncYield().GetAwaiter().GetResult(), true),
            ("nothing", () => null, true),
            // Native memory (the interposer in LD_PRELOAD): truths from the sizes asked for, and SQLite's own accounting.
            ("native64MiBFreed", () => { NativeWorkloads.AllocTouchFree(freeIt: true); return null; }, false),
            ("native64MiBKept", () => { NativeWorkloads.AllocTouchFree(freeIt: false); return null; }, false),
            ("hglobalLoop", () => { NativeWorkloads.HGlobalLoop(); return null; }, false),
            ("sqliteRows", () => { NativeWorkloads.SqliteRows(keepOpen: false); return null; }, false),
            ("sqliteLeak", () => { NativeWorkloads.SqliteRows(keepOpen: true); return null; }, false),
        };
        var parts = new List<string>();
        foreach (var (name, call, precise) in cases.Where(c => only.Count == 0 || only.Contains(c.Name)))
        {
            foreach (bool asPrecise in precise ? new[] { false, true } : [false])
            {
                var watch = Stopwatch.StartNew();
                var result = MemoryMeter.Measure(call, new MemoryOptions { Repeats = 2, PrecisePeak = asPrecise });
                double ms = watch.Elapsed.TotalMilliseconds;
                var passes = result.Passes.Select(p => $"{{\"peak\":{p.PeakBytes},\"bound\":{p.PeakBoundBytes ?? -1},\"method\":\"{p.PeakMethod}\","
                    + $"\"allocated\":{p.AllocatedBytes},\"allocations\":{p.Allocations ?? -1},\"retained\":{p.RetainedBytes},"
                    + $"\"multi\":{(p.MultiThreaded ? "true" : "false")},\"gen0\":{p.Gen0},\"gen2\":{p.Gen2},"
                    + $"\"nativePeak\":{p.NativePeakBytes ?? -1},\"nativeAllocated\":{p.NativeAllocatedBytes ?? -1},"
                    + $"\"nativeAllocations\":{p.NativeAllocations ?? -1},\"nativeRetained\":{p.NativeRetainedBytes ?? -1}}}");
                // SQLite's own accounting of each pass's call (the last calls: the warm-up's comes first).
                var oracle = NativeWorkloads.TakeSqliteOracle().TakeLast(result.Passes.Count).Select(o => $"{{\"peak\":{o.Peak},\"retained\":{o.Retained},\"blocks\":{o.Blocks},\"mostBlocks\":{o.MostBlocks}}}");
                parts.Add($"\"{name}{(asPrecise ? ".precise" : "")}\":{{\"ms\":{FormatMs(ms)},\"passes\":[{string.Join(",", passes)}],"
                    + $"\"sqlite\":[{string.Join(",", oracle)}]}}");
            }
        }
        NativeWorkloads.FreeKept();
        return $"{{\"live\":{(AllocationCounter.LiveActive ? "true" : "false")},\"native\":{Quote(NativeCounter.InactiveReason ?? "active")},{string.Join(",", parts)}}}";
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private static string FormatMs(double ms) => ms.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

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

    /// <summary>64 MiB dropped, then ten 1 MiB arrays kept: the peak is in the middle (the 64 MiB alone).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[][] Drop64ThenKeepTen()
    {
        Drop(64 << 20);
        var kept = new byte[10][];
        for (int i = 0; i < kept.Length; i++)
            kept[i] = Keep(1 << 20);
        return kept;
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

    /// <summary>s = s + "x", n times: only the last two strings are ever live together.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Concatenate(int n)
    {
        string s = "";
        for (int i = 0; i < n; i++)
            s = string.Concat(s, "x");
        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ManyShortLived(int n)
    {
        for (int i = 0; i < n; i++)
            _sink = new object();
        _sink = null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<int> GrowList(int n)
    {
        var list = new List<int>();
        for (int i = 0; i < n; i++)
            list.Add(i);
        return list;
    }

    /// <summary>A 10 MiB array made garbage and collected by the call itself, then a 1 MiB one kept.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] CollectInside()
    {
        Drop(10 << 20);
        GC.Collect();
        return Keep(1 << 20);
    }

    /// <summary>One byte[4200] (4,224 bytes with its header) kept in a static list per call: a real leak.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Leak()
    {
        if (Leaked.Count == Leaked.Capacity)
            Leaked.Clear();
        Leaked.Add(new byte[4200]);
    }

    /// <summary>Four 100,000-byte arrays made on pool threads (and the caller), all returned.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[][] ParallelArrays()
    {
        var arrays = new byte[4][];
        Parallel.For(0, arrays.Length, i => arrays[i] = new byte[100_000]);
        return arrays;
    }

    /// <summary>An async method that continues on a pool thread after Task.Yield and allocates there.</summary>
    private static async Task<byte[]> AsyncYield()
    {
        await Task.Yield();
        return new byte[13_000];
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
        // The object tracking's known graphs, in the same child (one start-up for all).
        string Profile(Type type, string name)
        {
            var method = type.GetMethod("Work")!;
            var workload = Benchmem.Core.Invocation.BenchmarkInvoker.ForMethod(null, method, []);
            MemoryMeter.Measure(workload, options);
            return Benchmem.Core.Profiles.AllocationProfiler.Record(workload, options, null, method, name, folder).ProfilePath;
        }
        var peak = Profile(typeof(PeakWorkload), "TestChild.PeakWorkload.Work");
        var leak = Profile(typeof(LeakWorkload), "TestChild.LeakWorkload.Work");
        return $"{{\"profile\":{Quote(saved.ProfilePath)},\"trace\":{Quote(saved.TracePath ?? "")},\"traceProblem\":{Quote(saved.TraceProblem ?? "")},"
            + $"\"peak\":{Quote(peak)},\"leak\":{Quote(leak)}}}";
    }

    public static object Work()
    {
        NativeBlocks();
        return (Buffer(), MakeWidgets());
    }

    public const int NativeBlockCount = 3, NativeBlockBytes = 4096;

    /// <summary>Three native blocks of 4,096 bytes (Marshal.AllocHGlobal: no managed object), freed: a native profile only.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NativeBlocks()
    {
        Span<IntPtr> blocks = stackalloc IntPtr[NativeBlockCount];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = System.Runtime.InteropServices.Marshal.AllocHGlobal(NativeBlockBytes);
        foreach (var block in blocks)
            System.Runtime.InteropServices.Marshal.FreeHGlobal(block);
    }

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

/// <summary>
/// Native allocations of known sizes, and SQLite (through Microsoft.Data.Sqlite) with its own accounting as the oracle:
/// sqlite3_memory_used / sqlite3_memory_highwater count every byte SQLite takes from malloc.
/// </summary>
internal static unsafe class NativeWorkloads
{
    public const nuint Bytes64MiB = 64 << 20;
    /// <summary>AllocHGlobal sizes 1 + 100 i for i = 1..100: 100 blocks of 505,100 bytes, all held, then all freed.</summary>
    public const int HGlobalBlocks = 100;
    public const int SqliteRowCount = 2000;

    private static readonly List<IntPtr> Kept = new(capacity: 16);
    private static readonly List<Microsoft.Data.Sqlite.SqliteConnection> Open = new(capacity: 16);
    private static readonly List<(long Peak, long Retained, long Blocks, long MostBlocks)> Oracle = new(capacity: 16);
    /// <summary>SQLITE_STATUS_MALLOC_COUNT: SQLite's outstanding allocations (current, high-water).</summary>
    private const int MallocCount = 9;
    private static readonly IntPtr[] Blocks = new IntPtr[HGlobalBlocks];

    static NativeWorkloads() => SQLitePCL.Batteries_V2.Init(); // SQLite's library loaded before the first window

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AllocTouchFree(bool freeIt)
    {
        void* p = System.Runtime.InteropServices.NativeMemory.Alloc(Bytes64MiB);
        System.Runtime.InteropServices.NativeMemory.Fill(p, Bytes64MiB, 1); // touched: resident, not just mapped
        if (freeIt)
            System.Runtime.InteropServices.NativeMemory.Free(p);
        else
            Kept.Add((IntPtr)p);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HGlobalLoop()
    {
        for (int i = 0; i < HGlobalBlocks; i++)
            Blocks[i] = System.Runtime.InteropServices.Marshal.AllocHGlobal(1 + 100 * (i + 1));
        for (int i = 0; i < HGlobalBlocks; i++)
            System.Runtime.InteropServices.Marshal.FreeHGlobal(Blocks[i]);
    }

    /// <summary>An in-memory database filled with rows; closed (no pooling: the native connection is really closed), or
    /// left open in a static list: a connection that is never disposed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SqliteRows(bool keepOpen)
    {
        long used0 = SQLitePCL.raw.sqlite3_memory_used();
        SQLitePCL.raw.sqlite3_status(MallocCount, out int blocks0, out _, 1);
        SQLitePCL.raw.sqlite3_memory_highwater(1); // reset to what is used now
        var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)";
            create.ExecuteNonQuery();
        }
        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO t (name) VALUES ($name)";
            var name = insert.Parameters.Add("$name", Microsoft.Data.Sqlite.SqliteType.Text);
            for (int i = 0; i < SqliteRowCount; i++)
            {
                name.Value = "row number " + i;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        if (keepOpen)
            Open.Add(connection);
        else
            connection.Dispose();
        SQLitePCL.raw.sqlite3_status(MallocCount, out int blocks1, out int mostBlocks, 0);
        Oracle.Add((SQLitePCL.raw.sqlite3_memory_highwater(0) - used0, SQLitePCL.raw.sqlite3_memory_used() - used0, blocks1 - blocks0, mostBlocks - blocks0));
    }

    public static List<(long Peak, long Retained, long Blocks, long MostBlocks)> TakeSqliteOracle()
    {
        var taken = Oracle.ToList();
        Oracle.Clear();
        return taken;
    }

    public static void FreeKept()
    {
        foreach (var p in Kept)
            System.Runtime.InteropServices.NativeMemory.Free((void*)p);
        Kept.Clear();
        foreach (var c in Open)
            c.Dispose();
        Open.Clear();
    }
}

/// <summary>1 MiB held to the end of the call while it churns small lists, one alive at a time: the peak holds the buffer and one list.</summary>
internal static class PeakWorkload
{
    public const int Lists = 20_000;
    private static long _sink;

    public static object Work()
    {
        var buffer = new byte[1 << 20];
        for (int i = 0; i < Lists; i++)
            _sink += Sum(MakeList(i));
        return buffer;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static List<int> MakeList(int i) => new(4) { i, i + 1 };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Sum(List<int> list) => list[0] + list[1];
}

/// <summary>Leaks Count objects per call into a static list sized beforehand: retained is exactly their bytes.</summary>
internal static class LeakWorkload
{
    public const int Count = 3_000;
    private static readonly List<Leaked> Sink = new(Count * 16);

    public static object? Work()
    {
        Keep();
        return null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Keep()
    {
        for (int i = 0; i < Count; i++)
            Sink.Add(new Leaked { Id = i });
    }
}

public sealed class Leaked
{
    public long Id;
}
