using Benchmem.Sweeps.Tests.Infrastructure;

namespace Benchmem.Sweeps.Tests;

/// <summary>Pinning a package version in a copied tree: central package management, plain references, transitive only.</summary>
public class PackageOverrideTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void Create() => _dir = new TempDirectory();

    [TearDown]
    public void Delete() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Cpm = """
        <Project>
          <PropertyGroup>
            <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
          </PropertyGroup>
          <ItemGroup>
            <PackageVersion Include="NUnit" Version="5.0.0" />
            <PackageVersion Include="newtonsoft.json" Version="13.0.1" />
          </ItemGroup>
        </Project>
        """;

    [Test]
    public void Central_package_management_pins_the_PackageVersion_and_leaves_the_project_alone()
    {
        var props = Write("Directory.Packages.props", Cpm);
        const string project = """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Newtonsoft.Json" />
              </ItemGroup>
            </Project>
            """;
        var csproj = Write("P/P.csproj", project);

        var changes = PackageOverride.Apply(csproj, [props, csproj], "Newtonsoft.Json", "12.0.3");

        Assert.That(changes, Is.EqualTo(new[] { "Directory.Packages.props: PackageVersion Newtonsoft.Json = [12.0.3]" }));
        Assert.That(File.ReadAllText(props), Is.EqualTo(Cpm.Replace("""Version="13.0.1" """, """Version="[12.0.3]" """)));
        Assert.That(File.ReadAllText(csproj), Is.EqualTo(project));
    }

    [Test]
    public void A_VersionOverride_in_the_project_is_pinned_too()
    {
        var props = Write("Directory.Packages.props", Cpm);
        var csproj = Write("P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Newtonsoft.Json" VersionOverride="13.0.3" />
              </ItemGroup>
            </Project>
            """);

        var changes = PackageOverride.Apply(csproj, [props, csproj], "NEWTONSOFT.JSON", "12.0.3");

        Assert.That(changes, Is.EqualTo(new[]
        {
            "Directory.Packages.props: PackageVersion NEWTONSOFT.JSON = [12.0.3]",
            "P.csproj: PackageReference NEWTONSOFT.JSON VersionOverride = [12.0.3]",
        }));
        Assert.That(File.ReadAllText(csproj), Does.Contain("""<PackageReference Include="Newtonsoft.Json" VersionOverride="[12.0.3]" />"""));
    }

    [Test]
    public void A_plain_PackageReference_gets_the_exact_version_in_attribute_or_element_form()
    {
        var csproj = Write("P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="NUnit" Version="5.0.0" />
                <PackageReference Include="newtonsoft.json" Version="13.0.1" />
              </ItemGroup>
            </Project>
            """);
        var props = Write("Directory.Build.props", """
            <Project>
              <ItemGroup>
                <PackageReference Include="Newtonsoft.Json">
                  <Version>13.0.1</Version>
                </PackageReference>
              </ItemGroup>
            </Project>
            """);

        var changes = PackageOverride.Apply(csproj, [props], "Newtonsoft.Json", "13.0.4");

        Assert.That(changes, Is.EqualTo(new[]
        {
            "Directory.Build.props: PackageReference Newtonsoft.Json Version = [13.0.4]",
            "P.csproj: PackageReference Newtonsoft.Json Version = [13.0.4]",
        }));
        Assert.That(File.ReadAllText(csproj), Is.EqualTo("""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="NUnit" Version="5.0.0" />
                <PackageReference Include="newtonsoft.json" Version="[13.0.4]" />
              </ItemGroup>
            </Project>
            """));
        Assert.That(File.ReadAllText(props), Does.Contain("<Version>[13.0.4]</Version>"));
    }

    [Test]
    public void A_package_the_project_only_gets_transitively_is_added_as_a_direct_reference()
    {
        var csproj = Write("P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="NUnit" Version="5.0.0" />
              </ItemGroup>
            </Project>
            """);

        var changes = PackageOverride.Apply(csproj, [], "Newtonsoft.Json", "13.0.4");

        Assert.That(changes, Is.EqualTo(new[] { "P.csproj: added PackageReference Newtonsoft.Json Version = [13.0.4]" }));
        Assert.That(File.ReadAllText(csproj), Is.EqualTo("""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="NUnit" Version="5.0.0" />
              </ItemGroup>
            <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="[13.0.4]" /></ItemGroup></Project>
            """));
    }

    [Test]
    public void Transitive_only_under_central_management_is_added_with_a_VersionOverride()
    {
        var props = Write("Directory.Packages.props", """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        var csproj = Write("P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
            </Project>
            """);

        var changes = PackageOverride.Apply(csproj, [props], "Newtonsoft.Json", "13.0.4");

        Assert.That(changes, Is.EqualTo(new[] { "P.csproj: added PackageReference Newtonsoft.Json VersionOverride = [13.0.4]" }));
        Assert.That(File.ReadAllText(csproj), Does.Contain("""<PackageReference Include="Newtonsoft.Json" VersionOverride="[13.0.4]" />"""));
    }

    [Test]
    public void Pinned_centrally_but_referenced_nowhere_adds_a_reference_that_takes_the_pin()
    {
        var props = Write("Directory.Packages.props", Cpm);
        var csproj = Write("P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
            </Project>
            """);

        var changes = PackageOverride.Apply(csproj, [props], "Newtonsoft.Json", "12.0.3");

        Assert.That(changes, Is.EqualTo(new[]
        {
            "Directory.Packages.props: PackageVersion Newtonsoft.Json = [12.0.3]",
            "P.csproj: added PackageReference Newtonsoft.Json",
        }));
        Assert.That(File.ReadAllText(csproj), Does.Contain("""<ItemGroup><PackageReference Include="Newtonsoft.Json" /></ItemGroup>"""));
    }
}
