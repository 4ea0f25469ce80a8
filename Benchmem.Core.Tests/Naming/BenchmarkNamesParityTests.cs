using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Running;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Naming;

/// <summary>
/// Benchmem's FullName, Type, Method and Parameters against BenchmarkDotNet 0.15.8's own: the benchmark classes below
/// are turned into BDN benchmark cases by BDN's converter, and each case's values (its [Params] as fixture arguments,
/// its [Arguments] as method arguments) are named by <see cref="BenchmarkNames"/>. BDN's culture-dependent texts are
/// produced under the invariant culture, the one Benchmem always uses.
/// </summary>
[SetCulture("")]
public class BenchmarkNamesParityTests
{
    public enum Shape { Square, Circle }
    [Flags] public enum Sides { None = 0, Left = 1, Right = 2 }

    public class Scalars
    {
        [Benchmark]
        [Arguments("a\"b", 'x', Shape.Square, 1.5, true, 5L)]
        [Arguments("", '\'', Shape.Circle, 0.1, false, long.MaxValue)]
        [Arguments("back\\slash\ttab\nline", '\n', Shape.Circle, 1e-7, true, -1L)]
        [Arguments(null, '\0', (Shape)7, double.NaN, false, 0L)]
        [Arguments("a string longer than twenty characters", '\u2028', Shape.Square, -0.0, true, 1L)]
        [Arguments("emoji \U0001F600 lone \ud800 sep \u2028 bell \a", 'é', Shape.Square, double.MaxValue, true, 1L)]
        public int Work(string? s, char c, Shape shape, double d, bool b, long l) => 0;

        [Benchmark]
        [Arguments(Sides.Left | Sides.Right)]
        [Arguments(Sides.None)]
        public int Flags(Sides sides) => 0;
    }

    public class Arrays
    {
        [Benchmark]
        [Arguments(new[] { 1, 2, 3 })]
        [Arguments(new int[0])]
        [Arguments(new[] { 1, 2, 3, 4, 5, 6, 7 })]
        public int Sum(int[] values) => 0;

        [Benchmark]
        [Arguments(new object[] { new[] { "x", "y" } })]
        public int Strings(string[] values) => 0;
    }

    public class WithParams
    {
        [Params(10, 20)] public int size;
        [Params("abc", null)] public string? name;

        [Benchmark] public int NoArgs() => size;

        [Benchmark]
        [Arguments(3)]
        [Arguments(4)]
        public int Both(int n) => n;
    }

    public class Outer
    {
        public class Nested
        {
            [Params(1.25, 3.0)] public double factor;
            [Benchmark] public int Run() => 0;
        }
    }

    [GenericTypeArguments(typeof(int))]
    [GenericTypeArguments(typeof(string))]
    public class Cache<T>
    {
        [Params(typeof(int), typeof(int?))] public Type? kind;
        [Benchmark] public int Get() => 0;
    }

    public class Sources
    {
        public static IEnumerable<object[]> Rows()
        {
            yield return [new DateTime(2026, 12, 2, 3, 11, 12, DateTimeKind.Utc), 7u];
            yield return [DateTime.MinValue, 0u];
        }

        [Benchmark]
        [ArgumentsSource(nameof(Rows))]
        public int Dated(DateTime at, uint count) => 0;
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        var types = new[] { typeof(Scalars), typeof(Arrays), typeof(WithParams), typeof(Outer.Nested), typeof(Cache<int>), typeof(Cache<string>), typeof(Sources) };
        foreach (var type in types)
            foreach (var c in BenchmarkConverter.TypeToBenchmarks(type).BenchmarksCases)
                yield return new TestCaseData(c).SetArgDisplayNames($"{BenchmarkNames.TypeName(type)}.{c.Descriptor.WorkloadMethod.Name}({c.Parameters.FolderInfo})");
    }

    [TestCaseSource(nameof(Cases))]
    public void NamesEqualBenchmarkDotNets(BenchmarkCase bdn)
    {
        var fixture = new List<BenchmarkNames.Argument>();
        var method = new List<BenchmarkNames.Argument>();
        foreach (var p in bdn.Parameters.Items)
            (p.IsArgument ? method : fixture).Add(new BenchmarkNames.Argument(p.Name, p.Definition.ParameterType, p.Value));
        var ours = BenchmarkNames.Of(bdn.Descriptor.Type, fixture, bdn.Descriptor.WorkloadMethod.Name, method);

        var bdnTypeName = (string)typeof(FullNameProvider).GetMethod("GetTypeName", BindingFlags.NonPublic | BindingFlags.Static)!
            .Invoke(null, [bdn.Descriptor.Type])!;
        Assert.Multiple(() =>
        {
            Assert.That(ours.FullName, Is.EqualTo(FullNameProvider.GetBenchmarkName(bdn)), "FullName");
            Assert.That(ours.Parameters, Is.EqualTo(bdn.Parameters.PrintInfo), "Parameters");
            Assert.That(ours.Type, Is.EqualTo(bdnTypeName), "Type");
            Assert.That(ours.Namespace, Is.EqualTo(bdn.Descriptor.Type.Namespace), "Namespace");
            Assert.That(ours.Method, Is.EqualTo(bdn.Descriptor.WorkloadMethodDisplayInfo), "MethodTitle");
        });
    }

    [Test]
    public void EveryShapeIsCovered()
    {
        // A converter that silently dropped a class would make the parity test above vacuous.
        Assert.That(Cases().Count(), Is.EqualTo(8 + 4 + 12 + 2 + 4 + 2));
    }

    [TestCase("a\"b", true, "\"a\\\"b\"")]
    [TestCase("tab\there", false, "tab\\there")]
    [TestCase("quote\"kept", false, "quote\"kept")]
    [TestCase("\u0085next", true, "\"\\u0085next\"")]
    public void LiteralsAreRoslyns(string text, bool quote, string expected)
    {
        Assert.That(CSharpLiteral.Of(text, quote), Is.EqualTo(expected));
        Assert.That(CSharpLiteral.Of(text, quote), Is.EqualTo(Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote)));
    }
}
