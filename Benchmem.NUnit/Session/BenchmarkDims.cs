using System.Collections.Concurrent;

namespace Benchmem.NUnit.Session;

/// <summary>The dims a running benchmark test gave itself with Bench.Dim, by NUnit test id, until its record takes them.</summary>
internal sealed class BenchmarkDims
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, object?>> _byTest = new();

    /// <summary>The last value given for a name wins.</summary>
    public void Set(string testId, string name, object? scalar) => _byTest.GetOrAdd(testId, _ => new())[name] = scalar;

    /// <summary>The test's dims, removed (each test's record takes them once).</summary>
    public IReadOnlyDictionary<string, object?> Take(string testId) =>
        _byTest.TryRemove(testId, out var dims) ? dims : new Dictionary<string, object?>();
}
