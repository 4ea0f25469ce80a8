using System.Reflection;

namespace Benchmem.NUnit.Session;

/// <summary>The test project's directory: where relative paths, the results file and saved runs live.</summary>
internal static class ProjectDirectory
{
    /// <summary>The directory the package's build targets stamped into the assembly, else a guess from bin/.</summary>
    public static string Of(Assembly assembly)
    {
        var stamped = assembly.GetCustomAttribute<BenchmemProjectAttribute>()?.Directory;
        if (!string.IsNullOrEmpty(stamped) && Directory.Exists(stamped))
            return stamped;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.csproj").Any())
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
