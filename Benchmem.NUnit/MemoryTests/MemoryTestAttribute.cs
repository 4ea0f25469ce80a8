using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal.Commands;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// Runs this [Test] in the memory host, where its <see cref="Heap"/> checks are exact (traffic included): the test host
/// starts the host before any timed test, runs the test there whole ([SetUp] and [TearDown] too), and reports its
/// outcome here. Where the host cannot run (Benchmem.Host=inprocess, no profiler for the platform) the test runs in
/// process: live-object queries still work, traffic queries fail with the fix.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MemoryTestAttribute : NUnitAttribute, IWrapTestMethod
{
    public TestCommand Wrap(TestCommand command) => MemoryTestCommand.Around(command);
}

/// <summary>
/// dotMemoryUnit's attribute, kept so a ported test compiles unchanged: it does what <see cref="MemoryTestAttribute"/>
/// does. Its switches have nothing to switch here — allocations are always collected in the memory host, and a test that
/// cannot get exact numbers fails on the query that needs them — so they are accepted and ignored.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public sealed class DotMemoryUnitAttribute : NUnitAttribute, IWrapTestMethod
{
    public bool CollectAllocations { get; set; }
    public bool FailIfRunWithoutSupport { get; set; } = true;
    public TestCommand Wrap(TestCommand command) => MemoryTestCommand.Around(command);
}
