namespace Benchmem.Core.Errors;

/// <summary>Thrown when a run setting is unknown or has a bad value; the message names the input and the fix.</summary>
public sealed class BenchmemSettingsException(string message) : BenchmemException(message)
{
    public override ErrorKind Kind => ErrorKind.InvalidInput;
}
