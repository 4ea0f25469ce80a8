using Benchmem.Core.Errors;

namespace Benchmem.Core.Tests.Errors;

/// <summary>Every error that is the user's to fix is a <see cref="BenchmemException"/> with its kind as data.</summary>
public class BenchmemExceptionTests
{
    private static IEnumerable<TestCaseData> Errors()
    {
        yield return new TestCaseData(new ResultsFileException("a.json: not JSON."), ErrorKind.UnusableFile).SetName("ResultsFile");
        yield return new TestCaseData(new ProfileException("p.speedscope.json: not a profile."), ErrorKind.UnusableFile).SetName("Profile");
        yield return new TestCaseData(new BenchmemSettingsException("Benchmem settings are invalid"), ErrorKind.InvalidInput).SetName("Settings");
        yield return new TestCaseData(new DuplicateBenchmarkException("A.B twice."), ErrorKind.Conflict).SetName("DuplicateBenchmark");
    }

    [TestCaseSource(nameof(Errors))]
    public void EachTypeNamesItsKind_AndKeepsTheMessageAsItIs(BenchmemException error, ErrorKind kind)
    {
        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(kind));
            Assert.That(error.Message, Does.EndWith(".").Or.EqualTo("Benchmem settings are invalid"));
            Assert.That(error.Message, Does.Not.Contain("Parameter"), "no framework wording added");
        });
    }

    [Test]
    public void AResultsFileErrorKeepsItsCause()
    {
        var cause = new IOException("disk gone");
        var error = new ResultsFileException("a.json: cannot be read (disk gone).", cause);
        Assert.Multiple(() =>
        {
            Assert.That(error.InnerException, Is.SameAs(cause));
            Assert.That(error.Message, Is.EqualTo("a.json: cannot be read (disk gone)."));
        });
    }

    [Test]
    public void TheTypesLiveInOneNamespace()
    {
        var types = typeof(BenchmemException).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(BenchmemException))).Select(t => t.FullName).Order(StringComparer.Ordinal);
        Assert.That(types, Is.EqualTo(new[]
        {
            "Benchmem.Core.Errors.BenchmemSettingsException", "Benchmem.Core.Errors.DuplicateBenchmarkException",
            "Benchmem.Core.Errors.ProfileException", "Benchmem.Core.Errors.ResultsFileException",
        }));
    }
}
