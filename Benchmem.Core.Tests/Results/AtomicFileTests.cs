using System.Text;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

public class AtomicFileTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static Action<Stream> Writes(string text) => s => s.Write(Encoding.UTF8.GetBytes(text));

    [Test]
    public void Write_NewFile_InAMissingDirectory()
    {
        var path = Path.Combine(_dir.Path, "a", "b", "r.json");

        AtomicFile.Write(path, Writes("{\"new\":1}"));

        Assert.That(File.ReadAllText(path), Is.EqualTo("{\"new\":1}"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName), Is.EqualTo(new[] { "r.json" }));
    }

    [Test]
    public void Write_ReplacesTheWholeOldContent_AndLeavesNoTempFile()
    {
        var path = _dir.File("r.json");
        File.WriteAllText(path, new string('x', 10_000));

        AtomicFile.Write(path, Writes("short"));

        Assert.That(File.ReadAllText(path), Is.EqualTo("short"));
        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { "r.json" }));
    }

    [Test]
    public void Write_WhenTheCallbackThrows_TheOldContentSurvives_AndNoTempFileIsLeft()
    {
        var path = _dir.File("r.json");
        File.WriteAllText(path, "old content");
        var boom = new InvalidOperationException("writer failed halfway");

        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(Encoding.UTF8.GetBytes("half of the new con"));
            throw boom;
        }));

        Assert.That(thrown, Is.SameAs(boom));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old content"));
        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { "r.json" }));
    }

    [Test]
    public void Write_WhenTheCallbackThrows_NoFileAppearsWhereThereWasNone()
    {
        var path = _dir.File("r.json");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => throw new IOException("disk full")));

        Assert.That(_dir.FileNames(), Is.Empty);
    }
}

public class WritableFolderTests
{
    [Test]
    public void AFolderThatCanBeMade_IsFine_AndIsNotCreated()
    {
        var root = Path.Combine(Path.GetTempPath(), $"benchmem-wf-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var folder = Path.Combine(root, "a", "b");
            Assert.That(WritableFolder.Problem(folder), Is.Null);
            Assert.That(Directory.Exists(Path.Combine(root, "a")), Is.False, "the check creates nothing");
            Assert.That(Directory.GetFileSystemEntries(root), Is.Empty, "the probe file is gone");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void AFileInThePath_IsTheProblem()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.That(WritableFolder.Problem(Path.Combine(file, "results")), Is.EqualTo($"{file} is a file, not a folder"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
