using System.Diagnostics;
using System.Reflection;

namespace Benchmem.NUnit.Session;

/// <summary>Debug builds run simple loops 4–8× slower here: such benchmarks are measured but flagged.</summary>
internal static class Optimization
{
    public static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;

    public const string Fix = "built without optimizations (Debug): timings are not representative; run dotnet test -c Release";
}
