using System.CommandLine;
using System.CommandLine.Help;
using Benchmem.Cli.Commands;
using Benchmem.Core.Errors;

namespace Benchmem.Cli;

/// <summary>
/// The command tree and the one place errors are turned into exit codes: bad input of any kind (a
/// <see cref="Core.Errors.BenchmemException"/>, whichever layer threw it) prints its message as one line on stderr and
/// exits with its kind's code (<see cref="ExitCodes.For"/>: 2); a regression found by <c>compare --fail-on</c> exits 1;
/// anything else is reported as a bug in one line (set BENCHMEM_TRACE=1 for the stack trace), also exit 2.
/// </summary>
public static class BenchmemCli
{
    public const string Name = "benchmem";

    public static Command CreateRoot(TextWriter stdout, TextWriter stderr)
    {
        // A plain Command rather than RootCommand: RootCommand names itself after the entry assembly
        // (Benchmem.Cli), while the tool is invoked as `benchmem`.
        var root = new Command(Name, "Compare Benchmem (and BenchmarkDotNet) result files, gate CI on regressions, plot them, merge CI shards, sweep package versions, show allocation profiles, report one run, export it to dashboards, check a machine is steady enough for time gates.")
        {
            new HelpOption(),
            new VersionOption(),
            CompareCommand.Create(stdout, stderr),
            PlotCommand.Create(stdout, stderr),
            MergeCommand.Create(stdout, stderr),
            SweepCommand.Create(stdout, stderr),
            ProfileCommand.Create(stdout, stderr),
            ReportCommand.Create(stdout, stderr),
            ExportCommand.Create(stdout, stderr),
            ListCommand.Create(stdout, stderr),
            CalibrateCommand.Create(stdout, stderr),
            AcceptCommand.Create(stdout, stderr),
        };
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var root = CreateRoot(stdout, stderr);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
            {
                var command = CommandPath(parse.CommandResult.Command);
                if (parse.CommandResult.Command == root && parse.UnmatchedTokens.Count > 0)
                {
                    var names = root.Subcommands.Select(c => c.Name).ToList();
                    var commands = names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
                    return Fail(stderr, $"'{parse.UnmatchedTokens[0]}' is not a command; use {commands} (see '{Name} --help').");
                }
                var messages = parse.Errors.Select(e => OneLine(e.Message).TrimEnd('.')).Distinct();
                return Fail(stderr, $"{string.Join("; ", messages)}; see '{command} --help'.");
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (BenchmemException e)
        {
            // The user's to fix: the message is final, the kind decides the exit code.
            return Fail(stderr, e.Message, ExitCodes.For(e.Kind));
        }
        catch (Exception e)
        {
            if (Environment.GetEnvironmentVariable("BENCHMEM_TRACE") is "1" or "true")
                stderr.WriteLine(e);
            return Fail(stderr, $"unexpected error: {e.GetType().Name}: {OneLine(e.Message)} This is a bug in benchmem, not in your input; " +
                                "please report it with the command you ran (BENCHMEM_TRACE=1 prints the stack trace).");
        }
    }

    private static int Fail(TextWriter stderr, string message, int exitCode = ExitCodes.BadInput)
    {
        stderr.WriteLine($"{Name}: {OneLine(message)}");
        stderr.Flush();
        return exitCode;
    }

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is not null; s = s.Parents.FirstOrDefault())
            names.Add(s.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
