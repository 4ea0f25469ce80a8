using System.Runtime.CompilerServices;

namespace Benchmem.Core.Tests.Reporting;

/// <summary>
/// Compares text with a file under Reporting/Golden. Run with BENCHMEM_UPDATE_GOLDEN=1 to rewrite the files after a
/// deliberate change, then review the diff like any other code change.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string actual, string fileName, [CallerFilePath] string callerPath = "")
    {
        // The source copy is the one to edit and review; the output copy serves builds whose paths are mapped
        // (ContinuousIntegrationBuild), where the caller's path does not exist on disk.
        string source = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", fileName);
        string output = Path.Combine(AppContext.BaseDirectory, Path.GetFileName(Path.GetDirectoryName(callerPath)!), "Golden", fileName);
        if (Environment.GetEnvironmentVariable("BENCHMEM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(source, actual);
            Assert.Inconclusive($"rewrote {source}");
        }
        string path = File.Exists(source) ? source : output;
        // Git may check text out with CRLF; the table itself always uses \n.
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.That(actual, Is.EqualTo(expected), $"differs from {path}; if the change is intended, rerun with BENCHMEM_UPDATE_GOLDEN=1");
    }
}
