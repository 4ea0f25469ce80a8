using Benchmem.NUnit.Analyzers;
using Microsoft.CodeAnalysis;

namespace Benchmem.NUnit.Analyzers.Tests;

/// <summary>BMEM0003 on snippets: each kind of allocation the issue names in a [ZeroAlloc] body, and nothing elsewhere.</summary>
public class ZeroAllocAnalyzerTests
{
    private static async Task<List<Diagnostic>> Bmem0003Async(string members)
    {
        string source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using NUnit.Framework;
            using Benchmem.NUnit;

            namespace Benchmem.NUnit { public sealed class ZeroAllocAttribute : System.Attribute {} }

            public class Benchmarks
            {
                private readonly int[] _data = { 1, 2, 3 };
                private static int Sum(params int[] values) { int s = 0; foreach (var v in values) s += v; return s; }
            {{members}}
            }
            """;
        var result = await SnippetAnalysis.AnalyzeAsync(source, withGenerator: true, new ZeroAllocAnalyzer());
        Assert.That(result.CompilerDiagnostics, Is.Empty, result.Describe());
        return [.. result.AnalyzerDiagnostics.Where(d => d.Id == ZeroAllocAnalyzer.DiagnosticId).OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Location.SourceSpan.Length)];
    }

    [Test]
    public async Task EachAllocationKindIsReportedWithItsFix()
    {
        var found = await Bmem0003Async("""
                [Benchmark, ZeroAlloc]
                public int Allocating()
                {
                    object boxed = _data[0];
                    int offset = 1;
                    Func<int, int> add = x => x + offset;
                    int total = Sum(1, 2, 3);
                    total += _data.Where(x => x > 1).Count();
                    var list = new List<int>();
                    return total + add(2) + list.Count + boxed.GetHashCode();
                }
            """);
        Assert.That(found.Select(d => d.GetMessage()), Is.EqualTo(new[]
        {
            "'_data[0]' in [ZeroAlloc] method 'Allocating' allocates: boxing a int into object; keep the value typed (a generic parameter, an overload for it)",
            "'x => x + offset' in [ZeroAlloc] method 'Allocating' allocates: a lambda is a delegate (and a closure object when it captures); pass a static method or state another way",
            "'Sum(1, 2, 3)' in [ZeroAlloc] method 'Allocating' allocates: a params array for Sum; call an overload without params, or pass a cached array",
            "'_data.Where(x => x > 1)' in [ZeroAlloc] method 'Allocating' allocates: LINQ's Where makes iterator and delegate objects; write the loop",
            "'_data.Where(x => x > 1).Count()' in [ZeroAlloc] method 'Allocating' allocates: LINQ's Count makes iterator and delegate objects; write the loop",
            "'x => x > 1' in [ZeroAlloc] method 'Allocating' allocates: a lambda is a delegate (and a closure object when it captures); pass a static method or state another way",
            "'new List<int>()' in [ZeroAlloc] method 'Allocating' allocates: a new System.Collections.Generic.List<int>; create it once outside the benchmark",
        }));
        Assert.That(found.Select(d => d.Severity).Distinct(), Is.EqualTo(new[] { DiagnosticSeverity.Warning }));
    }

    [Test]
    public async Task AllocationFreeCodeAndOtherMethodsAreLeftAlone()
    {
        var found = await Bmem0003Async("""
                [Benchmark, ZeroAlloc]
                public int Clean()
                {
                    int total = 0;
                    foreach (var x in _data)
                        total += x;
                    Span<int> buffer = stackalloc int[4];
                    buffer[0] = total;
                    return buffer[0] + Sum();
                }

                [Benchmark]
                public object NotZeroAlloc() => _data.Select(x => (object)x).ToList();
            """);
        Assert.That(found, Is.Empty, string.Join("\n", found.Select(d => d.GetMessage())));
    }
}
