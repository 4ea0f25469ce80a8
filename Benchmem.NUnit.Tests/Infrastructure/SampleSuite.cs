using System.Text.Json;

namespace Benchmem.NUnit.Tests.Infrastructure;

/// <summary>
/// A small NUnit test project in a temp directory that references the packed Benchmem.NUnit package exactly as
/// a user's project does (`dotnet add package Benchmem.NUnit`), built once and run with `dotnet test`.
/// </summary>
public sealed class SampleSuite : IDisposable
{
    private SampleSuite(string directory, string name, string configuration, string workingDirectory)
    {
        Directory = directory;
        Name = name;
        Configuration = configuration;
        WorkingDirectory = workingDirectory;
    }

    /// <summary>Where dotnet build/test run: the project's folder, or the solution's for several projects.</summary>
    public string WorkingDirectory { get; }

    public string Directory { get; }
    public string Name { get; }
    public string Configuration { get; }
    public string ProjectDirectory => Path.Combine(Directory, Name);
    public string DefaultResultsPath => Path.Combine(ProjectDirectory, "BenchmarkResults", $"{Name}-report-full.json");

    /// <summary>The test packages of this repository's own suites: NUnit 5.</summary>
    public const string NUnit5Packages = """
        <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
        <PackageReference Include="NUnit" Version="5.0.0" />
        <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
        <PackageReference Include="NUnit.Analyzers" Version="4.15.0" PrivateAssets="all" />
        """;

    /// <summary>The test packages `dotnet new nunit` of the .NET 10 SDK writes (less coverlet): NUnit 4.3.2.</summary>
    public const string TemplateNUnit4Packages = """
        <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.0" />
        <PackageReference Include="NUnit" Version="4.3.2" />
        <PackageReference Include="NUnit.Analyzers" Version="4.7.0" />
        <PackageReference Include="NUnit3TestAdapter" Version="5.0.0" />
        """;

    /// <summary>Writes the project and its sources (file name → C# text) and builds it.</summary>
    /// <param name="packages">the test framework's package references (default <see cref="NUnit5Packages"/>)</param>
    /// <param name="benchmemReference">false: no Benchmem.NUnit reference (the test adds it with dotnet add package)</param>
    public static SampleSuite Create(string name, IReadOnlyDictionary<string, string> sources,
        string configuration = "Release", string extraProperties = "", string packages = NUnit5Packages, bool benchmemReference = true)
    {
        var dir = NewDirectory(name);
        WriteProject(dir, name, sources, extraProperties, packages, benchmemReference);
        if (!benchmemReference)
            return new SampleSuite(dir, name, configuration, Path.Combine(dir, name));
        return Built(new SampleSuite(dir, name, configuration, Path.Combine(dir, name)));
    }

    /// <summary>A solution of several such projects (project name → sources), built and tested together.</summary>
    public static SampleSuite CreateSolution(string name, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> projects)
    {
        var dir = NewDirectory(name);
        foreach (var (project, sources) in projects)
            WriteProject(dir, project, sources, "", NUnit5Packages, benchmemReference: true);
        var suite = new SampleSuite(dir, name, "Release", dir);
        foreach (var args in new[] { new[] { "new", "sln", "-n", name, "--format", "sln" } }
                     .Concat(projects.Keys.Select(p => new[] { "sln", $"{name}.sln", "add", Path.Combine(p, p + ".csproj") })))
        {
            var r = suite.Dotnet(args);
            if (r.ExitCode != 0)
                throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed:\n{r}");
        }
        return Built(suite);
    }

    private static string NewDirectory(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "benchmem-e2e", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        System.IO.Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="benchmem-e2e" value="{PackedPackages.Feed}" />
              </packageSources>
            </configuration>
            """);
        return dir;
    }

    private static void WriteProject(string dir, string name, IReadOnlyDictionary<string, string> sources, string extraProperties,
        string packages, bool benchmemReference)
    {
        var projectDir = Path.Combine(dir, name);
        System.IO.Directory.CreateDirectory(projectDir);
        File.WriteAllText(Path.Combine(projectDir, name + ".csproj"), $"""
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
                {packages}
                {(benchmemReference ? $"<PackageReference Include=\"Benchmem.NUnit\" Version=\"{PackedPackages.Version}\" />" : "")}
              </ItemGroup>
              <ItemGroup>
                <Using Include="NUnit.Framework" />
                <Using Include="Benchmem.NUnit" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, text) in sources)
            File.WriteAllText(Path.Combine(projectDir, file), text);
    }

    /// <summary>Builds the suite (after the test changed it, e.g. with dotnet add package).</summary>
    public ProcessResult Build() => Dotnet(["build", "-c", Configuration, "--nologo"]);

    private static SampleSuite Built(SampleSuite suite)
    {
        var build = suite.Dotnet(["build", "-c", suite.Configuration, "--nologo"]);
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"building sample suite {suite.Name} failed:\n{build}");
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
        var env = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = PackedPackages.PackageCache,
            // A reused MSBuild node keeps imported .targets cached by timestamp; a re-extracted Benchmem package can
            // carry the same timestamps, so an old node would build with the previous package's targets.
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
            env[k] = v;
        return ProcessRunner.Run("dotnet", arguments, WorkingDirectory, env, TimeSpan.FromMinutes(8));
    }

    public static JsonDocument ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path));

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
