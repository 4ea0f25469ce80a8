using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Benchmem.NUnit.Analyzers;

/// <summary>
/// BMEM0003: a <c>[Benchmem.NUnit.ZeroAlloc]</c> method's body allocates where the code says so: boxing a value, a delegate
/// (a lambda, with its closure when it captures, or a method group), a <c>params</c> array, a LINQ call (its iterators and
/// delegates), or a new object or array. The run-time check (exactly 0 objects in every memory pass) catches what the
/// body's callees allocate; this catches the body's own allocations before the run.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ZeroAllocAnalyzer : DiagnosticAnalyzer
{
    public const string DiagnosticId = "BMEM0003";
    public const string ZeroAllocAttributeMetadataName = "Benchmem.NUnit.ZeroAllocAttribute";

    private static readonly DiagnosticDescriptor Rule = new(
        DiagnosticId,
        "An allocation in a [ZeroAlloc] method",
        "{0} in [ZeroAlloc] method '{1}' allocates: {2}",
        "Benchmem",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A [ZeroAlloc] benchmark must allocate no object; the run-time check fails it on any allocation in a memory pass.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var zeroAlloc = start.Compilation.GetTypeByMetadataName(ZeroAllocAttributeMetadataName);
            if (zeroAlloc is null)
                return;
            var enumerable = start.Compilation.GetTypeByMetadataName("System.Linq.Enumerable");
            start.RegisterOperationAction(o => Check(o, zeroAlloc, enumerable),
                OperationKind.Conversion, OperationKind.DelegateCreation, OperationKind.Invocation, OperationKind.ObjectCreation,
                OperationKind.ArrayCreation, OperationKind.AnonymousObjectCreation);
        });
    }

    private static void Check(OperationAnalysisContext context, INamedTypeSymbol zeroAlloc, INamedTypeSymbol? enumerable)
    {
        var why = Why(context.Operation, enumerable);
        if (why is null)
            return;
        // The method the code sits in: its own body, or a lambda or local function inside it.
        var method = context.Operation.Syntax.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        var body = (SyntaxNode?)method?.Body ?? method?.ExpressionBody;
        if (method is null || body is null || !body.Span.Contains(context.Operation.Syntax.Span) // the body, not its attributes
            || context.Operation.SemanticModel?.GetDeclaredSymbol(method, context.CancellationToken) is not IMethodSymbol declared
            || !declared.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, zeroAlloc)))
            return;
        var text = context.Operation.Syntax.ToString();
        if (text.Length > 60)
            text = text.Substring(0, 57) + "...";
        context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), $"'{text}'", declared.Name, why));
    }

    /// <summary>A params argument with no values: the compiler passes Array.Empty, which allocates nothing.</summary>
    private static bool EmptyArray(IOperation value) =>
        value is IArrayCreationOperation creation && creation.DimensionSizes.Length == 1
        && creation.DimensionSizes[0].ConstantValue is { HasValue: true, Value: 0 };

    private static string? Why(IOperation operation, INamedTypeSymbol? enumerable)
    {
        switch (operation)
        {
            case IConversionOperation { Operand.Type: { IsValueType: true } from, Type: { IsReferenceType: true } to } when from.TypeKind != TypeKind.Pointer:
                return $"boxing a {from.ToDisplayString()} into {to.ToDisplayString()}; keep the value typed (a generic parameter, an overload for it)";
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation }:
                return "a lambda is a delegate (and a closure object when it captures); pass a static method or state another way";
            case IDelegateCreationOperation:
                return "a method group converted to a delegate is a new delegate each time; cache it in a static field";
            case IInvocationOperation invocation when enumerable is not null
                && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, enumerable):
                return $"LINQ's {invocation.TargetMethod.Name} makes iterator and delegate objects; write the loop";
            case IInvocationOperation invocation when invocation.Arguments.Any(a => a.ArgumentKind == ArgumentKind.ParamArray && !EmptyArray(a.Value)):
                return $"a params array for {invocation.TargetMethod.Name}; call an overload without params, or pass a cached array";
            case IObjectCreationOperation { Type.IsReferenceType: true } creation:
                return $"a new {creation.Type!.ToDisplayString()}; create it once outside the benchmark";
            case IArrayCreationOperation when operation.Parent is not IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray }:
                return "a new array; allocate it once outside the benchmark (or use stackalloc into a Span)";
            case IAnonymousObjectCreationOperation:
                return "a new anonymous object; use a value tuple";
            default:
                return null;
        }
    }
}
