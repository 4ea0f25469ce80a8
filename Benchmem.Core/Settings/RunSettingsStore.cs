using System.Xml;

namespace Benchmem.Core.Settings;

/// <summary>
/// Holds the &lt;Benchmem&gt; runsettings section that vstest hands to Benchmem.NUnit.TestAdapter's settings
/// provider in the test host, until the first benchmark resolves the settings.
/// </summary>
public static class RunSettingsStore
{
    private static volatile IReadOnlyList<KeyValuePair<string, string>> _section = [];

    public static IReadOnlyList<KeyValuePair<string, string>> Section => _section;

    /// <summary>Reads the children of a &lt;Benchmem&gt; element: each child element is one setting.</summary>
    public static void Load(XmlReader reader)
    {
        var values = new List<KeyValuePair<string, string>>();
        var doc = new XmlDocument();
        var root = doc.ReadNode(reader);
        if (root is not null)
        {
            foreach (XmlNode child in root.ChildNodes)
            {
                if (child.NodeType == XmlNodeType.Element)
                    values.Add(new(child.LocalName, child.InnerText));
            }
        }
        _section = values;
    }

    public static void Set(IReadOnlyList<KeyValuePair<string, string>> values) => _section = values;
}
