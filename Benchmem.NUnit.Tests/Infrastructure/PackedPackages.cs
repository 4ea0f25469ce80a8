namespace Benchmem.NUnit.Tests.Infrastructure;

/// <summary>
/// Packs Benchmem.Core and Benchmem.NUnit once per test run into a feed of this run's own, and gives the sample
/// suites a NuGet package folder of their own, so they restore exactly these bits — as a user's project would.
/// </summary>
public static class PackedPackages
{
    private static readonly Lazy<(string Feed, string Version)> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Folder holding the freshly packed .nupkg files.</summary>
    public static string Feed => Packed.Value.Feed;

    /// <summary>The version the packages were packed as (from git: 0.2.0-alpha.0.N), read from the packed file's name.</summary>
    public static string Version => Packed.Value.Version;

    /// <summary>NUGET_PACKAGES for sample suites: third-party packages are kept between runs, Benchmem's are not.</summary>
    public static string PackageCache => Path.Combine(RepositoryRoot, "artifacts", "e2e", "nuget-packages");

    private static (string Feed, string Version) Pack()
    {
        var feed = Path.Combine(RepositoryRoot, "artifacts", "e2e", "feed");
        if (Directory.Exists(feed))
            Directory.Delete(feed, recursive: true);
        Directory.CreateDirectory(feed);
        foreach (var project in new[] { "Benchmem.Core/Benchmem.Core.csproj", "Benchmem.NUnit/Benchmem.NUnit.csproj" })
        {
            // `dotnet test` of this project has just built both in Release (they are its references): pack those
            // outputs instead of compiling them again; build only when they are missing.
            string[] pack = ["pack", Path.Combine(RepositoryRoot, project), "-c", "Release", "-o", feed, "--nologo"];
            var result = ProcessRunner.Run("dotnet", [.. pack, "--no-build"], RepositoryRoot, timeout: TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0)
                result = ProcessRunner.Run("dotnet", pack, RepositoryRoot, timeout: TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"packing {project} failed:\n{result}");
        }
        foreach (var id in new[] { "benchmem.core", "benchmem.nunit" })
        {
            var stale = Path.Combine(PackageCache, id);
            if (Directory.Exists(stale))
                Directory.Delete(stale, recursive: true);
        }
        var nunit = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "Benchmem.NUnit.*.nupkg").Single());
        return (feed, nunit["Benchmem.NUnit.".Length..]);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Benchmem.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Benchmem.sln not found above " + AppContext.BaseDirectory);
    }
}
