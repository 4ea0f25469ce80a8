using Benchmem.Core.Errors;

namespace Benchmem.Cli;

/// <summary>Bad input that the user can fix. The message is one line naming the input and the fix; the tool exits with 2.</summary>
public sealed class UsageException(string message) : BenchmemException(message)
{
    public override ErrorKind Kind => ErrorKind.InvalidInput;
}
