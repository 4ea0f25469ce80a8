using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Benchmem.NUnit.Analyzers;

/// <summary>
/// Keeps NUnit.Analyzers' NUnit1007 ("The method has non-void return type, but no result is expected in
/// ExpectedResult") off <c>[Benchmem.NUnit.Benchmark]</c> methods. A benchmark may return a value so the JIT cannot
/// drop the work that computes it; Benchmem keeps that value alive and never compares it, so there is no
/// ExpectedResult to give. NUnit.Analyzers reports NUnit1007 for both <c>[Test]</c> and <c>[TestCase]</c> methods.
/// </summary>
/// <remarks>
/// <para>
/// Why a generator and not a <c>DiagnosticSuppressor</c>: NUnit1007's descriptor has <c>DefaultSeverity = Error</c>,
/// and the compiler never hands a diagnostic whose <em>default</em> severity is Error to a suppressor
/// (<c>AnalyzerDriver.ApplyProgrammaticSuppressionsCore</c> filters on <c>d.DefaultSeverity != Error</c>, by design
/// of the suppressor feature; lowering the severity in .editorconfig does not change the descriptor's default). Source
/// suppression does apply to analyzer errors, so this generator writes one assembly-level
/// <see cref="System.Diagnostics.CodeAnalysis.SuppressMessageAttribute"/> per benchmark, scoped to that method and
/// to NUnit1007 only. The tests prove both halves against the real compiler and NUnit.Analyzers.
/// </para>
/// <para>
/// The suppression is traceable: its justification starts with <see cref="SuppressionId"/> (BMEM0001), which a build
/// log's or SARIF file's suppression record shows.
/// </para>
/// <para>
/// NUnit1007 and its async sibling NUnit1013 (<c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c> returned with no
/// ExpectedResult: Benchmem awaits the task inside the measurement and keeps its result alive too) are suppressed.
/// Every other diagnostic on a benchmark method (wrong TestCase arguments, a mistyped ExpectedResult, ...) still reports.
/// </para>
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class BenchmarkReturnValueSuppressionGenerator : IIncrementalGenerator
{
    /// <summary>Benchmem's id for this suppression: the prefix of every generated justification.</summary>
    public const string SuppressionId = "BMEM0001";

    /// <summary>NUnit.Analyzers: "The method has non-void return type, but no result is expected in ExpectedResult".</summary>
    public const string NonVoidReturnWithoutExpectedResultId = "NUnit1007";

    /// <summary>NUnit.Analyzers: an async method returns a value but no result is expected.</summary>
    public const string AsyncReturnWithoutExpectedResultId = "NUnit1013";

    /// <summary>The NUnit.Analyzers ids suppressed on a benchmark method; nothing else is.</summary>
    public static readonly ImmutableArray<string> SuppressedDiagnosticIds =
        ImmutableArray.Create(NonVoidReturnWithoutExpectedResultId, AsyncReturnWithoutExpectedResultId);

    public const string Justification =
        SuppressionId + ": Benchmem times the return value of a [Benchmark] method; it is kept alive so the JIT cannot drop the work, not compared with an expected result";

    /// <summary>Metadata name of the attribute that marks a benchmark.</summary>
    public const string BenchmarkAttributeMetadataName = "Benchmem.NUnit.BenchmarkAttribute";

    /// <summary>Hint name of the one generated file (only produced when the compilation has a benchmark to cover).</summary>
    public const string HintName = "Benchmem.NUnit.BenchmarkSuppressions.g.cs";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // ForAttributeWithMetadataName binds each attribute with the semantic model, so only an attribute whose type
        // resolves to Benchmem.NUnit.BenchmarkAttribute counts (written [Benchmark], [BenchmarkAttribute], fully
        // qualified or through an alias alike). There is deliberately no syntactic fallback that would trust
        // "[Benchmark]" plus "using Benchmem.NUnit;" when the type does not resolve:
        //  - an attribute whose type does not resolve is already a compiler error (CS0246), so the build fails
        //    whether or not NUnit1007 is suppressed: a fallback would win nothing;
        //  - a syntactic match would also cover another library's [Benchmark], such as BenchmarkDotNet's
        //    BenchmarkDotNet.Attributes.BenchmarkAttribute, common in the same code bases, whose methods NUnit would
        //    still reject at run time.
        var targets = context.SyntaxProvider.ForAttributeWithMetadataName(
                BenchmarkAttributeMetadataName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, _) => SuppressionTarget(ctx.TargetSymbol))
            .Where(static target => target is not null)
            .Collect();

        context.RegisterSourceOutput(targets, static (spc, collected) =>
        {
            var distinct = collected.Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray();
            if (distinct.Length == 0)
                return;
            spc.AddSource(HintName, Render(distinct!, spc.CancellationToken));
        });
    }

    /// <summary>The SuppressMessage target ("~" + documentation comment id) of a non-void method; null otherwise.</summary>
    private static string? SuppressionTarget(ISymbol symbol)
    {
        if (symbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, ReturnsVoid: false } method)
            return null;
        var id = method.GetDocumentationCommentId();
        return id is null ? null : "~" + id;
    }

    private static string Render(string[] targets, CancellationToken cancellationToken)
    {
        var justification = SymbolDisplay.FormatLiteral(Justification, quote: true);
        var sb = new StringBuilder();
        sb.Append("// <auto-generated/>\n");
        sb.Append("// Benchmem.NUnit (").Append(SuppressionId).Append("): a [Benchmark] method may return a value, which Benchmem keeps alive\n");
        sb.Append("// instead of comparing it, so NUnit.Analyzers' non-void-return diagnostics do not apply to it.\n");
        foreach (var target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var id in SuppressedDiagnosticIds)
            {
                sb.Append("[assembly: global::System.Diagnostics.CodeAnalysis.SuppressMessageAttribute(\"NUnit.Analyzers\", ")
                    .Append(SymbolDisplay.FormatLiteral(id, quote: true))
                    .Append(", Scope = \"member\", Target = ")
                    .Append(SymbolDisplay.FormatLiteral(target, quote: true))
                    .Append(", Justification = ")
                    .Append(justification)
                    .Append(")]\n");
            }
        }
        return sb.ToString();
    }
}
