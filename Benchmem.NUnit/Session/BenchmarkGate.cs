namespace Benchmem.NUnit.Session;

/// <summary>
/// Keeps benchmarks from ever timing concurrently with each other. A semaphore rather than a lock: with
/// Benchmem.Timeout the benchmark runs on a worker thread while the test's own thread holds the gate, so that a
/// benchmark abandoned past its limit cannot keep every later one waiting. The holder's flag flows to that worker
/// (an AsyncLocal travels with the ExecutionContext into a new thread), which therefore does not wait for itself.
/// </summary>
internal sealed class BenchmarkGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AsyncLocal<bool> _held = new();

    /// <summary>Waits for the gate unless this flow already holds it; disposing releases it once.</summary>
    public IDisposable Enter()
    {
        if (_held.Value)
            return NotHeld.Instance;
        _gate.Wait();
        _held.Value = true;
        return new Holder(this);
    }

    private sealed class Holder(BenchmarkGate owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            owner._held.Value = false;
            owner._gate.Release();
        }
    }

    private sealed class NotHeld : IDisposable
    {
        public static readonly NotHeld Instance = new();
        public void Dispose() { }
    }
}
