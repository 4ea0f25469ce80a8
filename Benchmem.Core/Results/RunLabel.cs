using System.Text.Json;
using System.Text.Json.Nodes;
using Benchmem.Core.Errors;
using Benchmem.Core.Provenance;

namespace Benchmem.Core.Results;

/// <summary>
/// Labels a results file after its run: sets Benchmem.Label and Benchmem.Sweep (and the commit, when the run could
/// not see one) in place, atomically. Done by the sweep rather than by a run setting, so a project that references an
/// older Benchmem.NUnit (which would refuse an unknown setting) can still be swept. Everything else in the file is
/// kept byte for byte as its writer wrote it (the document is edited, not re-modelled).
/// </summary>
public static class RunLabel
{
    public static void Stamp(string path, string label, SweepPoint? sweep, CommitInfo? commitIfMissing = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new ResultsFileException($"{path}: not valid JSON ({e.Message.Split('.')[0]}); cannot label it.", e);
        }
        if (root is not JsonObject run || !run.ContainsKey("Benchmarks"))
            throw new ResultsFileException($"{path}: not a results file (no \"Benchmarks\" array); cannot label it.");
        if (run["Benchmem"] is not JsonObject benchmem)
        {
            benchmem = new JsonObject();
            run["Benchmem"] = benchmem;
        }
        if (commitIfMissing is { } c && benchmem["CommitInfo"] is null)
            benchmem["CommitInfo"] = new JsonObject { ["id"] = c.Id, ["dirty"] = c.Dirty, ["branch"] = c.Branch };
        benchmem["Label"] = label;
        benchmem["Sweep"] = sweep is null ? null : new JsonObject
        {
            ["Package"] = sweep.Package,
            ["Version"] = sweep.Version,
            ["Framework"] = sweep.Framework,
        };
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            run.WriteTo(w);
        });
    }
}
