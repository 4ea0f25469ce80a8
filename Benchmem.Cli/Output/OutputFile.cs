using Benchmem.Core.Exporters;

namespace Benchmem.Cli.Output;

/// <summary>
/// Where <c>report</c> and <c>export</c> put their text: stdout without -o; with -o a file written atomically, never the
/// results file it was made from, and an existing file only with --force (so results are never lost to a typo).
/// </summary>
internal static class OutputFile
{
    public static int Write(TextWriter stdout, string text, string? path, bool force, string input, string what)
    {
        if (path is null)
        {
            stdout.Write(text);
            stdout.Flush();
            return ExitCodes.Ok;
        }
        if (string.IsNullOrWhiteSpace(path) || Directory.Exists(path))
            throw new UsageException($"-o/--output '{path}' is not a file path; give the file to write, e.g. -o {what}.");
        if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(input), StringComparison.Ordinal))
            throw new UsageException($"-o {path} is the results file being read; write the {what} to another file.");
        if (File.Exists(path) && !force)
            throw new UsageException($"-o {path} already exists; add --force to replace it, or choose another path.");
        try
        {
            RunReport.WriteText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"-o {path}: cannot be written ({e.Message.TrimEnd('.')}); choose a path in a writable folder.");
        }
        stdout.WriteLine($"benchmem: wrote {path}");
        return ExitCodes.Ok;
    }
}
