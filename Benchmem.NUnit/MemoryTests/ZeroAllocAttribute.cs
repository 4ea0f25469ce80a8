using NUnit.Framework;

namespace Benchmem.NUnit;

/// <summary>
/// The benchmark allocates nothing, checked twice: at build time by Benchmem's analyzer (BMEM0003: boxing, lambdas and
/// closures, params arrays, LINQ, and new objects or arrays in the method body), and at run time: every memory pass must
/// allocate exactly 0 objects (the memory host's count; in process 0 bytes on the calling thread, which is the same).
/// Turns memory passes on for the benchmark, as [BenchMem] does.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ZeroAllocAttribute : NUnitAttribute;
