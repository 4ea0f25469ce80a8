using System.Collections.Concurrent;

namespace Benchmem.NUnit.Session;

/// <summary>The numbers a running benchmark test recorded with Bench.Metric, by NUnit test id, until its record takes them.</summary>
internal sealed class BenchmarkMetrics
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, double>> _byTest = new();

    /// <summary>The last value given for a name wins (a double is replaced in place: no allocation on repeated calls).</summary>
    public void Set(string testId, string name, double value) => _byTest.GetOrAdd(testId, static _ => new(StringComparer.Ordinal))[name] = value;

    /// <summary>The test's metrics, removed (each test's record takes them once).</summary>
    public IReadOnlyDictionary<string, double> Take(string testId) =>
        _byTest.TryRemove(testId, out var metrics) ? metrics : new Dictionary<string, double>();
}
