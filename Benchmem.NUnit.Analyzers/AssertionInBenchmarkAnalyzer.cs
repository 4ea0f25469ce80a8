using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Benchmem.NUnit.Analyzers;

/// <summary>
/// BMEM0002: a <c>[Benchmem.NUnit.Benchmark]</c> method calls an NUnit assertion (<c>Assert.That</c>,
/// <c>ClassicAssert.AreEqual</c>, <c>Assume.That</c>, …). The body is the benchmark: it runs on every timed call,
/// so the assertion's own time and allocations are measured with it (issue 16: a dictionary lookup of 16 ns and 0 B/op read
/// 133 ns and 344 B/op with an <c>Assert.That</c> beside it). Check the result in a separate <c>[Test]</c>, or with
/// <c>ExpectedResult</c>, instead.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AssertionInBenchmarkAnalyzer : DiagnosticAnalyzer
{
    public const string DiagnosticId = "BMEM0002";

    /// <summary>NUnit's assertion entry points: every call to a static member of one of these is an assertion.</summary>
    public static readonly ImmutableArray<string> AssertionTypes = ImmutableArray.Create(
        "NUnit.Framework.Assert",
        "NUnit.Framework.Assume",
        "NUnit.Framework.Warn",
        "NUnit.Framework.Legacy.ClassicAssert",
        "NUnit.Framework.Legacy.StringAssert",
        "NUnit.Framework.Legacy.CollectionAssert",
        "NUnit.Framework.Legacy.FileAssert",
        "NUnit.Framework.Legacy.DirectoryAssert",
        "NUnit.Framework.StringAssert",
        "NUnit.Framework.CollectionAssert",
        "NUnit.Framework.FileAssert",
        "NUnit.Framework.DirectoryAssert");

    private static readonly DiagnosticDescriptor Rule = new(
        DiagnosticId,
        "An NUnit assertion inside a benchmark is measured with it",
        "'{0}' runs on every timed call of benchmark '{1}', so its time and allocations are measured with the benchmark; "
            + "check the result in a separate [Test] (or with ExpectedResult) instead",
        "Benchmem",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A [Benchmark] method's body is timed call after call; assertions in it are part of what is measured.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var benchmark = start.Compilation.GetTypeByMetadataName(BenchmarkReturnValueSuppressionGenerator.BenchmarkAttributeMetadataName);
            if (benchmark is null)
                return; // no Benchmem in this compilation
            var assertionTypes = AssertionTypes.Select(start.Compilation.GetTypeByMetadataName)
                .Where(t => t is not null).Cast<INamedTypeSymbol>().ToImmutableHashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            if (assertionTypes.IsEmpty)
                return;
            start.RegisterSyntaxNodeAction(node => Check(node, benchmark, assertionTypes), SyntaxKind.InvocationExpression);
        });
    }

    private static void Check(SyntaxNodeAnalysisContext context, INamedTypeSymbol benchmark, ImmutableHashSet<INamedTypeSymbol> assertionTypes)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol called
            || !assertionTypes.Contains(called.ContainingType.OriginalDefinition))
            return;
        // The benchmark the call sits in: its own body, or a lambda or local function inside it (which it calls).
        var method = invocation.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (method is null || context.SemanticModel.GetDeclaredSymbol(method, context.CancellationToken) is not IMethodSymbol declared
            || !declared.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, benchmark)))
            return;
        context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.GetLocation(), $"{called.ContainingType.Name}.{called.Name}", declared.Name));
    }
}
