namespace Benchmem.NUnit.Session;

/// <summary>
/// Benchmarks never time concurrently with each other (<see cref="BenchmarkGate"/>), but other
/// tests NUnit runs in parallel share the cores and distort timings. The assembly hook counts the tests
/// running at each moment; a benchmark that saw company is flagged, and the run says so once, loudly.
/// </summary>
internal sealed class ParallelRun(Action<string> report)
{
    private int _running;
    private int _warned;
    private int _warnedAssemblies;

    public void TestStarted() => Interlocked.Increment(ref _running);

    public void TestFinished() => Interlocked.Decrement(ref _running);

    /// <summary>True when a test other than the current benchmark is running right now.</summary>
    public bool OthersRunning => Volatile.Read(ref _running) > 1;

    public void WarnOnce()
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
            report("Benchmem: WARNING: other tests ran in parallel with benchmarks, which distorts timings. "
                + "Benchmarks never overlap each other; for trustworthy numbers keep [Parallelizable] off benchmark fixtures "
                + "or run with -- NUnit.NumberOfTestWorkers=0.");
    }

    /// <summary>Other test assemblies of the same `dotnet test` run (a solution's projects run in parallel) beside a benchmark.</summary>
    public void WarnAssembliesOnce(IEnumerable<string> assemblies)
    {
        if (Interlocked.Exchange(ref _warnedAssemblies, 1) == 0)
            report($"Benchmem: WARNING: test assembly {string.Join(", ", assemblies)} of the same dotnet test run ran at the same time "
                + "as benchmarks, which distorts timings (a solution's test projects run in parallel): test one project at a time, "
                + "or give dotnet test -m:1.");
    }
}
