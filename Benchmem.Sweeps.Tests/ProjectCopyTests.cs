using Benchmem.Sweeps.Tests.Infrastructure;

namespace Benchmem.Sweeps.Tests;

/// <summary>What a sweep copies for each run, and where it puts it.</summary>
public class ProjectCopyTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void Create() => _dir = new TempDirectory();

    [TearDown]
    public void Delete() => _dir.Dispose();

    private string Write(string name, string text = "")
    {
        var path = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Tree(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A repository: config files at its root and in tests/, the test project referencing a library in src/.</summary>
    private string Repository()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "repo", ".git"));
        Write("repo/.git/HEAD", "ref: refs/heads/main");
        Write("Directory.Build.props", "<Project />"); // above the repository: not its business
        Write("repo/Directory.Build.props", "<Project />");
        Write("repo/Directory.Packages.props", "<Project />");
        Write("repo/global.json", "{}");
        Write("repo/nuget.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="artifacts/packages" />
                <add key="remote" value="https://example.invalid/v3/index.json" />
                <add key="rooted" value="/opt/feed" />
              </packageSources>
            </configuration>
            """);
        Write("repo/README.md", "not needed by the build");
        Write("repo/src/Lib/Lib.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write("repo/src/Lib/Code.cs", "class C {}");
        Write("repo/src/Lib/bin/Release/Lib.dll", "stale");
        Write("repo/src/Other/Other.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write("repo/tests/Directory.Build.props", "<Project />");
        Write("repo/tests/Perf/obj/project.assets.json", "{}");
        Write("repo/tests/Perf/Bench.cs", "class B {}");
        Write("repo/tests/Perf/data/input.txt", "data");
        Write("repo/tests/Perf/sweep-out/old.json", "{}");
        return Write("repo/tests/Perf/Perf.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="..\..\src\Lib\Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
    }

    [Test]
    public void Copies_the_project_its_references_and_the_walk_up_files_up_to_the_repository_root()
    {
        var project = Repository();
        var copy = ProjectCopy.Discover(project, Path.Combine(_dir.Path, "repo/tests/Perf/sweep-out"));
        var target = Path.Combine(_dir.Path, "copy");

        var copied = copy.CopyTo(target);

        Assert.That(copy.Root, Is.EqualTo(Path.Combine(_dir.Path, "repo")));
        Assert.That(copied, Is.EqualTo(Path.Combine(target, "tests", "Perf", "Perf.csproj")));
        Assert.That(Tree(target), Is.EqualTo(new[]
        {
            "Directory.Build.props",
            "Directory.Packages.props",
            "global.json",
            "nuget.config",
            "src/Lib/Code.cs",
            "src/Lib/Lib.csproj",
            "tests/Directory.Build.props",
            "tests/Perf/Bench.cs",
            "tests/Perf/Perf.csproj",
            "tests/Perf/data/input.txt",
        }));
    }

    [Test]
    public void Relative_package_sources_in_a_copied_nuget_config_point_back_at_the_original_folder()
    {
        var project = Repository();
        var target = Path.Combine(_dir.Path, "copy");
        ProjectCopy.Discover(project).CopyTo(target);

        var config = File.ReadAllText(Path.Combine(target, "nuget.config"));

        Assert.That(config, Does.Contain($"""<add key="local" value="{Path.Combine(_dir.Path, "repo", "artifacts", "packages")}" />"""));
        Assert.That(config, Does.Contain("""<add key="remote" value="https://example.invalid/v3/index.json" />"""));
        Assert.That(config, Does.Contain("""<add key="rooted" value="/opt/feed" />"""));
    }

    [Test]
    public void Without_a_repository_the_walk_goes_on_to_the_file_system_root()
    {
        Write("outer/nuget.config", "<configuration />");
        var project = Write("outer/a/b/P/P.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");

        var copy = ProjectCopy.Discover(project);

        Assert.That(copy.Root, Is.EqualTo(Path.Combine(_dir.Path, "outer")));
        Assert.That(copy.WalkUpFilesFound, Does.Contain(Path.Combine(_dir.Path, "outer", "nuget.config")));
    }

    [Test]
    public void A_project_reference_that_is_not_a_literal_path_is_refused_with_the_fix()
    {
        var project = Write("P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="$(RepoRoot)src/Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """);

        var e = Assert.Throws<SweepInputException>(() => ProjectCopy.Discover(project));

        Assert.That(e!.Message, Is.EqualTo($"{project}: ProjectReference '$(RepoRoot)src/Lib/Lib.csproj' is not a literal path; the sweep copies referenced projects by their paths, so write it as a relative path (e.g. ../Lib/Lib.csproj)."));
    }

    [Test]
    public void A_missing_project_reference_is_refused()
    {
        var project = Write("P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="../Gone/Gone.csproj" />
              </ItemGroup>
            </Project>
            """);

        var e = Assert.Throws<SweepInputException>(() => ProjectCopy.Discover(project));

        Assert.That(e!.Message, Is.EqualTo($"{project}: ProjectReference '../Gone/Gone.csproj' does not exist ({Path.Combine(_dir.Path, "Gone", "Gone.csproj")}); fix the reference so the project builds where it is first."));
    }
}
