using System.Runtime.ExceptionServices;

namespace Benchmem.NUnit.Session;

/// <summary>
/// Benchmem.Timeout: runs a benchmark on a worker thread, holding the benchmark gate, and stops waiting for it after the limit. .NET cannot
/// abort a thread, so a benchmark past its limit is abandoned, still running, on a background thread (it does not
/// keep the process alive); its test fails, the run goes on, and the run says that later timings share the CPU with it.
/// </summary>
internal sealed class Watchdog(BenchmarkGate gate)
{
    private int _abandoned;

    /// <summary>Benchmarks abandoned so far in this run.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>Runs <paramref name="body"/>; false when it did not finish within <paramref name="seconds"/> (null: no limit).</summary>
    public bool Run(double? seconds, Action body)
    {
        if (seconds is not { } limit)
        {
            body();
            return true;
        }
        // The caller's thread holds the benchmark gate while the worker runs, so a benchmark abandoned past its limit
        // cannot keep every later one waiting; the worker, inheriting the holder's flag, does not wait for it.
        using var held = gate.Enter();
        ExceptionDispatchInfo? error = null;
        // ExecutionContext flows into the thread: NUnit's current test context and the benchmark gate come along.
        var worker = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = "Benchmem benchmark" };
        worker.Start();
        if (!worker.Join(TimeSpan.FromSeconds(limit)))
        {
            Interlocked.Increment(ref _abandoned);
            return false;
        }
        error?.Throw();
        return true;
    }

    /// <summary>The failure message of a benchmark abandoned past its limit.</summary>
    public static string Message(double limit) =>
        $"Benchmem: the benchmark did not finish within Benchmem.Timeout={limit.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s "
        + "and was abandoned; it keeps running on a background thread (.NET cannot stop it), so the timings of the benchmarks after it may be disturbed.";
}
