namespace Benchmem.NUnit.Session;

/// <summary>
/// Keeps benchmarks from ever timing concurrently with each other. A semaphore rather than a lock: with
/// Benchmem.Timeout the benchmark runs on a worker thread while the test's own thread holds the gate, so that a
/// benchmark abandoned past its limit cannot keep every later one waiting. The holder's flag flows to that worker
/// (an AsyncLocal travels with the ExecutionContext into a new thread), which therefore does not wait for itself.
/// </summary>
internal static class BenchmarkGate
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly AsyncLocal<bool> Held = new();

    /// <summary>Waits for the gate unless this flow already holds it; disposing releases it once.</summary>
    public static IDisposable Enter()
    {
        if (Held.Value)
            return NotHeld.Instance;
        Gate.Wait();
        Held.Value = true;
        return new Holder();
    }

    private sealed class Holder : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            Held.Value = false;
            Gate.Release();
        }
    }

    private sealed class NotHeld : IDisposable
    {
        public static readonly NotHeld Instance = new();
        public void Dispose() { }
    }
}
