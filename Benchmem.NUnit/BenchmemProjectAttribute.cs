using NUnit.Framework;

namespace Benchmem.NUnit;

/// <summary>
/// Stamped into every test assembly by the package's build targets (<c>[assembly: BenchmemProject(dir, typeof(TestAttribute))]</c>):
/// the project directory, so results land under the project and not under bin/, and a typeof reference that gives
/// the assembly a reference to nunit.framework even when its only tests are [Benchmark] methods — NUnit's engine
/// picks its driver by that reference and would find no tests otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class BenchmemProjectAttribute(string directory, Type frameworkMarker) : Attribute
{
    public BenchmemProjectAttribute(string directory) : this(directory, typeof(TestAttribute)) { }

    public string Directory { get; } = directory;

    public Type FrameworkMarker { get; } = frameworkMarker;
}
