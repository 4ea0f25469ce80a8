namespace Benchmem.Sweeps.Tests;

/// <summary>The one-line reason a failed version gets, from real `dotnet build` output.</summary>
public class BuildErrorTests
{
    [Test]
    public void Restore_and_compile_errors_become_short_distinct_lines()
    {
        string[] log =
        [
            "  Determining projects to restore...",
            "/tmp/benchmem-sweep/x/Newtonsoft.Json-99.0.0/tests/JsonBench/JsonBench.csproj : error NU1102: Unable to find package Newtonsoft.Json with version (= 99.0.0) [/tmp/benchmem-sweep/x/Newtonsoft.Json-99.0.0/tests/JsonBench/JsonBench.csproj]",
            "/tmp/benchmem-sweep/x/P-1.0.0/tests/JsonBench/Bad.cs(1,30): error CS1525: Invalid expression term '}' [/tmp/benchmem-sweep/x/P-1.0.0/tests/JsonBench/JsonBench.csproj]",
            "/tmp/benchmem-sweep/x/P-1.0.0/tests/JsonBench/Bad.cs(1,30): error CS1525: Invalid expression term '}' [/tmp/benchmem-sweep/x/P-1.0.0/tests/JsonBench/JsonBench.csproj]",
            "/usr/share/dotnet/sdk/10.0.401/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.TargetFrameworkInference.targets(166,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 11.0. [/p/P.csproj::TargetFramework=net11.0]",
            "    0 Warning(s)",
            "    3 Error(s)",
        ];

        Assert.That(Sweep.Errors(log), Is.EqualTo(new[]
        {
            ("NU1102", "NU1102: Unable to find package Newtonsoft.Json with version (= 99.0.0)"),
            ("CS1525", "Bad.cs(1,30): CS1525: Invalid expression term '}'"),
            ("NETSDK1045", "Microsoft.NET.TargetFrameworkInference.targets(166,5): NETSDK1045: The current .NET SDK does not support targeting .NET 11.0."),
        }));
    }
}
