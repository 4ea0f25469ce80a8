using Benchmem.Core.Errors;

namespace Benchmem.Sweeps;

/// <summary>Bad sweep input (no package, no version, a bad version, a missing project, …): nothing ran. One line names the input and the fix.</summary>
public sealed class SweepInputException(string message) : BenchmemException(message)
{
    public override ErrorKind Kind => ErrorKind.InvalidInput;
}
