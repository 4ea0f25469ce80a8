using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Versioning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Benchmem.NUnit.Analyzers.Tests;

/// <summary>
/// Runs Benchmem's generator, then NUnit.Analyzers 4.15.0's real analyzers, on snippets and checks which diagnostics
/// end up suppressed by BMEM0001.
/// </summary>
public class BenchmarkReturnValueSuppressionTests
{
    private const string NUnit1007 = "NUnit1007";
    private const string NUnit1013 = "NUnit1013";

    private static string Fixture(string members, string usings = "using Benchmem.NUnit;") => $$"""
        using System.Threading.Tasks;
        using NUnit.Framework;
        {{usings}}

        public class Benchmarks
        {
        {{members}}
        }
        """;

    private static async Task<SnippetAnalysis.Result> AnalyzeValidAsync(string source, bool withGenerator = true)
    {
        var result = await SnippetAnalysis.AnalyzeAsync(source, withGenerator);
        Assert.That(result.CompilerDiagnostics, Is.Empty, "the snippet, and what the generator added, must compile cleanly");
        return result;
    }

    private static string? MethodOf(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree?.GetRoot().FindNode(diagnostic.Location.SourceSpan)
            .AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.Text;

    private static void AssertSuppressedByBmem0001(SnippetAnalysis.Result result, Diagnostic diagnostic)
    {
        Assert.That(diagnostic.Id, Is.EqualTo(NUnit1007).Or.EqualTo(NUnit1013));
        Assert.That(diagnostic.IsSuppressed, Is.True, result.Describe());
        Assert.That(result.Justification(diagnostic), Does.StartWith("BMEM0001: "), result.Describe());
        Assert.That(result.SuppressingAttribute(diagnostic)?.AttributeClass?.Name, Is.EqualTo("SuppressMessageAttribute"));
    }

    private static void AssertAllNUnit1007SuppressedByUs(SnippetAnalysis.Result result, int expectedCount = 1)
    {
        var nonVoid = result.AnalyzerDiagnostics.Where(d => d.Id == NUnit1007).ToList();
        Assert.That(nonVoid, Has.Count.EqualTo(expectedCount), result.Describe());
        foreach (var diagnostic in nonVoid)
            AssertSuppressedByBmem0001(result, diagnostic);
        Assert.That(result.AnalyzerDiagnostics.Where(d => !d.IsSuppressed && d.Severity >= DiagnosticSeverity.Warning),
            Is.Empty, "nothing left that would fail a warnings-as-errors build: " + result.Describe());
    }

    private static void AssertReportedNotSuppressed(SnippetAnalysis.Result result, string id, int expectedCount = 1)
    {
        var reported = result.AnalyzerDiagnostics.Where(d => d.Id == id).ToList();
        Assert.That(reported, Has.Count.EqualTo(expectedCount), result.Describe());
        Assert.That(reported.Select(d => d.IsSuppressed), Is.All.False, result.Describe());
    }

    [Test]
    public void NUnitAnalyzersAreLoadedAndReportNonVoidReturns()
    {
        var ids = SnippetAnalysis.NUnitAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();
        Assert.That(ids, Has.Count.GreaterThan(50), "all of nunit.analyzers.dll, not a handful");
        Assert.That(ids, Does.Contain(NUnit1007));
    }

    [Test]
    public void SuppressesOnlyTheReturnValueIdsWithATraceableJustification()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BenchmarkReturnValueSuppressionGenerator.SuppressedDiagnosticIds, Is.EqualTo(new[] { NUnit1007, NUnit1013 }));
            Assert.That(BenchmarkReturnValueSuppressionGenerator.SuppressionId, Is.EqualTo("BMEM0001"));
            Assert.That(BenchmarkReturnValueSuppressionGenerator.Justification,
                Does.StartWith("BMEM0001: ").And.Contain("kept alive").And.Contain("not compared"));
        });
    }

    [Test]
    public void AnalyzerAssemblyTargetsNetStandard20()
    {
        // The compiler that loads it may run on .NET Framework (Visual Studio, msbuild.exe) as well as on .NET.
        var framework = typeof(BenchmarkReturnValueSuppressionGenerator).Assembly.GetCustomAttribute<TargetFrameworkAttribute>();
        Assert.That(framework?.FrameworkName, Is.EqualTo(".NETStandard,Version=v2.0"));
    }

    /// <summary>
    /// Why this is not a DiagnosticSuppressor: NUnit1007 is an error by default, and the compiler never offers such a
    /// diagnostic to a suppressor. A suppressor that would suppress every NUnit1007 it is given is given none.
    /// </summary>
    [Test]
    public async Task NoDiagnosticSuppressorCanSuppressNUnit1007()
    {
        var descriptor = SnippetAnalysis.NUnitAnalyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == NUnit1007);
        Assert.That(descriptor.DefaultSeverity, Is.EqualTo(DiagnosticSeverity.Error));

        var suppressor = new SuppressEveryNUnit1007();
        var result = await SnippetAnalysis.AnalyzeAsync(
            Fixture("[Benchmark, TestCase(1)] public int M(int n) => n;"), withGenerator: false, suppressor);
        AssertReportedNotSuppressed(result, NUnit1007);
        Assert.That(suppressor.Offered, Is.Empty, "the compiler offered NUnit1007 to a DiagnosticSuppressor after all");
    }

    // (a) [TestCase] on a benchmark.
    [TestCase("[Benchmark, TestCase(1)] public int M(int n) => n;")]
    [TestCase("[Benchmark] [TestCase(1)] public int M(int n) => n;")]
    [TestCase("[TestCase(1), Benchmark()] public long M(int n) => n;")]
    [TestCase("[BenchmarkAttribute, TestCase(1)] public int M(int n) => n;")]
    [TestCase("[Benchmem.NUnit.Benchmark, TestCase(1)] public int M(int n) => n;")]
    [TestCase("[global::Benchmem.NUnit.BenchmarkAttribute] [TestCase(1)] public string M(int n) => n.ToString();")]
    [TestCase("[Benchmark, TestCase(1)] public static int M(int n) => n;")]
    [TestCase("[Benchmark, TestCase(1)] public object M(int n) { return new object(); }")]
    [TestCase("[Benchmark, TestCase(1, \"a\")] public (int, string) M(int n, string s) => (n, s);")]
    [TestCase("[Benchmark, TestCase(new[] { 1, 2 })] public int M(int[] values) => values.Length;")]
    public async Task SuppressedOnTestCaseBenchmark(string method)
    {
        var result = await AnalyzeValidAsync(Fixture(method));
        AssertAllNUnit1007SuppressedByUs(result);
    }

    [Test]
    public async Task SuppressedOnEveryTestCaseOfABenchmark()
    {
        var result = await AnalyzeValidAsync(Fixture("[Benchmark, TestCase(1), TestCase(2), TestCase(3)] public int M(int n) => n;"));
        var count = result.AnalyzerDiagnostics.Count(d => d.Id == NUnit1007);
        Assert.That(count, Is.GreaterThanOrEqualTo(1), result.Describe());
        AssertAllNUnit1007SuppressedByUs(result, count);
    }

    [Test]
    public async Task SuppressedWithAnAliasedAttribute()
    {
        var result = await AnalyzeValidAsync(Fixture("[Bench, TestCase(1)] public int M(int n) => n;",
            usings: "using BenchAttribute = Benchmem.NUnit.BenchmarkAttribute;"));
        AssertAllNUnit1007SuppressedByUs(result);
    }

    // (b) [Test] on a benchmark: NUnit.Analyzers 4.15.0 reports NUnit1007 there too.
    [TestCase("[Test, Benchmark] public int M() => 1;")]
    [TestCase("[Benchmark] [Test] public int M() => 1;")]
    [TestCase("[Test, Benchmark] public int M([Values(1, 2)] int n) => n;")]
    [TestCase("[Test, Benchmark] public int[] M() { var a = new int[8]; return a; }")]
    public async Task SuppressedOnTestBenchmark(string method)
    {
        var result = await AnalyzeValidAsync(Fixture(method));
        AssertAllNUnit1007SuppressedByUs(result);
    }

    [Test]
    public async Task SuppressedInNamespacesNestedAndGenericTypes()
    {
        var result = await AnalyzeValidAsync("""
            using NUnit.Framework;
            using Benchmem.NUnit;

            namespace Outer.Inner
            {
                [TestFixture(typeof(int))]
                public class Generic<T>
                {
                    [Test, Benchmark] public T Default() => default!;

                    public class Nested
                    {
                        [Benchmark, TestCase(1)] public int M(int n) => n;
                    }
                }
            }
            """);
        AssertAllNUnit1007SuppressedByUs(result, expectedCount: 2);
    }

    // (c) Without [Benchmark], NUnit1007 stays.
    [TestCase("[TestCase(1)] public int M(int n) => n;")]
    [TestCase("[Test] public int M() => 1;")]
    public async Task NotSuppressedWithoutBenchmark(string method)
    {
        var result = await AnalyzeValidAsync(Fixture(method));
        AssertReportedNotSuppressed(result, NUnit1007);
        Assert.That(result.GeneratedSource, Is.Null, "nothing to generate without a benchmark");
    }

    [Test]
    public async Task OnlyTheBenchmarkMethodIsSuppressed()
    {
        var result = await AnalyzeValidAsync(Fixture("""
            [Benchmark, TestCase(1)] public int Measured(int n) => n;
            [TestCase(1)] public int NotMeasured(int n) => n;
            [Test] public int AlsoNotMeasured() => 1;
            """));
        var byMethod = result.AnalyzerDiagnostics.Where(d => d.Id == NUnit1007).ToLookup(MethodOf);
        Assert.Multiple(() =>
        {
            Assert.That(byMethod["Measured"].Select(d => d.IsSuppressed), Is.EqualTo(new[] { true }), result.Describe());
            Assert.That(byMethod["NotMeasured"].Select(d => d.IsSuppressed), Is.EqualTo(new[] { false }), result.Describe());
            Assert.That(byMethod["AlsoNotMeasured"].Select(d => d.IsSuppressed), Is.EqualTo(new[] { false }), result.Describe());
        });
    }

    [Test]
    public async Task OnlyTheBenchmarkOverloadIsSuppressed()
    {
        // The suppression targets the method by its documentation id, parameters included.
        var result = await AnalyzeValidAsync(Fixture("""
            [Benchmark, TestCase(1)] public int M(int n) => n;
            [TestCase("a")] public int M(string s) => s.Length;
            """));
        var nonVoid = result.AnalyzerDiagnostics.Where(d => d.Id == NUnit1007).ToList();
        Assert.That(nonVoid, Has.Count.EqualTo(2), result.Describe());
        Assert.That(nonVoid.Count(d => d.IsSuppressed), Is.EqualTo(1), result.Describe());
        var suppressed = nonVoid.Single(d => d.IsSuppressed);
        AssertSuppressedByBmem0001(result, suppressed);
        Assert.That(result.SuppressingAttribute(suppressed)!.NamedArguments.Single(a => a.Key == "Target").Value.Value,
            Is.EqualTo("~M:Benchmarks.M(System.Int32)"));
    }

    [Test]
    public async Task NotSuppressedUnderAnotherLibrarysBenchmarkAttribute()
    {
        // Same simple name, other namespace: BenchmarkDotNet's [Benchmark] is the likely one in real code.
        var source = Fixture("[Benchmark, TestCase(1)] public int M(int n) => n;", usings: "using BenchmarkDotNet.Attributes;")
            + "\nnamespace BenchmarkDotNet.Attributes { public sealed class BenchmarkAttribute : System.Attribute {} }"
            + "\nnamespace Other.Benchmem.NUnit { public sealed class BenchmarkAttribute : System.Attribute {} }"
            + "\npublic class Nested { [Other.Benchmem.NUnit.Benchmark, Test] public int M() => 1; }";
        var result = await AnalyzeValidAsync(source);
        AssertReportedNotSuppressed(result, NUnit1007, expectedCount: 2);
        Assert.That(result.GeneratedSource, Is.Null, result.Describe());
    }

    [Test]
    public async Task NotSuppressedWhenTheAttributeDoesNotResolve()
    {
        // No 'using Benchmem.NUnit;': [Benchmark] is CS0246, which fails the build on its own; nothing is suppressed.
        var result = await SnippetAnalysis.AnalyzeAsync(Fixture("[Benchmark, TestCase(1)] public int M(int n) => n;", usings: ""));
        Assert.That(result.CompilerDiagnostics.Select(d => d.Id), Does.Contain("CS0246"));
        AssertReportedNotSuppressed(result, NUnit1007);
    }

    // (d) With ExpectedResult, or void, there is nothing to suppress, benchmark or not.
    [TestCase("[Benchmark, TestCase(1, ExpectedResult = 1)] public int M(int n) => n;")]
    [TestCase("[TestCase(1, ExpectedResult = 1)] public int M(int n) => n;")]
    [TestCase("[Benchmark, Test(ExpectedResult = 1)] public int M() => 1;")]
    [TestCase("[Test(ExpectedResult = 1)] public int M() => 1;")]
    [TestCase("[Benchmark, Test] public void M() { }")]
    [TestCase("[Benchmark, TestCase(1)] public void M(int n) { }")]
    public async Task NothingToSuppress(string method)
    {
        var result = await AnalyzeValidAsync(Fixture(method));
        Assert.That(result.AnalyzerDiagnostics, Is.Empty, result.Describe());
    }

    // Other diagnostics on a benchmark method are not touched.
    [TestCase("[Benchmark, TestCase(\"x\")] public int M(int n) => n;", "NUnit1001")]
    [TestCase("[Benchmark, TestCase(1, 2)] public int M(int n) => n;", "NUnit1004")]
    [TestCase("[Benchmark, TestCase(1, ExpectedResult = \"x\")] public int M(int n) => n;", "NUnit1005")]
    [TestCase("[Benchmark, TestCase(1, ExpectedResult = 1)] public void M(int n) { }", "NUnit1006")]
    [TestCase("[Benchmark, Test] public int M(int n) => n;", "NUnit1027")]
    public async Task OtherDiagnosticsOnABenchmarkAreNotSuppressed(string method, string id)
    {
        var result = await AnalyzeValidAsync(Fixture(method));
        AssertReportedNotSuppressed(result, id);
        Assert.That(result.AnalyzerDiagnostics.Where(d => d.IsSuppressed && d.Id != NUnit1007 && d.Id != NUnit1013), Is.Empty, result.Describe());
    }

    // Async benchmarks: Benchmem awaits the task in the loop and keeps its result, so NUnit1013 is suppressed too.
    [TestCase("[Benchmark, Test] public Task<int> M() => Task.FromResult(1);")]
    [TestCase("[Benchmark, Test] public async Task<int> M() { await Task.Yield(); return 1; }")]
    public async Task SuppressedOnAsyncBenchmark(string method)
    {
        var result = await AnalyzeValidAsync(Fixture(method));
        var async = result.AnalyzerDiagnostics.Where(d => d.Id == NUnit1013).ToList();
        Assert.That(async, Has.Count.EqualTo(1), result.Describe());
        AssertSuppressedByBmem0001(result, async[0]);
    }

    [Test]
    public async Task WithoutTheGeneratorNUnit1007IsAnError()
    {
        // The baseline this exists for: the same benchmark, NUnit.Analyzers alone.
        var result = await AnalyzeValidAsync(Fixture("[Benchmark, TestCase(1)] public int M(int n) => n;"), withGenerator: false);
        AssertReportedNotSuppressed(result, NUnit1007);
        Assert.That(result.AnalyzerDiagnostics.Single(d => d.Id == NUnit1007).Severity, Is.EqualTo(DiagnosticSeverity.Error));
    }

    [Test]
    public async Task GeneratesOneOrderedSuppressionPerBenchmark()
    {
        var result = await AnalyzeValidAsync(Fixture("""
            [Test, Benchmark] public int B() => 1;
            [Benchmark, TestCase(1)] public int A(int n) => n;
            [Benchmark, Test] public void Void() { }
            """));
        Assert.That(result.GeneratedSource, Is.Not.Null);
        var lines = result.GeneratedSource!.Split('\n')
            .Where(l => l.StartsWith("[assembly:", StringComparison.Ordinal) && l.Contains("\"NUnit1007\"")).ToList();
        Assert.That(lines, Has.Count.EqualTo(2), result.GeneratedSource);
        Assert.That(lines[0], Does.Contain("\"NUnit1007\"").And.Contain("Target = \"~M:Benchmarks.A(System.Int32)\""));
        Assert.That(lines[1], Does.Contain("\"NUnit1007\"").And.Contain("Target = \"~M:Benchmarks.B\""));
        Assert.That(result.GeneratedSource, Does.StartWith("// <auto-generated/>"));
    }

    /// <summary>Would suppress every NUnit1007 the compiler offers it, and records what it was offered.</summary>
#pragma warning disable RS1001 // No [DiagnosticAnalyzer]: only these tests instantiate it, no compiler should find it.
    private sealed class SuppressEveryNUnit1007 : DiagnosticSuppressor
#pragma warning restore RS1001
    {
        private static readonly SuppressionDescriptor Descriptor = new("TEST0001", NUnit1007, "test");
        public ConcurrentBag<Diagnostic> Offered { get; } = [];
        public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions => [Descriptor];

        public override void ReportSuppressions(SuppressionAnalysisContext context)
        {
            foreach (var diagnostic in context.ReportedDiagnostics)
            {
                Offered.Add(diagnostic);
                context.ReportSuppression(Suppression.Create(Descriptor, diagnostic));
            }
        }
    }
}
