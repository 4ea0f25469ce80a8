using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Benchmem.NUnit.Session;

/// <summary>
/// Bad settings found when the run starts do not fail the assembly (NUnit would then fail every test with the message
/// and a stack trace): the first test that runs fails with the message, once, and the others are skipped.
/// </summary>
internal sealed class SettingsRefusal
{
    public const string SkipReason = "not run: Benchmem's settings are invalid (the first test of this run failed with the reason).";

    private readonly object _lock = new();
    private string? _error;
    private bool _told;

    /// <summary>Remembers why the run cannot measure anything.</summary>
    public void Refuse(string message)
    {
        lock (_lock)
            _error = message;
    }

    /// <summary>Before each test: nothing when the settings were valid; else fails the first test and skips the others.</summary>
    public void ThrowIfRefused()
    {
        lock (_lock)
        {
            if (_error is null)
                return;
            if (!_told)
            {
                _told = true;
                throw new RunRefused(_error);
            }
        }
        throw new IgnoreException(SkipReason);
    }

    /// <summary>The run's one failure for bad settings: the message alone, without a stack trace of Benchmem's frames.</summary>
    private sealed class RunRefused(string message) : ResultStateException(message)
    {
        public override ResultState ResultState => ResultState.Failure;
        public override string? StackTrace => null;
    }
}
