using System.Collections.Immutable;
using System.Reflection;
using Benchmem.NUnit.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Benchmem.NUnit.Analyzers.Tests;

/// <summary>
/// Compiles a C# snippet the way csc compiles a user's test project: NUnit's nunit.framework.dll and a stub of
/// <c>Benchmem.NUnit.BenchmarkAttribute</c> referenced, <see cref="BenchmarkReturnValueSuppressionGenerator"/> run
/// first (as the compiler runs generators before analyzers), then NUnit.Analyzers' real analyzers (plus any extra
/// analyzer or suppressor) over the result, reporting suppressed diagnostics too.
/// </summary>
internal static class SnippetAnalysis
{
    /// <summary>The attribute users put on benchmarks; the real one lives in Benchmem.NUnit.</summary>
    public const string BenchmarkAttributeStub =
        "namespace Benchmem.NUnit { public sealed class BenchmarkAttribute : System.Attribute {} }";

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> NUnitAnalyzersLazy = new(LoadNUnitAnalyzers);
    private static readonly Lazy<ImmutableArray<MetadataReference>> ReferencesLazy = new(LoadReferences);

    /// <summary>Every C# analyzer in NUnit.Analyzers' nunit.analyzers.dll, found as the compiler finds them.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> NUnitAnalyzers => NUnitAnalyzersLazy.Value;

    public static string NUnitAnalyzersPath =>
        Path.Combine(AppContext.BaseDirectory, "nunit.analyzers", "nunit.analyzers.dll");

    public sealed record Result(
        Compilation Compilation,
        string? GeneratedSource,
        ImmutableArray<Diagnostic> CompilerDiagnostics,
        ImmutableArray<Diagnostic> AnalyzerDiagnostics)
    {
        /// <summary>The SuppressMessage attribute that suppressed <paramref name="diagnostic"/> in source, if one did.</summary>
        public AttributeData? SuppressingAttribute(Diagnostic diagnostic) =>
            diagnostic.GetSuppressionInfo(Compilation)?.Attribute;

        /// <summary>Ids of the DiagnosticSuppressors that suppressed <paramref name="diagnostic"/>, empty when none did.</summary>
        public ImmutableArray<string> ProgrammaticallySuppressedBy(Diagnostic diagnostic) =>
            diagnostic.GetSuppressionInfo(Compilation) is { } info
                ? info.ProgrammaticSuppressions.Select(s => s.Descriptor.Id).ToImmutableArray()
                : ImmutableArray<string>.Empty;

        /// <summary>The justification of whatever suppressed <paramref name="diagnostic"/>; null when nothing did.</summary>
        public string? Justification(Diagnostic diagnostic) =>
            SuppressingAttribute(diagnostic)?.NamedArguments.FirstOrDefault(a => a.Key == "Justification").Value.Value as string;

        public string Describe() => string.Join(Environment.NewLine, AnalyzerDiagnostics.Select(d =>
            $"{d.Id} suppressed={d.IsSuppressed} justification=[{Justification(d)}] by=[{string.Join(",", ProgrammaticallySuppressedBy(d))}] {d.GetMessage()} @ {d.Location.GetLineSpan()}"))
            + Environment.NewLine + "generated:" + Environment.NewLine + GeneratedSource;
    }

    /// <summary>Analyzes <paramref name="source"/> (a whole file; the stub is added as a second file).</summary>
    /// <param name="withGenerator">Run Benchmem's generator first, as a project referencing Benchmem.NUnit does.</param>
    /// <param name="extraAnalyzers">Analyzers or suppressors to run beside NUnit.Analyzers'.</param>
    public static async Task<Result> AnalyzeAsync(string source, bool withGenerator = true, params DiagnosticAnalyzer[] extraAnalyzers)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [
                CSharpSyntaxTree.ParseText(source, parseOptions, path: "Snippet.cs"),
                CSharpSyntaxTree.ParseText(BenchmarkAttributeStub, parseOptions, path: "BenchmarkAttribute.cs"),
            ],
            ReferencesLazy.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        string? generatedSource = null;
        if (withGenerator)
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create(
                [new BenchmarkReturnValueSuppressionGenerator().AsSourceGenerator()], parseOptions: parseOptions);
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out var generatorDiagnostics);
            if (!generatorDiagnostics.IsEmpty)
                throw new InvalidOperationException("The generator reported: " + string.Join(Environment.NewLine, generatorDiagnostics));
            var run = driver.GetRunResult().Results.Single();
            if (run.Exception is not null)
                throw new InvalidOperationException("The generator threw", run.Exception);
            generatedSource = run.GeneratedSources.SingleOrDefault().SourceText?.ToString();
            compilation = (CSharpCompilation)withGenerated;
        }

        var compilerDiagnostics = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

        var analyzers = NUnitAnalyzers.AddRange(extraAnalyzers);
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (ex, analyzer, _) => { lock (exceptions) exceptions.Add($"{analyzer}: {ex}"); },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var analyzerDiagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        if (exceptions.Count > 0)
            throw new InvalidOperationException("An analyzer threw:" + Environment.NewLine + string.Join(Environment.NewLine, exceptions));

        return new Result(compilation, generatedSource, compilerDiagnostics, analyzerDiagnostics);
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadNUnitAnalyzers()
    {
        var path = NUnitAnalyzersPath;
        if (!File.Exists(path))
            throw new FileNotFoundException("nunit.analyzers.dll was not copied beside the tests", path);
        var reference = new AnalyzerFileReference(path, new DefaultContextLoader());
        reference.AnalyzerLoadFailed += (_, e) => throw new InvalidOperationException($"Loading {path} failed: {e.Message}", e.Exception);
        return reference.GetAnalyzers(LanguageNames.CSharp);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The running framework's assemblies (implementation assemblies are fine for compiling snippets) and NUnit's.
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal))
            .Append(typeof(TestAttribute).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    /// <summary>
    /// Loads analyzer assemblies into the default context: their Microsoft.CodeAnalysis references then bind to the
    /// Roslyn the tests run on (4.14.0), whatever older version NUnit.Analyzers was built against.
    /// </summary>
    private sealed class DefaultContextLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath) { }
        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
