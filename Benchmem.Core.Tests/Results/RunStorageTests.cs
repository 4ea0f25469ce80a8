using Benchmem.Core.Errors;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

public class RunStorageTests : ResultsFileFixture
{
    private RunStorage Storage => new(Path.Combine(_dir.Path, ".benchmarks"));

    private string Results(string content = "{\"Benchmarks\":[]}")
    {
        File.WriteAllText(_results, content);
        return _results;
    }

    [Test]
    public void SavesAreNumberedInOrderUnderTheMachineFolder()
    {
        var storage = Storage;
        var first = storage.Save(Results(), "baseline");
        var second = storage.Save(Results(), "after-fix");
        Assert.That(Path.GetFileName(first), Is.EqualTo("0001_baseline.json"));
        Assert.That(Path.GetFileName(second), Is.EqualTo("0002_after-fix.json"));
        Assert.That(Path.GetFileName(Path.GetDirectoryName(first)), Is.EqualTo(RunStorage.MachineKey));
        Assert.That(storage.List().Select(r => (r.Number, r.Name)), Is.EqualTo(new[] { (1, "baseline"), (2, "after-fix") }));
    }

    [Test]
    public void ASaveNeverOverwritesAnExistingRun()
    {
        var storage = Storage;
        Directory.CreateDirectory(storage.Folder);
        File.WriteAllText(Path.Combine(storage.Folder, "0007_old.json"), "keep me");
        var saved = storage.Save(Results("new"), "old");
        Assert.That(Path.GetFileName(saved), Is.EqualTo("0008_old.json"));
        Assert.That(File.ReadAllText(Path.Combine(storage.Folder, "0007_old.json")), Is.EqualTo("keep me"));
        Assert.That(File.ReadAllText(saved), Is.EqualTo("new"));
    }

    [Test]
    public void ResolveTakesNewestNumberNameOrPath()
    {
        var storage = Storage;
        Assert.That(storage.Resolve(null), Is.Null, "nothing saved yet");
        var one = storage.Save(Results(), "base");
        var two = storage.Save(Results(), "base");
        var three = storage.Save(Results(), "other");
        Assert.That(storage.Resolve(null), Is.EqualTo(three));
        Assert.That(storage.Resolve("1"), Is.EqualTo(one));
        Assert.That(storage.Resolve("0002"), Is.EqualTo(two));
        Assert.That(storage.Resolve("base"), Is.EqualTo(two), "the newest with that name");
        Assert.That(storage.Resolve(_results), Is.EqualTo(_results));
    }

    [Test]
    public void ResolveNamesWhatIsSavedWhenTheReferenceIsUnknown()
    {
        var storage = Storage;
        storage.Save(Results(), "base");
        var byNumber = Assert.Throws<ResultsFileException>(() => storage.Resolve("9"));
        Assert.That(byNumber!.Message, Is.EqualTo($"no saved run number 9 in {storage.Folder} (saved: 0001_base)."));
        var byName = Assert.Throws<ResultsFileException>(() => storage.Resolve("nope"));
        Assert.That(byName!.Message, Is.EqualTo($"'nope' is neither a file nor a saved run in {storage.Folder} (saved: 0001_base)."));
    }

    [TestCase("has space")]
    [TestCase("slash/name")]
    [TestCase("")]
    public void UnsafeNamesAreRefused(string name)
    {
        Assert.That(RunStorage.ValidateName(name), Does.StartWith($"'{name}' cannot be a saved run's name"));
        Assert.Throws<ArgumentException>(() => Storage.Save(Results(), name));
    }
}
