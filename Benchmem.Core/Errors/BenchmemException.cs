namespace Benchmem.Core.Errors;

/// <summary>What kind of problem an error is, as data: each host maps a kind to its outcome in one place (the tool to an exit code).</summary>
public enum ErrorKind
{
    /// <summary>A setting, option, argument or project the user gave is wrong; nothing was measured or written.</summary>
    InvalidInput,
    /// <summary>A file the user named (results, journal, profile) cannot be used as what it should be.</summary>
    UnusableFile,
    /// <summary>The inputs are each fine but contradict each other (two benchmarks of one run under one name).</summary>
    Conflict,
}

/// <summary>
/// A problem the user can fix, as opposed to a bug: the message is final, one sentence naming the input and the fix,
/// shown as it is by every host. Anything that is not a <see cref="BenchmemException"/> is a bug in Benchmem.
/// </summary>
public abstract class BenchmemException(string message, Exception? inner = null) : Exception(message, inner)
{
    public abstract ErrorKind Kind { get; }
}
