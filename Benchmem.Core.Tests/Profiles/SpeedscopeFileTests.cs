using System.Text.Json.Nodes;
using Benchmem.Core.Errors;
using Benchmem.Core.Profiles;
using Json.Schema;

namespace Benchmem.Core.Tests.Profiles;

/// <summary>The speedscope file: valid against speedscope's published schema, read back whole, damaged files refused by name.</summary>
public class SpeedscopeFileTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"benchmem-speedscope-{Guid.NewGuid():N}"));

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    /// <summary>main → helper → new byte[] (1,000 B), main → new Node ×3 (72 B), main → helper → helper → new Node (24 B).</summary>
    internal static AllocationProfile Sample(string fullName = "Suite.Bench(n: 1)", long peak = 1_000, long allocated = 1_096, long? allocations = 5) =>
        new(new ProfileInfo
            {
                FullName = fullName, Method = ProfileMethods.Exact, PeakBytes = peak, AllocatedBytes = allocated, Allocations = allocations,
                Trace = "x.nettrace", Created = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            },
            ["Suite.Bench", "Suite.Helper", "new System.Byte[]", "new Suite.Node"],
            [new([0, 1, 2], 1, 1_000), new([0, 3], 3, 72), new([0, 1, 1, 3], 1, 24)]);

    [Test]
    public void Written_ValidatesAgainstThePublishedSchema()
    {
        var path = Path.Combine(_dir, "p" + SpeedscopeFile.Extension);
        SpeedscopeFile.Write(Sample(), path);
        // speedscope's file-format-schema.json (jlfwong/speedscope, MIT), as published at the URL the file's $schema names.
        var schema = JsonSchema.FromFile(Path.Combine(TestContext.CurrentContext.TestDirectory, "Profiles", "speedscope-file-format-schema.json"));
        var result = schema.Evaluate(JsonNode.Parse(File.ReadAllText(path)), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Details?.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        // and the schema is not toothless: a stack of frame names instead of indexes fails it
        var broken = JsonNode.Parse(File.ReadAllText(path))!;
        broken["profiles"]![0]!["samples"]![0]![0] = "Suite.Bench";
        Assert.That(schema.Evaluate(broken).IsValid, Is.False);
    }

    [Test]
    public void Written_ReadsBackTheSameProfile()
    {
        var path = Path.Combine(_dir, "p" + SpeedscopeFile.Extension);
        var written = Sample();
        SpeedscopeFile.Write(written, path);
        var read = SpeedscopeFile.Read(path);
        Assert.That(read.Info, Is.EqualTo(written.Info));
        Assert.That(read.Frames, Is.EqualTo(written.Frames));
        Assert.That(read.Samples.Select(s => (string.Join(",", s.Stack), s.Objects, s.Bytes)),
            Is.EqualTo(written.Samples.Select(s => (string.Join(",", s.Stack), s.Objects, s.Bytes))));
    }

    [Test]
    public void Summary_CountsARecursiveMethodOncePerAllocation()
    {
        var methods = ProfileSummary.TopMethods(Sample(), 10).ToDictionary(m => m.Method);
        Assert.That(methods["Suite.Helper"].OwnBytes, Is.EqualTo(1_024));
        Assert.That(methods["Suite.Helper"].TotalBytes, Is.EqualTo(1_024), "helper → helper → new Node counts its 24 bytes once");
        Assert.That(methods["Suite.Bench"].OwnBytes, Is.EqualTo(72));
        Assert.That(methods["Suite.Bench"].TotalBytes, Is.EqualTo(1_096));
        Assert.That(methods["Suite.Bench"].TotalShare, Is.EqualTo(1.0));
        Assert.That(ProfileSummary.TopMethods(Sample(), 10)[0].Method, Is.EqualTo("Suite.Helper"), "ranked by own bytes");
        Assert.That(ProfileSummary.TopTypes(Sample(), 10).Select(t => (t.Type, t.Objects, t.Bytes)),
            Is.EqualTo(new[] { ("System.Byte[]", 1L, 1_000L), ("Suite.Node", 4L, 96L) }));
    }

    [TestCase("{\"$schema\":\"x\"", "is not valid JSON")]
    [TestCase("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"shared\":{\"frames\":[]},\"profiles\":[]}", "no \"benchmem\" section")]
    [TestCase("[1,2]", "no \"benchmem\" section")]
    public void Damaged_IsRefusedNamingTheFile(string text, string reason)
    {
        var path = Path.Combine(_dir, "bad" + SpeedscopeFile.Extension);
        File.WriteAllText(path, text);
        var e = Assert.Throws<ProfileException>(() => SpeedscopeFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain(reason));
    }

    [Test]
    public void Damaged_StackPointingPastTheFramesIsRefused()
    {
        var path = Path.Combine(_dir, "p" + SpeedscopeFile.Extension);
        SpeedscopeFile.Write(Sample(), path);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["profiles"]![0]!["samples"]![1]![1] = 99;
        File.WriteAllText(path, node.ToJsonString());
        var e = Assert.Throws<ProfileException>(() => SpeedscopeFile.Read(path))!;
        Assert.That(e.Message, Does.Contain("names a frame that does not exist"));
    }

    [Test]
    public void Folder_MissingEmptyOrAFileSaysHowToMakeProfiles()
    {
        var missing = Path.Combine(_dir, "nope");
        Assert.That(Assert.Throws<ProfileException>(() => ProfileFolder.Load(missing))!.Message,
            Is.EqualTo($"profile folder {missing} does not exist: run the tests with Benchmem.Profile={missing} (or [BenchMem(Profile = true)]) first."));
        Assert.That(Assert.Throws<ProfileException>(() => ProfileFolder.Load(_dir))!.Message, Does.Contain("holds no profiles (*.speedscope.json)"));
        var file = Path.Combine(_dir, "f.txt");
        File.WriteAllText(file, "");
        Assert.That(Assert.Throws<ProfileException>(() => ProfileFolder.Load(file))!.Message, Does.Contain("is a file, not a profile folder"));
    }

    [Test]
    public void Folder_AWholeNameWinsOverOneThatOnlyContainsIt()
    {
        // Issue 16: 'Serialize(n: 1000)' also lies inside 'Deserialize(n: 1000)'.
        foreach (string name in new[] { "Json.Codec.Serialize(n: 1000)", "Json.Codec.Deserialize(n: 1000)", "Json.Codec.Serialize(n: 10)" })
            SpeedscopeFile.Write(Sample(name), ProfileFolder.ProfilePath(_dir, name));
        var all = ProfileFolder.Load(_dir);
        Assert.That(ProfileFolder.Find(all, "Serialize(n: 1000)").Profile.Info.FullName, Is.EqualTo("Json.Codec.Serialize(n: 1000)"));
        Assert.That(ProfileFolder.Find(all, "codec.serialize(n: 1000)").Profile.Info.FullName, Is.EqualTo("Json.Codec.Serialize(n: 1000)"));
        Assert.That(ProfileFolder.Find(all, "Deserialize(n: 1000)").Profile.Info.FullName, Is.EqualTo("Json.Codec.Deserialize(n: 1000)"));
        Assert.That(ProfileFolder.Find(all, "Deserialize").Profile.Info.FullName, Is.EqualTo("Json.Codec.Deserialize(n: 1000)"), "a unique part still names it");
        Assert.That(Assert.Throws<ProfileException>(() => ProfileFolder.Find(all, "(n: 1000)"))!.Message, Does.StartWith("'(n: 1000)' matches 2 profiles"));
    }

    [Test]
    public void Folder_FindsByFullNameStemOrUniquePart()
    {
        SpeedscopeFile.Write(Sample("Suite.Build(n: 1)"), ProfileFolder.ProfilePath(_dir, "Suite.Build(n: 1)"));
        SpeedscopeFile.Write(Sample("Suite.Build(n: 2)"), ProfileFolder.ProfilePath(_dir, "Suite.Build(n: 2)"));
        var all = ProfileFolder.Load(_dir);
        Assert.That(ProfileFolder.Find(all, "Suite.Build(n: 2)").Profile.Info.FullName, Is.EqualTo("Suite.Build(n: 2)"));
        Assert.That(ProfileFolder.Find(all, ProfileFolder.Stem("Suite.Build(n: 1)")).Profile.Info.FullName, Is.EqualTo("Suite.Build(n: 1)"));
        Assert.That(ProfileFolder.Find(all, "n: 1").Profile.Info.FullName, Is.EqualTo("Suite.Build(n: 1)"));
        Assert.That(Assert.Throws<ProfileException>(() => ProfileFolder.Find(all, "build"))!.Message, Does.StartWith("'build' matches 2 profiles"));
        Assert.That(Assert.Throws<ProfileException>(() => ProfileFolder.Find(all, "Parse"))!.Message, Does.StartWith("no profile matches 'Parse'"));
    }

    [Test]
    public void Stem_IsAFileNameThatKeepsPunctuationVariantsApart()
    {
        Assert.That(ProfileFolder.Stem("A.B(x: \"1\")"), Does.Match("^A.B_x___1-[0-9a-f]{8}$"));
        Assert.That(ProfileFolder.Stem("A.B(1)"), Is.Not.EqualTo(ProfileFolder.Stem("A.B[1]")));
        Assert.That(ProfileFolder.Stem(new string('x', 500)).Length, Is.EqualTo(100 + 9));
    }
}
