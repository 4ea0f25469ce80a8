namespace Benchmem.Core.Errors;

/// <summary>Two benchmarks of one run would have the same FullName; the message names both.</summary>
public sealed class DuplicateBenchmarkException(string message) : BenchmemException(message)
{
    public override ErrorKind Kind => ErrorKind.Conflict;
}
