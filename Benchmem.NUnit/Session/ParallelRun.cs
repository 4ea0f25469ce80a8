using Benchmem.NUnit.Reporting;

namespace Benchmem.NUnit.Session;

/// <summary>
/// Benchmarks never time concurrently with each other (<see cref="BenchmarkGate"/>), but other
/// tests NUnit runs in parallel share the cores and distort timings. The assembly hook counts the tests
/// running at each moment; a benchmark that saw company is flagged, and the run says so once, loudly.
/// </summary>
internal static class ParallelRun
{
    private static int _running;
    private static int _warned;
    private static int _warnedAssemblies;

    public static void TestStarted() => Interlocked.Increment(ref _running);

    public static void TestFinished() => Interlocked.Decrement(ref _running);

    /// <summary>True when a test other than the current benchmark is running right now.</summary>
    public static bool OthersRunning => Volatile.Read(ref _running) > 1;

    public static void WarnOnce()
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
            Report.Line("Benchmem: WARNING: other tests ran in parallel with benchmarks, which distorts timings. "
                + "Benchmarks never overlap each other; for trustworthy numbers keep [Parallelizable] off benchmark fixtures "
                + "or run with -- NUnit.NumberOfTestWorkers=0.");
    }

    /// <summary>Other test assemblies of the same `dotnet test` run (a solution's projects run in parallel) beside a benchmark.</summary>
    public static void WarnAssembliesOnce(IEnumerable<string> assemblies)
    {
        if (Interlocked.Exchange(ref _warnedAssemblies, 1) == 0)
            Report.Line($"Benchmem: WARNING: test assembly {string.Join(", ", assemblies)} of the same dotnet test run ran at the same time "
                + "as benchmarks, which distorts timings (a solution's test projects run in parallel): test one project at a time, "
                + "or give dotnet test -m:1.");
    }
}
