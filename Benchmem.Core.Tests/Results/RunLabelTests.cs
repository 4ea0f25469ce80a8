using System.Text.Json;
using Benchmem.Core.Errors;
using Benchmem.Core.Provenance;
using Benchmem.Core.Results;

namespace Benchmem.Core.Tests.Results;

/// <summary>Benchmem.Label and Benchmem.Sweep: written only when set, read back, and stamped into a finished file.</summary>
public class RunLabelTests
{
    private static readonly SweepPoint Point = new("Newtonsoft.Json", "13.0.1", "net10.0");

    private static byte[] Written(RunInfo run)
    {
        using var buffer = new MemoryStream();
        ResultsJson.WriteRun(buffer, run, [Samples.Record("Examples.SortBenchmarks.Sort(n: 10)")]);
        return buffer.ToArray();
    }

    [Test]
    public void Label_and_sweep_are_the_last_fields_of_the_run_block_and_read_back()
    {
        using var dir = new TempDirectory();
        var path = dir.File("run.json");
        File.WriteAllBytes(path, Written(Samples.Run() with { Label = "Newtonsoft.Json-13.0.1-net10.0", Sweep = Point }));

        using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
        {
            var b = doc.RootElement.GetProperty("Benchmem");
            Assert.That(b.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
                { "SchemaVersion", "Version", "BenchmemCommit", "Assembly", "Datetime", "MachineInfo", "CommitInfo", "ParallelTests", "RunKey", "Label", "Sweep" }));
            Assert.That(b.GetProperty("Label").GetString(), Is.EqualTo("Newtonsoft.Json-13.0.1-net10.0"));
            Assert.That(b.GetProperty("Sweep").GetRawText(), Is.EqualTo("""
                {
                      "Package": "Newtonsoft.Json",
                      "Version": "13.0.1",
                      "Framework": "net10.0"
                    }
                """));
        }
        var run = BenchmarkRun.Load(path);
        Assert.That(run.Label, Is.EqualTo("Newtonsoft.Json-13.0.1-net10.0"));
        Assert.That(run.Sweep, Is.EqualTo(Point));
    }

    [Test]
    public void A_run_without_a_label_reads_back_null_and_writes_no_extra_field()
    {
        using var dir = new TempDirectory();
        var path = dir.File("run.json");
        File.WriteAllBytes(path, Written(Samples.Run()));

        var run = BenchmarkRun.Load(path);
        Assert.That(run.Label, Is.Null);
        Assert.That(run.Sweep, Is.Null);
        Assert.That(File.ReadAllText(path), Does.Not.Contain("\"Label\"").And.Not.Contain("\"Sweep\""));
    }

    [Test]
    public void Stamping_a_finished_file_gives_exactly_the_file_a_labelled_run_writes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("run.json");
        File.WriteAllBytes(path, Written(Samples.Run()));

        RunLabel.Stamp(path, "Newtonsoft.Json-13.0.1-net10.0", Point);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Written(Samples.Run() with { Label = "Newtonsoft.Json-13.0.1-net10.0", Sweep = Point })));
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "run.json" }), "written atomically: no temp file left");
    }

    [Test]
    public void Stamping_fills_a_missing_commit_in_place_and_keeps_one_the_run_saw()
    {
        using var dir = new TempDirectory();
        var path = dir.File("run.json");
        var copyCommit = new CommitInfo("feedfacefeedfacefeedfacefeedfacefeedface", Dirty: false, Branch: "sweep");
        File.WriteAllBytes(path, Written(Samples.Run() with { Commit = null }));

        RunLabel.Stamp(path, "P-1.0.0", new SweepPoint("P", "1.0.0", null), copyCommit);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Written(Samples.Run() with { Commit = copyCommit, Label = "P-1.0.0", Sweep = new SweepPoint("P", "1.0.0", null) })));

        RunLabel.Stamp(path, "P-2.0.0", new SweepPoint("P", "2.0.0", null), new CommitInfo("0000000000000000000000000000000000000000", true, null));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Written(Samples.Run() with { Commit = copyCommit, Label = "P-2.0.0", Sweep = new SweepPoint("P", "2.0.0", null) })),
            "a second stamp replaces the label in place and keeps the commit already there");
    }

    [Test]
    public void Stamping_something_that_is_not_a_results_file_says_so()
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.json");
        File.WriteAllText(path, """{ "Title": "x" }""");
        var e = Assert.Throws<ResultsFileException>(() => RunLabel.Stamp(path, "L", null));
        Assert.That(e!.Message, Is.EqualTo($"{path}: not a results file (no \"Benchmarks\" array); cannot label it."));
        File.WriteAllText(path, "{ \"Benchmarks\": [");
        Assert.That(Assert.Throws<ResultsFileException>(() => RunLabel.Stamp(path, "L", null))!.Message, Does.StartWith($"{path}: not valid JSON ("));
    }
}
