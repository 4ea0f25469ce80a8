namespace Benchmem.Core.Errors;

/// <summary>Thrown for a profile file or folder that cannot be used; the message names it and the fix.</summary>
public sealed class ProfileException(string message) : BenchmemException(message)
{
    public override ErrorKind Kind => ErrorKind.UnusableFile;
}
