using System.Globalization;

namespace Benchmem.Core.Provenance;

/// <summary>
/// Names the `dotnet test` invocation this test host belongs to, so the test assemblies of one solution run
/// (each in its own test host) can merge into one results file instead of overwriting each other. It is the
/// topmost ancestor process started as `dotnet test` / `dotnet vstest`, with its start time against pid reuse.
/// Linux only (read from /proc); null elsewhere, where each assembly writes the file alone.
/// </summary>
public static class RunKey
{
    public static string? Current { get; } = Find();

    private static string? Find()
    {
        try
        {
            string? key = null;
            int pid = Environment.ProcessId;
            for (int depth = 0; depth < 32 && pid > 1; depth++)
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // Fields after the command name, which is in parentheses and may hold spaces.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
                if (args.Any(a => a is "test" or "vstest"))
                    key = $"{pid}:{fields[19]}"; // field 22 of stat: start time in clock ticks
                pid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
