using System.Reflection;

namespace Benchmem.NUnit.Tests.Session;

/// <summary>A benchmark's names and dims from its fixture, method and arguments (never from NUnit's test names).</summary>
public class IdentityTests
{
    public enum Mode { Fast, Slow }

    public sealed class Fixture(int size, string label)
    {
        public int Size { get; } = size;
        public string Label { get; } = label;

        public int Sum(int n, Mode mode, int[] data) => n + data.Length + (int)mode;

        public void Plain() { }
    }

    private static MethodInfo Method(string name) => typeof(Fixture).GetMethod(name)!;

    [Test]
    public void APlainMethodIsNamedNamespaceTypeMethod()
    {
        var parts = Identity.Of(typeof(Fixture), [], Method(nameof(Fixture.Plain)), []);

        Assert.That((parts.Namespace, parts.Type, parts.Method, parts.Parameters, parts.FullName), Is.EqualTo((
            "Benchmem.NUnit.Tests.Session", "Fixture", "Plain", "", "Benchmem.NUnit.Tests.Session.IdentityTests+Fixture.Plain")),
            "BenchmarkDotNet's names: the nesting in FullName only");
        Assert.That(parts.Dims, Is.Empty);
    }

    [Test]
    public void ScalarArgumentsOfFixtureAndMethodBecomeDimsByParameterName()
    {
        var parts = Identity.Of(typeof(Fixture), [64, "big"], Method(nameof(Fixture.Sum)), [3, Mode.Slow, new[] { 1, 2 }]);

        Assert.That(parts.Dims, Is.EquivalentTo(new Dictionary<string, object?> { ["size"] = 64L, ["label"] = "big", ["n"] = 3L, ["mode"] = "Slow" }),
            "the array is not a scalar, so not a dim");
        Assert.That(parts.Parameters, Is.EqualTo("size=64&label=big&n=3&mode=Slow&data=Int32[2]"), "the fixture's first");
        Assert.That(parts.FullName, Is.EqualTo("Benchmem.NUnit.Tests.Session.IdentityTests+Fixture.Sum(n: 3, mode: Slow, data: [1, 2], size: 64, label: \"big\")"),
            "the method's arguments first");
    }

    [Test]
    public void ARecordCarriesTheIdentityAndWhatWasMeasured()
    {
        var parts = Identity.Of(typeof(Fixture), [], Method(nameof(Fixture.Plain)), []);

        var record = parts.ToRecord(group: "g", optimized: false);

        Assert.That((record.FullName, record.Namespace, record.Type, record.Method, record.Group, record.Optimized, record.Timing),
            Is.EqualTo((parts.FullName, parts.Namespace, parts.Type, parts.Method, "g", false, (Core.Results.TimingResult?)null)));
    }

    [TestCase(7, 7L)]
    [TestCase((byte)7, 7L)]
    [TestCase(7u, 7L)]
    [TestCase(2.5f, 2.5)]
    [TestCase(true, true)]
    [TestCase('x', "x")]
    [TestCase("s", "s")]
    [TestCase(Mode.Fast, "Fast")]
    public void ScalarsAreNormalised(object value, object expected)
    {
        Assert.That(Identity.TryScalar(value, out var scalar), Is.True);
        Assert.That(scalar, Is.EqualTo(expected).And.TypeOf(expected.GetType()));
    }

    [Test]
    public void LargeUnsignedBecomesADouble_NullIsAScalar_ArraysAreNot()
    {
        Assert.That(Identity.TryScalar(ulong.MaxValue, out var big) && big is double d && d == ulong.MaxValue, Is.True);
        Assert.That(Identity.TryScalar(null, out var none) && none is null, Is.True);
        Assert.That(Identity.TryScalar(new[] { 1 }, out var array), Is.False);
        Assert.That(array, Is.Null);
    }
}
