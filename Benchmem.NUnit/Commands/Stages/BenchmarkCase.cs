using System.Reflection;
using Benchmem.Core.Invocation;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>
/// One benchmark to run inside the current test: the test's context, how to get the code's invoker, the untimed setup
/// before each round (Bench.Run's pedantic form), its identity in the results and the assembly its code is compiled in.
/// </summary>
internal sealed record BenchmarkCase(
    TestExecutionContext Context,
    Func<BenchmarkInvoker> Invoker,
    Action? Setup,
    Identity.Parts Identity,
    Assembly Code);

/// <summary>Why a benchmark's test fails, as data: the message and, when the benchmark itself threw, its own frames.</summary>
internal sealed record BenchmarkFailure(string Message, string? StackTrace = null);
