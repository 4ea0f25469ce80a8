using System.Text;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

/// <summary>
/// Every way a results file can be bad gets one ResultsFileException line naming the file, what is wrong and, where
/// there is one, the fix. Several of these were found by the fuzzer (ReaderFuzzTests) and are kept here as regressions.
/// </summary>
public class BadResultsFileTests : ResultsFileFixture
{
    /// <summary>A valid file with one benchmark whose body is <paramref name="benchmark"/>, and the run-level Benchmem block.</summary>
    private static string File1(string benchmark, string schema = "1") =>
        $$"""{ "Title": "t", "Benchmarks": [ {{benchmark}} ], "Benchmem": { "SchemaVersion": {{schema}} } }""";

    private const string Good = """{ "FullName": "P.T.M", "Statistics": { "OriginalValues": [1, 2, 3] }, "Memory": { "TotalOperations": 16, "BytesAllocatedPerOperation": 8 } }""";

    private string LoadError(string text) => LoadError(Encoding.UTF8.GetBytes(text));

    private string LoadError(byte[] bytes)
    {
        File.WriteAllBytes(_results, bytes);
        var e = Assert.Throws<ResultsFileException>(() => BenchmarkRun.Load(_results))!;
        Assert.That(e.Message, Does.Not.Contain('\n'));
        return e.Message.Replace(_results, "FILE");
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        TestCaseData Case(string name, string text, string expected) => new TestCaseData(text, expected).SetArgDisplayNames(name);

        yield return Case("empty file", "", "FILE: is empty; expected a Benchmem results file or a BenchmarkDotNet full JSON export.");
        yield return Case("blank file", " \n ", "FILE: is empty; expected a Benchmem results file or a BenchmarkDotNet full JSON export.");
        yield return Case("Benchmarks not an array", """{ "Benchmarks": {} }""",
            "FILE: neither a Benchmem results file nor a BenchmarkDotNet full JSON export (no \"Benchmarks\" array).");
        yield return Case("a benchmark that is a number", File1("5"), "FILE: benchmark #1 is malformed (a benchmark is 5; expected an object).");
        yield return Case("no FullName", File1("""{ "Type": "T" }"""), "FILE: benchmark #1 is malformed (a benchmark has no FullName).");
        yield return Case("FullName a number", File1("""{ "FullName": 5 }"""), "FILE: benchmark #1 is malformed (FullName is 5; expected a string).");
        yield return Case("OriginalValues a string", File1("""{ "FullName": "A", "Statistics": { "OriginalValues": "1,2" } }"""),
            "FILE: benchmark #1 is malformed (Statistics.OriginalValues is the string \"1,2\"; expected an array of numbers).");
        // Found by the fuzzer: 1e400 read as infinity and crashed the statistics (ArgumentException) in compare.
        yield return Case("OriginalValues beyond double", File1("""{ "FullName": "A", "Statistics": { "OriginalValues": [1, 1e400] } }"""),
            "FILE: benchmark #1 is malformed (Statistics.OriginalValues[1] is 1e400; expected a finite number).");
        yield return Case("Statistics an array", File1("""{ "FullName": "A", "Statistics": [] }"""),
            "FILE: benchmark #1 is malformed (Statistics is an array; expected an object).");
        yield return Case("Dims an array", File1("""{ "FullName": "A", "Benchmem": { "Dims": [1] } }"""),
            "FILE: benchmark #1 is malformed (Benchmem.Dims is an array; expected an object).");
        yield return Case("a dim beyond double", File1("""{ "FullName": "A", "Benchmem": { "Dims": { "n": -1e400 } } }"""),
            "FILE: benchmark #1 is malformed (Benchmem.Dims.n is -1e400; expected a finite number).");
        // Used to read silently as 0.
        yield return Case("a long beyond long", File1("""{ "FullName": "A", "Memory": { "BytesAllocatedPerOperation": 99999999999999999999 } }"""),
            "FILE: benchmark #1 is malformed (Memory.BytesAllocatedPerOperation is 99999999999999999999; expected a whole number (64-bit)).");
        yield return Case("a count beyond int", File1("""{ "FullName": "A", "Memory": { "Gen0Collections": 3000000000 } }"""),
            "FILE: benchmark #1 is malformed (Memory.Gen0Collections is 3000000000; expected a whole number (32-bit)).");
        yield return Case("a series value that is a fraction", File1("""{ "FullName": "A", "Benchmem": { "Series": { "PeakBytes": [10, 1.5] } } }"""),
            "FILE: benchmark #1 is malformed (Benchmem.Series.PeakBytes[1] is 1.5; expected a whole number (64-bit)).");
        yield return Case("a second benchmark bad", """{ "Benchmarks": [ { "FullName": "A" }, { "FullName": "B", "Memory": { "TotalOperations": "16" } } ] }""",
            "FILE: benchmark #2 is malformed (Memory.TotalOperations is the string \"16\"; expected a whole number (64-bit)).");
        yield return Case("duplicate FullNames", """{ "Benchmarks": [ { "FullName": "A" }, { "FullName": "A" } ] }""",
            "FILE: FullName \"A\" appears twice; FullNames must be unique in a run.");
        yield return Case("newer schema", File1(Good, schema: "3"),
            "FILE: written by a newer Benchmem (schema 3; this one reads up to 2); update Benchmem to read it.");
        yield return Case("schema beyond int", File1(Good, schema: "99999999999999999999"),
            "FILE: written by a newer Benchmem (schema 99999999999999999999; this one reads up to 2); update Benchmem to read it.");
        // Used to read as int.MaxValue and claim a newer Benchmem wrote it.
        yield return Case("schema a fraction", File1(Good, schema: "1.5"),
            "FILE: Benchmem.SchemaVersion is 1.5; expected a whole number from 1 to 2 (the file is damaged, or not written by Benchmem).");
        yield return Case("schema a string", File1(Good, schema: "\"1\""),
            "FILE: Benchmem.SchemaVersion is \"1\"; expected a whole number from 1 to 2 (the file is damaged, or not written by Benchmem).");
        yield return Case("schema negative", File1(Good, schema: "-1"),
            "FILE: Benchmem.SchemaVersion is -1; expected a whole number from 1 to 2 (the file is damaged, or not written by Benchmem).");
        yield return Case("run block a string", """{ "Benchmarks": [], "Benchmem": "1" }""",
            "FILE: the run's \"Benchmem\" block is \"1\"; expected an object (the file is damaged).");
        yield return Case("10,000 '['", new string('[', 10_000), "FILE: not a results file (JSON nested deeper than 64 levels, line 1).");
        yield return Case("NaN literal", File1("""{ "FullName": "A", "Statistics": { "OriginalValues": [NaN] } }"""),
            "FILE: not valid JSON ('N' is an invalid start of a value, line 1); was the file cut short?");
        // Found by the fuzzer: the parser quotes the offending text, line breaks included, which made the message two lines.
        yield return Case("bad JSON quoting a line break", "{ \"Benchmarks\": [ f\n }", "FILE: not valid JSON ('f\\u000a }' is an invalid JSON literal, line 1); was the file cut short?");
    }

    // Found by the fuzzer: a damaged byte or an escaped lone surrogate in the Title passed the parser and threw
    // InvalidOperationException when the title was read.
    [Test]
    public void Text_that_is_not_valid_utf8_is_named_with_its_offset()
    {
        byte[] bytes = [.. "{ \"Title\": \"ab"u8, 0xC3, 0x28, .. "\", \"Benchmarks\": [] }"u8];

        Assert.That(LoadError(bytes), Is.EqualTo(
            "FILE: not UTF-8 text (invalid bytes at offset 14); results files are UTF-8 JSON: the file is damaged, or was saved in another encoding."));
        Assert.That(LoadError([0xEF, 0xBB, 0xBF, .. bytes]), Does.StartWith("FILE: not UTF-8 text (invalid bytes at offset 17);"), "offsets count the BOM");
    }

    [Test]
    public void An_escaped_lone_surrogate_is_named()
    {
        Assert.That(LoadError("""{ "Title": "a\udfff", "Benchmarks": [] }"""),
            Is.EqualTo("FILE: Title is not valid text (Cannot read invalid UTF-16 JSON text as string. Invalid surrogate value: '0xDFFF')."));
        Assert.That(LoadError("""{ "Benchmarks": [ { "FullName": "A\ud800" } ] }"""),
            Does.StartWith("FILE: benchmark #1 is malformed (a text value is not valid (Cannot read incomplete UTF-16 JSON text as string"));
    }

    [TestCaseSource(nameof(Malformed))]
    public void A_bad_file_is_one_line_naming_it_and_the_problem(string text, string expected) =>
        Assert.That(LoadError(text), Is.EqualTo(expected));

    [Test]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        File.WriteAllBytes(_results, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(File1(Good))]);

        var run = BenchmarkRun.Load(_results);

        Assert.That(run.Benchmarks.Select(b => b.FullName), Is.EqualTo(new[] { "P.T.M" }));
        Assert.That(run.Benchmarks[0].Timing!.RoundNanoseconds, Is.EqualTo(new double[] { 1, 2, 3 }));
    }

    [Test]
    public void Null_fields_read_as_absent()
    {
        File.WriteAllText(_results, File1("""{ "FullName": "A", "Statistics": null, "Memory": null, "Benchmem": { "Dims": null, "Group": null, "Series": null } }"""));

        var b = BenchmarkRun.Load(_results).Benchmarks.Single();

        Assert.That((b.Timing, b.Allocation, b.Memory, b.Group, b.Dims.Count), Is.EqualTo((default(TimingResult), default(AllocationResult), default(Benchmem.Core.Memory.MemoryResult), default(string), 0)));
    }

    [Test]
    public void No_rounds_is_no_timing_rather_than_empty_statistics()
    {
        File.WriteAllText(_results, File1("""{ "FullName": "A", "Statistics": { "OriginalValues": [] } }"""));

        Assert.That(BenchmarkRun.Load(_results).Benchmarks.Single().Timing, Is.Null);
    }

    [Test]
    public void A_directory_or_a_missing_path_is_named()
    {
        Assert.That(Assert.Throws<ResultsFileException>(() => BenchmarkRun.Load(_dir.Path))!.Message,
            Is.EqualTo($"{_dir.Path}: is a directory; give a results .json file (or use LoadDirectory)."));
        Assert.That(Assert.Throws<ResultsFileException>(() => BenchmarkRun.Load(_dir.File("none.json")))!.Message,
            Is.EqualTo($"{_dir.File("none.json")}: no such file."));
        Assert.That(Assert.Throws<ResultsFileException>(() => BenchmarkRun.LoadDirectory(_dir.File("none")))!.Message,
            Is.EqualTo($"{_dir.File("none")}: no such directory."));
        File.WriteAllText(_results, File1(Good));
        Assert.That(Assert.Throws<ResultsFileException>(() => BenchmarkRun.LoadDirectory(_results))!.Message,
            Is.EqualTo($"{_results}: is a file, not a directory; give the folder of saved runs (or use Load for one file)."));
    }

    [Test, Platform("Linux,MacOsX")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void An_unreadable_file_is_named_not_thrown_as_an_access_error()
    {
        File.WriteAllText(_results, File1(Good));
        File.SetUnixFileMode(_results, UnixFileMode.None);
        try
        {
            if (CanRead(_results))
                Assert.Ignore("running as root: chmod 000 does not stop reading");
            Assert.That(ErrorLoading(_results), Does.StartWith("FILE: cannot be read (Access to the path"));
        }
        finally
        {
            File.SetUnixFileMode(_results, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static bool CanRead(string path)
    {
        try
        {
            File.ReadAllBytes(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string ErrorLoading(string path)
    {
        var e = Assert.Throws<ResultsFileException>(() => BenchmarkRun.Load(path))!;
        return e.Message.Replace(path, "FILE");
    }

    [Test]
    public void A_journal_line_of_the_wrong_shape_is_counted_broken_not_thrown()
    {
        // Found by the fuzzer: a wrong-typed field threw InvalidOperationException out of Journal.Read, which would
        // have stopped the recovery of a killed run's journal.
        var path = _dir.File("j.journal");
        File.WriteAllText(path, """
            {"FullName":"A"}
            {"FullName":"B","Statistics":{"OriginalValues":["text"]}}
            [1]
            {"FullName":"C","Benchmem":{"Dims":[]}}
            {"FullName":"D\udfff"}
            """);

        var records = Journal.Read(path, out int broken);

        Assert.That(records.Select(r => r.FullName), Is.EqualTo(new[] { "A" }));
        Assert.That(broken, Is.EqualTo(4));
    }

    [Test]
    public void A_missing_journal_is_a_results_file_error()
    {
        var path = _dir.File("gone.journal");
        var e = Assert.Throws<ResultsFileException>(() => Journal.Read(path, out _))!;
        Assert.That(e.Message, Does.StartWith($"{path}: cannot be read (Could not find file"));
    }
}
