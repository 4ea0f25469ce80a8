using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit;

/// <summary>Calls a benchmark test can make about itself.</summary>
public static class Bench
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, object?>> DimsByTest = new();

    /// <summary>
    /// Adds an analysis axis to the current benchmark, e.g. <c>Bench.Dim("phase", "to_lp")</c>. Values must be
    /// scalars (numbers, strings, bools, enums); the last value given for a name wins.
    /// </summary>
    public static void Dim(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Identity.TryScalar(value, out var scalar))
            throw new ArgumentException($"Bench.Dim(\"{name}\", …): a {value!.GetType().Name} is not a scalar; pass a number, string, bool or enum that stands for it.", nameof(value));
        var id = TestExecutionContext.CurrentContext.CurrentTest.Id;
        DimsByTest.GetOrAdd(id, _ => new())[name] = scalar;
    }

    /// <summary>
    /// Keeps a value alive so the JIT cannot drop the work that made it. Use it in void benchmarks, e.g. in
    /// [TestCase] rows when the project opts out of Benchmem's return-value support.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Consume<T>(T value) => Sink<T>.Value = value; // a static store per type: no boxing, no allocation

    private static class Sink<T>
    {
        public static T? Value;
    }

    internal static IReadOnlyDictionary<string, object?> TakeDims(string testId) =>
        DimsByTest.TryRemove(testId, out var dims) ? dims : new Dictionary<string, object?>();
}
