using NUnit.Framework;

namespace Benchmem.NUnit.Reporting;

/// <summary>
/// Where run-level lines go. At default verbosity without a terminal (CI), vstest hides TestContext.Progress
/// and stdout; TestContext.Error lines are shown, so the table and notices go there.
/// </summary>
internal static class Report
{
    private static readonly object Gate = new();

    public static void Line(string text)
    {
        lock (Gate)
        {
            TestContext.Error.WriteLine(text);
            TestContext.Error.Flush();
        }
    }
}
