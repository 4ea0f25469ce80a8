using System.Xml;
using Benchmem.Core.Settings;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;

namespace Benchmem.NUnit.TestAdapter;

/// <summary>
/// Receives <c>dotnet test -- Benchmem.X=value</c>: vstest turns that into a &lt;Benchmem&gt; runsettings section
/// and hands it to the provider registered under that name, in the test host, before any test runs.
/// </summary>
[SettingsName("Benchmem")]
public sealed class BenchmemSettingsProvider : ISettingsProvider
{
    public void Load(XmlReader reader) => RunSettingsStore.Load(reader);
}
