using Benchmem.Core.Results;

namespace Benchmem.Cli.Merge;

/// <summary>What <c>merge --recover</c> took from journals: the shard files made of them, and the counts to tell.</summary>
public sealed record Recovered(IReadOnlyList<string> Shards, int Journals, int Benchmarks, int BrokenLines);

/// <summary>
/// Turns the journals an interrupted run left beside its results file (<c>&lt;results&gt;.json.&lt;pid&gt;.journal</c>,
/// one line per finished benchmark) into ordinary shard files in a scratch folder, so the merge reads them like any
/// other shard. A line cut short by the crash is dropped and counted.
/// </summary>
public static class JournalRecovery
{
    public static Recovered ToShards(IReadOnlyList<string> journals, string scratch)
    {
        var shards = new List<string>();
        int benchmarks = 0, brokenLines = 0;
        for (int i = 0; i < journals.Count; i++)
        {
            var journal = journals[i];
            if (!File.Exists(journal))
                throw new UsageException($"{journal}: no such journal file.");
            List<BenchmarkRecord> records;
            int broken;
            try
            {
                records = Journal.Read(journal, out broken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
            {
                throw new UsageException($"{journal}: cannot be read as a journal ({e.Message}).");
            }
            brokenLines += broken;
            if (records.Count == 0)
                continue;
            benchmarks += records.Count;
            // "Tests-report-full.json.4242.journal" → the run it belonged to, "Tests-report-full".
            var name = Path.GetFileName(journal);
            var resultsName = name.Split(".json.", 2)[0];
            var started = new DateTimeOffset(File.GetLastWriteTimeUtc(journal), TimeSpan.Zero);
            var run = new RunInfo
            {
                Title = RunInfo.MakeTitle(resultsName + "_recovered", started),
                AssemblyName = resultsName,
                Started = started,
                RunKey = null,
            };
            var shard = Path.Combine(scratch, $"{i:D4}-{resultsName}.json");
            AtomicFile.Write(shard, s => ResultsJson.WriteRun(s, run, records));
            shards.Add(shard);
        }
        return new Recovered(shards, journals.Count, benchmarks, brokenLines);
    }
}
