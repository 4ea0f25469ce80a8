using System.Text.Json;

namespace Benchmem.NUnit.Tests.Infrastructure;

/// <summary>
/// A small NUnit test project in a temp directory that references the packed Benchmem.NUnit package exactly as
/// a user's project does (`dotnet add package Benchmem.NUnit`), built once and run with `dotnet test`.
/// </summary>
public sealed class SampleSuite : IDisposable
{
    private SampleSuite(string directory, string name, string configuration)
    {
        Directory = directory;
        Name = name;
        Configuration = configuration;
    }

    public string Directory { get; }
    public string Name { get; }
    public string Configuration { get; }
    public string ProjectDirectory => Path.Combine(Directory, Name);
    public string DefaultResultsPath => Path.Combine(ProjectDirectory, "BenchmarkResults", $"{Name}-report-full.json");

    /// <summary>Writes the project and its sources (file name → C# text) and builds it.</summary>
    public static SampleSuite Create(string name, IReadOnlyDictionary<string, string> sources,
        string configuration = "Release", string extraProperties = "")
    {
        var feed = PackedPackages.Feed;
        var dir = Path.Combine(Path.GetTempPath(), "benchmem-e2e", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        var suite = new SampleSuite(dir, name, configuration);
        System.IO.Directory.CreateDirectory(suite.ProjectDirectory);
        File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="benchmem-e2e" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(suite.ProjectDirectory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="NUnit" Version="5.0.0" />
                <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
                <PackageReference Include="NUnit.Analyzers" Version="4.15.0" PrivateAssets="all" />
                <PackageReference Include="Benchmem.NUnit" Version="{PackedPackages.Version}" />
              </ItemGroup>
              <ItemGroup>
                <Using Include="NUnit.Framework" />
                <Using Include="Benchmem.NUnit" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, text) in sources)
            File.WriteAllText(Path.Combine(suite.ProjectDirectory, file), text);
        var build = suite.Dotnet(["build", "-c", configuration, "--nologo"]);
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"building sample suite {name} failed:\n{build}");
        return suite;
    }

    /// <summary>`dotnet test --no-build` with extra arguments (e.g. "--", "Benchmem.Json=x.json") and environment.</summary>
    public ProcessResult Test(IEnumerable<string>? arguments = null, IDictionary<string, string?>? environment = null)
    {
        var args = new List<string> { "test", "--no-build", "-c", Configuration, "--nologo" };
        args.AddRange(arguments ?? []);
        return Dotnet(args, environment);
    }

    public ProcessResult Dotnet(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        var env = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackedPackages.PackageCache };
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
            env[k] = v;
        return ProcessRunner.Run("dotnet", arguments, ProjectDirectory, env, TimeSpan.FromMinutes(8));
    }

    public static JsonDocument ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path));

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
