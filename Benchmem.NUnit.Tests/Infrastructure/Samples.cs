namespace Benchmem.NUnit.Tests.Infrastructure;

/// <summary>Sample suite sources kept as EndToEnd/Samples/*.cs.txt so this project does not compile them.</summary>
public static class Samples
{
    public static Dictionary<string, string> Load(params string[] names) =>
        names.ToDictionary(n => n + ".cs", n => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Samples", n + ".cs.txt")));
}
