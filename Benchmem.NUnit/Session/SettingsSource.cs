using Benchmem.Core.Settings;
using NUnit.Framework;

namespace Benchmem.NUnit.Session;

/// <summary>
/// The run's settings, resolved on first use and then kept. Invalid settings are not kept: every read throws
/// <see cref="BenchmemSettingsException"/> again, so each benchmark that asks fails with the same message.
/// </summary>
internal sealed class SettingsSource(Func<BenchmemSettings> resolve)
{
    private readonly object _lock = new();
    private BenchmemSettings? _settings;

    /// <summary>The settings of this test host: runsettings, then TestContext parameters, then BENCHMEM_* variables.</summary>
    public static SettingsSource FromTestHost() =>
        new(() => SettingsResolver.Resolve(RunSettingsStore.Section, TestParameters(), System.Environment.GetEnvironmentVariables()));

    public BenchmemSettings Settings
    {
        get
        {
            lock (_lock)
                return _settings ??= resolve();
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> TestParameters()
    {
        var parameters = TestContext.Parameters;
        foreach (var name in parameters.Names)
            yield return new(name, parameters.Get(name) ?? "");
    }
}
