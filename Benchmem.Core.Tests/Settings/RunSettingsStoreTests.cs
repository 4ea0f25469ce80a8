using System.Collections;
using System.Xml;
using Benchmem.Core.Settings;

namespace Benchmem.Core.Tests.Settings;

// RunSettingsStore is process-wide state: these tests must not overlap each other.
[NonParallelizable]
public class RunSettingsStoreTests
{
    private const string RunSettingsXml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        + "<RunSettings>\n"
        + "  <RunConfiguration><ResultsDirectory>/tmp/r</ResultsDirectory></RunConfiguration>\n"
        + "  <Benchmem><Json>a.json</Json><Disable>true</Disable></Benchmem>\n"
        + "  <NUnit><NumberOfTestWorkers>1</NumberOfTestWorkers></NUnit>\n"
        + "</RunSettings>";

    private IReadOnlyList<KeyValuePair<string, string>> _saved = [];

    [SetUp]
    public void Save() => _saved = RunSettingsStore.Section;

    [TearDown]
    public void Restore() => RunSettingsStore.Set(_saved);

    // The reader settings vstest uses for runsettings (XmlRunSettingsUtilities.ReaderSettings).
    private static XmlReader ReaderOn(string xml, string element)
    {
        var reader = XmlReader.Create(new StringReader(xml),
            new XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = true, DtdProcessing = DtdProcessing.Prohibit });
        Assert.That(reader.ReadToFollowing(element), Is.True);
        return reader;
    }

    private static readonly KeyValuePair<string, string>[] Expected =
        [new("Json", "a.json"), new("Disable", "true")];

    [Test]
    public void Load_FromAReaderPositionedOnTheSection_KeepsEachChildInOrder()
    {
        using var reader = ReaderOn(RunSettingsXml, "Benchmem");

        RunSettingsStore.Load(reader);

        Assert.That(RunSettingsStore.Section, Is.EqualTo(Expected));
    }

    [Test]
    public void Load_FromASubtreeReader_AsVstestHandsIt()
    {
        // vstest's RunSettings.LoadSection calls provider.Load(reader.ReadSubtree()) with the reader on <Benchmem>.
        using var outer = ReaderOn(RunSettingsXml, "Benchmem");
        using var subtree = outer.ReadSubtree();

        RunSettingsStore.Load(subtree);

        Assert.That(RunSettingsStore.Section, Is.EqualTo(Expected));
    }

    [Test]
    public void LoadedSection_ResolvesAsRunSettings()
    {
        using var reader = ReaderOn(RunSettingsXml, "Benchmem");
        RunSettingsStore.Load(reader);

        var s = SettingsResolver.Resolve(RunSettingsStore.Section, [], new Hashtable { ["BENCHMEM_JSON"] = "env.json" });

        Assert.That(s.Json, Is.EqualTo("a.json"));
        Assert.That(s.Disable, Is.True);
        Assert.That(s.Enabled, Is.False);
        Assert.That(s.Sources, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["Json"] = "runsettings <Benchmem><Json>",
            ["Disable"] = "runsettings <Benchmem><Disable>",
        }));
    }

    [Test]
    public void Load_SkipsCommentsAndKeepsRawText()
    {
        const string xml = "<RunSettings><Benchmem><!-- note --><Enabled> yes </Enabled><Json></Json></Benchmem></RunSettings>";
        var reader = XmlReader.Create(new StringReader(xml)); // comments not ignored by the reader itself
        Assert.That(reader.ReadToFollowing("Benchmem"), Is.True);

        RunSettingsStore.Load(reader);

        Assert.That(RunSettingsStore.Section, Is.EqualTo(new KeyValuePair<string, string>[] { new("Enabled", " yes "), new("Json", "") }));
    }

    [Test]
    public void Load_EmptySection_ReplacesAnEarlierOne()
    {
        RunSettingsStore.Set([new("Enabled", "true")]);

        using var reader = ReaderOn("<RunSettings><Benchmem /></RunSettings>", "Benchmem");
        RunSettingsStore.Load(reader);

        Assert.That(RunSettingsStore.Section, Is.Empty);
    }
}
