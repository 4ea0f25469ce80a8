using Spectre.Console;

namespace Benchmem.Cli.Output;

/// <summary>
/// Whether stdout gets colour: only a terminal does. Plain when stdout is redirected (a file, a pipe, CI's log
/// capture), when NO_COLOR is set to anything non-empty (no-color.org), or when TERM=dumb. FORCE_COLOR (non-empty,
/// not "0") turns colour on even when redirected, e.g. for CI logs that render ANSI; NO_COLOR wins over it.
/// </summary>
public sealed class Terminal
{
    private Terminal(bool colour) => Colour = colour;

    public bool Colour { get; }

    public static Terminal Plain { get; } = new(false);

    public static Terminal ForStdout() => new(Decide(
        System.Console.IsOutputRedirected,
        Environment.GetEnvironmentVariable("NO_COLOR"),
        Environment.GetEnvironmentVariable("FORCE_COLOR"),
        Environment.GetEnvironmentVariable("TERM")));

    internal static bool Decide(bool redirected, string? noColor, string? forceColor, string? term)
    {
        if (!string.IsNullOrEmpty(noColor))
            return false;
        if (!string.IsNullOrEmpty(forceColor) && forceColor != "0" && !forceColor.Equals("false", StringComparison.OrdinalIgnoreCase))
            return true;
        return !redirected && term != "dumb";
    }

    /// <summary>A Spectre console on <paramref name="writer"/> that never wraps (tables are wider than terminals) and emits ANSI only with colour.</summary>
    public IAnsiConsole CreateConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = Colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 100_000;
        return console;
    }
}
