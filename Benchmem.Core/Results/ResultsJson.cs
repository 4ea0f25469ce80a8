using System.Text.Json;

namespace Benchmem.Core.Results;

/// <summary>
/// The results format's public door: BenchmarkDotNet's full JSON export plus a "Benchmem" block per benchmark and per
/// run. <see cref="ResultsWriter"/> writes it, <see cref="ResultsReader"/> reads it, <see cref="ResultsFields"/> names
/// its fields; this class only forwards, so callers need not know which is which.
/// </summary>
public static class ResultsJson
{
    /// <summary>Writes one Benchmarks[] entry.</summary>
    public static void WriteBenchmark(Utf8JsonWriter w, BenchmarkRecord r, string? hardwareIntrinsics = null) =>
        ResultsWriter.WriteBenchmark(w, r, hardwareIntrinsics);

    /// <summary>One compact JSON line for the journal.</summary>
    public static byte[] ToJournalLine(BenchmarkRecord r) => ResultsWriter.ToJournalLine(r);

    /// <summary>Writes the whole results file.</summary>
    public static void WriteRun(Stream stream, RunInfo run, IReadOnlyList<BenchmarkRecord> records) => ResultsWriter.WriteRun(stream, run, records);

    /// <summary>
    /// Reads one Benchmarks[] entry (Benchmem's or BenchmarkDotNet's). Absent or null fields take their defaults; a
    /// field that is there with the wrong type or out of range throws a <see cref="JsonException"/> naming the field
    /// and what was expected (and nothing else does).
    /// </summary>
    public static BenchmarkRecord ReadBenchmark(JsonElement e) => ResultsReader.ReadBenchmark(e);
}
