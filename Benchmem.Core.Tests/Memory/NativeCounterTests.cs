using System.Text.Json;
using Benchmem.Core.Memory;

namespace Benchmem.Core.Tests.Memory;

/// <summary><see cref="NativeCounter"/> in this (test host) process: never started with the interposer.</summary>
public class NativeCounterTests
{
    [Test]
    public void EnvironmentFor_PreloadsTheInterposerByAbsolutePath_InFrontOfWhatWasPreloaded()
    {
        var alone = NativeCounter.EnvironmentFor(Path.Combine("relative", NativeCounter.LibraryFileName), null);
        var inherited = NativeCounter.EnvironmentFor("/x/" + NativeCounter.LibraryFileName, " /usr/lib/libjemalloc.so ");
        Assert.Multiple(() =>
        {
            Assert.That(alone.Keys, Is.EqualTo(new[] { "LD_PRELOAD" }));
            Assert.That(alone["LD_PRELOAD"], Is.EqualTo(Path.GetFullPath(Path.Combine("relative", NativeCounter.LibraryFileName))));
            Assert.That(inherited["LD_PRELOAD"], Is.EqualTo("/x/libbenchmem_native.so /usr/lib/libjemalloc.so"));
        });
    }

    [Test]
    public void InThisProcess_Absent_WithTheReason()
    {
        if (Environment.GetEnvironmentVariable("LD_PRELOAD")?.Contains(NativeCounter.LibraryFileName) == true)
            Assert.Ignore("this test host was started with the interposer preloaded");
        Assert.That(NativeCounter.Current, Is.Null);
        Assert.That(NativeCounter.InactiveReason, OperatingSystem.IsLinux()
            ? Is.EqualTo("LD_PRELOAD does not name libbenchmem_native.so (see NativeCounter.EnvironmentFor)")
            : Does.Contain("Linux only"));
    }
}

/// <summary>
/// Native memory in the memory host's environment (the profiler and the interposer loaded, as the host loads them),
/// against truths from outside Benchmem: the sizes the workloads ask malloc for, and SQLite's own accounting
/// (sqlite3_memory_used / sqlite3_memory_highwater and its count of outstanding blocks, SQLITE_STATUS_MALLOC_COUNT).
/// The same child run as the live-peak truths (<c>_live</c>), so the managed numbers above hold with the interposer in.
/// </summary>
public partial class AllocationCounterProfilerTests
{
    private string NativeLibraryPath => Path.Combine(Path.GetDirectoryName(_library)!, NativeCounter.LibraryFileName);

    private static (long Peak, long Allocated, long Allocations, long Retained) Native(JsonElement pass) =>
        (pass.GetProperty("nativePeak").GetInt64(), pass.GetProperty("nativeAllocated").GetInt64(),
            pass.GetProperty("nativeAllocations").GetInt64(), pass.GetProperty("nativeRetained").GetInt64());

    [Test]
    public void Native_IsActiveInTheHostEnvironment() =>
        Assert.That(_live.GetProperty("native").GetString(), Is.EqualTo("active"));

    /// <summary>NativeMemory.Alloc(64 MiB), every byte written, then freed, or kept: to the byte, every pass.</summary>
    [Test]
    public void Native_64MiBTouched_FreedReadsItsPeakAndNoLeak_KeptReadsTheLeak()
    {
        const long Size = 64 * MiB;
        Assert.Multiple(() =>
        {
            Assert.That(Passes(_live, "native64MiBFreed").Select(Native), Is.All.EqualTo((Size, Size, 1L, 0L)));
            Assert.That(Passes(_live, "native64MiBKept").Select(Native), Is.All.EqualTo((Size, Size, 1L, Size)));
            Assert.That(Passes(_live, "native64MiBKept").Count(), Is.EqualTo(2));
        });
    }

    /// <summary>Marshal.AllocHGlobal of 1 + 100 i bytes for i = 1..100, all held, then all freed: counts and bytes exact.</summary>
    [Test]
    public void Native_AllocHGlobalLoop_CountsAndBytesExact()
    {
        long bytes = Enumerable.Range(1, 100).Sum(i => 1L + 100 * i); // 505,100
        Assert.That(Passes(_live, "hglobalLoop").Select(Native), Is.All.EqualTo((bytes, bytes, 100L, 0L)));
    }

    /// <summary>
    /// An in-memory database filled with 2,000 rows through Microsoft.Data.Sqlite. SQLite counts the bytes it asked for,
    /// and keeps an 8-byte size header in front of each block it does not count: the interposer's bytes are SQLite's plus
    /// 8 per block. A connection left open leaks exactly that; closed, nothing of SQLite's stays (the first pass may keep
    /// the runtime's handle-table growth for the connection's callbacks: measured 2.6-2.9 KB, then 56 B).
    /// </summary>
    [Test]
    public void Native_Sqlite_AgreesWithSqlitesOwnAccounting()
    {
        const long SizeHeader = 8;
        Assert.Multiple(() =>
        {
            foreach (var workload in new[] { "sqliteRows", "sqliteLeak" })
            {
                var oracle = _live.GetProperty(workload).GetProperty("sqlite").EnumerateArray().ToList();
                var passes = Passes(_live, workload).ToList();
                Assert.That(oracle, Has.Count.EqualTo(passes.Count), workload);
                for (int i = 0; i < passes.Count; i++)
                {
                    var (peak, _, _, retained) = Native(passes[i]);
                    long sqlitePeak = oracle[i].GetProperty("peak").GetInt64(), mostBlocks = oracle[i].GetProperty("mostBlocks").GetInt64();
                    long sqliteRetained = oracle[i].GetProperty("retained").GetInt64(), blocks = oracle[i].GetProperty("blocks").GetInt64();
                    Assert.That(sqlitePeak, Is.GreaterThan(100_000), $"{workload}: SQLite's own high-water");
                    // The peak: SQLite's bytes and headers at its high-water, plus Microsoft.Data.Sqlite's few own blocks and,
                    // in the first pass, the runtime's handle-table growth (measured: 139,048 B there, then 136,536-136,824
                    // for SQLite's 135,080 B in at most 193 blocks).
                    Assert.That(peak, Is.InRange(sqlitePeak, sqlitePeak + SizeHeader * mostBlocks + 4096), $"{workload} pass {i}");
                    if (workload == "sqliteLeak")
                        Assert.That(retained, Is.InRange(sqliteRetained + SizeHeader * blocks, sqliteRetained + SizeHeader * blocks + 512),
                            $"{workload} pass {i}: the open connection's blocks, SQLite says {sqliteRetained:N0} B in {blocks} blocks");
                    else
                    {
                        Assert.That(sqliteRetained, Is.Zero, $"{workload} pass {i}: SQLite's own account of a closed connection");
                        Assert.That(retained, Is.InRange(0, 4096), $"{workload} pass {i}");
                    }
                }
            }
        });
    }

    /// <summary>
    /// A call that allocates nothing natively reads 0 in all four native metrics, every pass, in both modes, even with the
    /// live peak's forced GCs (what the runtime mallocs during a GC is left out). A GC the call itself causes
    /// (GC.Collect, a budget) has 3 blocks / 1,616 B of the runtime's own set-up outside the GC proper: freed before the
    /// call returns, so native-retained stays 0.
    /// </summary>
    [Test]
    public void Native_ManagedOnlyWorkloads_ReadZero_AndNeverRetain()
    {
        string[] singleThreaded = ["array100MiB", "drop100Keep50", "drop64Keep10x1", "churn", "kept1000", "strings1000", "objects1M",
            "listGrowth100k", "loh1MiB", "pinned64KiB", "collectInside", "leak4224"];
        Assert.Multiple(() =>
        {
            foreach (var mode in new[] { "", ".precise" })
            {
                Assert.That(Passes(_live, "nothing" + mode).Select(Native), Is.All.EqualTo((0L, 0L, 0L, 0L)), "nothing" + mode);
                foreach (var workload in singleThreaded.Where(w => mode == "" || w != "objects1M"))
                    foreach (var pass in Passes(_live, workload + mode))
                    {
                        var (peak, allocated, allocations, retained) = Native(pass);
                        Assert.That(retained, Is.Zero, workload + mode);
                        Assert.That(peak, Is.LessThanOrEqualTo(2048), workload + mode);
                        Assert.That(allocations, Is.LessThanOrEqualTo(3), workload + mode);
                        Assert.That(allocated, Is.LessThanOrEqualTo(2048), workload + mode);
                    }
            }
        });
    }
}
