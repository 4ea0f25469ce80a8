using Benchmem.NUnit.Analyzers;
using Microsoft.CodeAnalysis;

namespace Benchmem.NUnit.Analyzers.Tests;

/// <summary>BMEM0002 on snippets compiled against the real nunit.framework.dll, beside NUnit.Analyzers' analyzers.</summary>
public class AssertionInBenchmarkAnalyzerTests
{
    private static async Task<List<Diagnostic>> Bmem0002Async(string members)
    {
        string source = $$"""
            using System.Collections.Generic;
            using NUnit.Framework;
            using Benchmem.NUnit;

            public class Benchmarks
            {
                private readonly Dictionary<string, int> _map = new() { ["key500"] = 500 };
            {{members}}
            }
            """;
        var result = await SnippetAnalysis.AnalyzeAsync(source, withGenerator: true, new AssertionInBenchmarkAnalyzer());
        Assert.That(result.CompilerDiagnostics, Is.Empty, result.Describe());
        return result.AnalyzerDiagnostics.Where(d => d.Id == AssertionInBenchmarkAnalyzer.DiagnosticId).ToList();
    }

    [Test]
    public async Task AnAssertThatInABenchmarkBodyIsReportedWithTheFix()
    {
        // The example suite's DictionaryLookup before issue 16's fix.
        var found = await Bmem0002Async("""
                [Benchmark]
                public int DictionaryLookup()
                {
                    int value = _map["key500"];
                    Assert.That(value, Is.EqualTo(500));
                    return value;
                }
            """);
        var d = found.Single();
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
        Assert.That(d.GetMessage(), Is.EqualTo("'Assert.That' runs on every timed call of benchmark 'DictionaryLookup', so its time and "
            + "allocations are measured with the benchmark; check the result in a separate [Test] (or with ExpectedResult) instead"));
        Assert.That(d.Location.GetLineSpan().StartLinePosition.Line, Is.EqualTo(11), "on the Assert.That line");
    }

    [Test]
    public async Task EveryAssertionEntryPointCountsInsideLambdasToo()
    {
        var found = await Bmem0002Async("""
                [Benchmark]
                [TestCase(3)]
                public int Several(int n)
                {
                    Assume.That(n, Is.Positive);
                    Assert.Multiple(() => Assert.That(n, Is.LessThan(10)));
                    Warn.If(n > 5);
                    return n;
                }
            """);
        Assert.That(found.Select(d => d.GetMessage().Split('\'')[1]), Is.EqualTo(new[] { "Assume.That", "Assert.Multiple", "Assert.That", "Warn.If" }));
    }

    [Test]
    public async Task AssertionsOutsideBenchmarksAreLeftAlone()
    {
        var found = await Bmem0002Async("""
                [Benchmark]
                public int Lookup() => _map["key500"];

                [Test]
                public void LookupFindsTheValue() => Assert.That(Lookup(), Is.EqualTo(500));

                [SetUp]
                public void Check() => Assert.That(_map, Has.Count.EqualTo(1));
            """);
        Assert.That(found, Is.Empty);
    }

    [Test]
    public async Task WithoutBenchmemNothingIsReported()
    {
        var result = await SnippetAnalysis.AnalyzeAsync("""
            using NUnit.Framework;
            public class Plain { [Test] public void T() => Assert.That(1, Is.EqualTo(1)); }
            """, withGenerator: false, new AssertionInBenchmarkAnalyzer());
        Assert.That(result.AnalyzerDiagnostics.Where(d => d.Id == AssertionInBenchmarkAnalyzer.DiagnosticId), Is.Empty);
    }
}
