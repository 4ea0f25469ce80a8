using Benchmem.Core.Errors;

namespace Benchmem.Cli;

/// <summary>The tool's exit codes: CI scripts branch on them.</summary>
public static class ExitCodes
{
    /// <summary>Done; for compare with --fail-on: no regression.</summary>
    public const int Ok = 0;
    /// <summary>compare --fail-on found at least one regression (listed on stderr).</summary>
    public const int Regression = 1;
    /// <summary>sweep: some runs failed (listed on stderr with their reasons); the other runs' results were written.</summary>
    public const int SomeRunsFailed = 1;
    /// <summary>calibrate: the machine's speed is too unsteady for time gates (the figures are on stdout).</summary>
    public const int NotFit = 1;
    /// <summary>Bad input: a file, a rule, an option value or the command line itself. One line on stderr says which and how to fix it.
    /// Also sweep when no run produced results.</summary>
    public const int BadInput = 2;

    /// <summary>The exit code of each kind of user error; every kind is bad input to a script.</summary>
    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidInput or ErrorKind.UnusableFile or ErrorKind.Conflict => BadInput,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an error kind without an exit code"),
    };
}
