namespace Benchmem.Core.Errors;

/// <summary>A results file or input is unusable; the message names the file and what is wrong with it.</summary>
public sealed class ResultsFileException(string message, Exception? inner = null) : BenchmemException(message, inner)
{
    public override ErrorKind Kind => ErrorKind.UnusableFile;
}
