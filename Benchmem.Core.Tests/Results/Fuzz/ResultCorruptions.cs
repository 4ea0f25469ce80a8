using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Benchmem.Core.Tests.Results.Fuzz;

/// <summary>One corrupted input: what was done to which source (to reproduce it from the seed), and the bytes.</summary>
public sealed record Corruption(int Seed, string Source, string Kind, byte[] Bytes)
{
    public override string ToString() => $"seed {Seed}, {Source}: {Kind}";
}

/// <summary>
/// Deterministic corruptions of real results files, for fuzzing the readers in process (Benchmem.Core.Tests) and the
/// CLI as a process (Benchmem.Cli.Tests links this file). Each input is made from its own seed, so a failure names the
/// one seed that reproduces it. Byte-level damage (truncation, flips, deletions, insertions) tests the parser; JSON-level
/// damage (a value replaced by another kind, a property removed, a benchmark repeated, the schema bumped, deep
/// nesting) tests the shape checks behind it.
/// </summary>
public static class ResultCorruptions
{
    /// <summary>A BenchmarkDotNet 0.15-style full JSON export (what `benchmem compare` also reads).</summary>
    public const string BenchmarkDotNetExport = """
        {
          "Title": "Perf.SortBenchmarks-20261123-201500",
          "HostEnvironmentInfo": {
            "BenchmarkDotNetCaption": "BenchmarkDotNet", "BenchmarkDotNetVersion": "0.15.8", "OsVersion": "Debian GNU/Linux 12",
            "ProcessorName": "Test CPU", "PhysicalProcessorCount": 1, "PhysicalCoreCount": 2, "LogicalCoreCount": 2,
            "RuntimeVersion": ".NET 10.0.0", "Architecture": "X64", "HasAttachedDebugger": false, "HasRyuJit": true,
            "Configuration": "RELEASE", "DotNetCliVersion": "10.0.100", "ChronometerFrequency": { "Hertz": 1000000000 },
            "HardwareTimerKind": "Unknown"
          },
          "Benchmarks": [
            {
              "DisplayInfo": "SortBenchmarks.Sort: DefaultJob [n=100]", "Namespace": "Perf", "Type": "SortBenchmarks",
              "Method": "Sort", "MethodTitle": "Sort", "Parameters": "n=100", "FullName": "Perf.SortBenchmarks.Sort(n: 100)",
              "HardwareIntrinsics": "AVX2",
              "Statistics": {
                "OriginalValues": [2000.5, 2010.25, 2020, 2030.75, 2040], "N": 5, "Min": 2000.5, "LowerFence": 1950,
                "Q1": 2010.25, "Median": 2020, "Mean": 2020.3, "Q3": 2030.75, "UpperFence": 2090, "Max": 2040,
                "InterquartileRange": 20.5, "LowerOutliers": [], "UpperOutliers": [], "AllOutliers": [],
                "StandardError": 6.9, "Variance": 238.7, "StandardDeviation": 15.45, "Skewness": 0.01, "Kurtosis": 1.3,
                "ConfidenceInterval": { "N": 5, "Mean": 2020.3, "StandardError": 6.9, "Level": 12, "Margin": 59.5, "Lower": 1960.8, "Upper": 2079.8 },
                "Percentiles": { "P0": 2000.5, "P25": 2010.25, "P50": 2020, "P67": 2027, "P80": 2034, "P85": 2036, "P90": 2038, "P95": 2039, "P100": 2040 }
              },
              "Memory": { "Gen0Collections": 3, "Gen1Collections": 0, "Gen2Collections": 0, "TotalOperations": 4096, "BytesAllocatedPerOperation": 12000 },
              "Measurements": [
                { "IterationMode": "Workload", "IterationStage": "Result", "LaunchIndex": 1, "IterationIndex": 1, "Operations": 256, "Nanoseconds": 512128 }
              ],
              "Metrics": [
                { "Value": 0.0117, "Descriptor": { "Id": "Gen0Collects", "DisplayName": "Gen0", "Legend": "GC Generation 0 collects per 1000 operations", "NumberFormat": "#0.0000", "UnitType": 0, "Unit": "Count", "TheGreaterTheBetter": false, "PriorityInCategory": 0 } }
              ]
            },
            {
              "DisplayInfo": "SortBenchmarks.Sort: DefaultJob [n=1000]", "Namespace": "Perf", "Type": "SortBenchmarks",
              "Method": "Sort", "MethodTitle": "Sort", "Parameters": "n=1000", "FullName": "Perf.SortBenchmarks.Sort(n: 1000)",
              "Statistics": { "OriginalValues": [25000, 25100, 24900], "N": 3, "Min": 24900, "Median": 25000, "Mean": 25000, "Max": 25100, "StandardDeviation": 100 },
              "Memory": { "Gen0Collections": 1, "Gen1Collections": 0, "Gen2Collections": 0, "TotalOperations": 512, "BytesAllocatedPerOperation": 120024 },
              "Measurements": [],
              "Metrics": []
            }
          ]
        }
        """;

    private const string RawMarker = "__benchmem_fuzz_raw__";

    /// <summary>Values a JSON value is replaced with; the raw ones are not representable as nodes (or not even JSON).</summary>
    private static readonly string[] RawValues =
    [
        "\"text\"", "\"\"", "\"NaN\"", "0", "-1", "1.5", "-0.0", "1e308", "1e400", "-1e400", "1e-400", "99999999999999999999",
        "-99999999999999999999", "9223372036854775808", "2147483648", "NaN", "Infinity", "-Infinity", "null", "true", "false",
        "[]", "[1, \"a\", null]", "{}", "{\"FullName\": 5}", "[[[[[]]]]]",
    ];

    private static readonly string[] SchemaVersions = ["0", "1", "2", "99", "-1", "1.5", "\"1\"", "null", "2147483648", "1e400", "{}"];

    public static readonly string[] Kinds =
    [
        "truncate", "flip-bytes", "delete-bytes", "insert-bytes", "replace-value", "replace-value", "replace-value",
        "delete-property", "delete-property", "duplicate-benchmark", "schema-version", "deep-nesting", "two-mutations",
    ];

    /// <summary>The inputs every fuzz run includes whatever the seeds: the edge cases named in the issue.</summary>
    public static IEnumerable<Corruption> Fixed(string source, byte[] good)
    {
        yield return new Corruption(-1, source, "empty file", []);
        yield return new Corruption(-1, source, "whitespace only", "  \n\t "u8.ToArray());
        yield return new Corruption(-1, source, "UTF-8 BOM (must load)", [0xEF, 0xBB, 0xBF, .. good]);
        yield return new Corruption(-1, source, "UTF-16 text", Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(good)));
        yield return new Corruption(-1, source, "top-level null", "null"u8.ToArray());
        yield return new Corruption(-1, source, "top-level array", "[]"u8.ToArray());
        yield return new Corruption(-1, source, "top-level number", "42"u8.ToArray());
        yield return new Corruption(-1, source, "10,000 '['", Encoding.ASCII.GetBytes(new string('[', 10_000)));
        yield return new Corruption(-1, source, "10,000 nested arrays", Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)));
        yield return new Corruption(-1, source, "NUL bytes", new byte[64]);
        var text = Encoding.UTF8.GetString(good);
        int name = text.IndexOf("\"FullName\": \"", StringComparison.Ordinal) + "\"FullName\": \"".Length;
        yield return new Corruption(-1, source, "invalid UTF-8 in a FullName", [.. good[..name], 0xC3, 0x28, .. good[name..]]);
        yield return new Corruption(-1, source, "a lone surrogate escaped in a FullName", Encoding.UTF8.GetBytes(text.Insert(name, "\\ud800")));
        yield return new Corruption(-1, source, "a lone surrogate escaped in the Title",
            Encoding.UTF8.GetBytes(text.Replace("\"Title\": \"", "\"Title\": \"\\udfff", StringComparison.Ordinal)));
        yield return new Corruption(-1, source, "trailing garbage", [.. good, .. "}x"u8]);
        yield return new Corruption(-1, source, "two documents", [.. good, .. good]);
    }

    /// <summary>One corruption of <paramref name="good"/>, fully determined by <paramref name="seed"/>.</summary>
    public static Corruption Make(int seed, string source, byte[] good)
    {
        var random = new Random(seed);
        var kind = Kinds[random.Next(Kinds.Length)];
        if (kind == "two-mutations")
        {
            var first = Apply(random, Kinds[random.Next(Kinds.Length - 1)], good);
            var second = Apply(random, Kinds[random.Next(Kinds.Length - 1)], first.Bytes);
            return new Corruption(seed, source, $"{first.What}, then {second.What}", second.Bytes);
        }
        var (what, bytes) = Apply(random, kind, good);
        return new Corruption(seed, source, what, bytes);
    }

    private static (string What, byte[] Bytes) Apply(Random random, string kind, byte[] input)
    {
        switch (kind)
        {
            case "truncate":
            {
                int at = random.Next(input.Length + 1);
                return ($"truncated at byte {at} of {input.Length}", input[..at]);
            }
            case "flip-bytes":
            {
                var bytes = (byte[])input.Clone();
                int n = 1 + random.Next(4);
                var at = new List<int>();
                for (int i = 0; i < n && bytes.Length > 0; i++)
                {
                    int p = random.Next(bytes.Length);
                    bytes[p] ^= (byte)(1 << random.Next(8));
                    at.Add(p);
                }
                return ($"flipped a bit at byte(s) {string.Join(", ", at)}", bytes);
            }
            case "delete-bytes":
            {
                if (input.Length == 0)
                    return ("deleted nothing (empty)", input);
                int at = random.Next(input.Length);
                int count = Math.Min(1 + random.Next(random.Next(2) == 0 ? 4 : 200), input.Length - at);
                return ($"deleted {count} byte(s) at {at}", [.. input[..at], .. input[(at + count)..]]);
            }
            case "insert-bytes":
            {
                int at = random.Next(input.Length + 1);
                var pool = "{}[],:\"\\0123456789.eE-+ntfaxu\0\xff"u8.ToArray();
                var insert = new byte[1 + random.Next(6)];
                for (int i = 0; i < insert.Length; i++)
                    insert[i] = random.Next(4) == 0 ? (byte)random.Next(256) : pool[random.Next(pool.Length)];
                return ($"inserted {Convert.ToHexString(insert)} at {at}", [.. input[..at], .. insert, .. input[at..]]);
            }
        }

        // JSON-level damage needs a document; when an earlier mutation broke it (bad syntax, invalid UTF-8 that the
        // nodes only notice when they read a name), fall back to a truncation.
        try
        {
            return ApplyToDocument(random, kind, input);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return Apply(random, "truncate", input);
        }
    }

    private static (string What, byte[] Bytes) ApplyToDocument(Random random, string kind, byte[] input)
    {
        var root = JsonNode.Parse(input, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        if (root is null)
            return Apply(random, "truncate", input);
        string what;
        var raw = new List<string>();
        switch (kind)
        {
            case "replace-value":
            {
                var (parent, key, path) = PickNode(random, root);
                var value = RawValues[random.Next(RawValues.Length)];
                if (parent is null)
                    return ($"replaced the root with {value}", Encoding.UTF8.GetBytes(value));
                Set(parent, key, Raw(raw, value));
                what = $"{path} = {value}";
                break;
            }
            case "delete-property":
            {
                var objects = Nodes(root, "$").Where(n => n.Node is JsonObject o && o.Count > 0).ToList();
                if (objects.Count == 0)
                    return Apply(random, "truncate", input);
                var (node, path) = objects[random.Next(objects.Count)];
                var o = (JsonObject)node!;
                var name = o.ElementAt(random.Next(o.Count)).Key;
                o.Remove(name);
                what = $"deleted {path}.{name}";
                break;
            }
            case "duplicate-benchmark":
            {
                if (root is not JsonObject r || r["Benchmarks"] is not JsonArray { Count: > 0 } benchmarks)
                    return Apply(random, "truncate", input);
                int i = random.Next(benchmarks.Count);
                benchmarks.Insert(random.Next(benchmarks.Count + 1), benchmarks[i]!.DeepClone());
                what = $"duplicated Benchmarks[{i}]";
                break;
            }
            case "schema-version":
            {
                if (root is not JsonObject r)
                    return Apply(random, "truncate", input);
                var value = SchemaVersions[random.Next(SchemaVersions.Length)];
                if (r["Benchmem"] is not JsonObject bm)
                    r["Benchmem"] = bm = new JsonObject();
                bm["SchemaVersion"] = Raw(raw, value);
                what = $"Benchmem.SchemaVersion = {value}";
                break;
            }
            case "deep-nesting":
            {
                var (parent, key, path) = PickNode(random, root);
                int depth = random.Next(2) == 0 ? 10_000 : 30 + random.Next(60);
                var value = new string('[', depth) + new string(']', depth);
                if (parent is null)
                    return ($"root nested {depth} deep", Encoding.ASCII.GetBytes(value));
                Set(parent, key, Raw(raw, value));
                what = $"{path} nested {depth} deep";
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown corruption kind");
        }
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = random.Next(2) == 0, MaxDepth = 256 });
        for (int i = 0; i < raw.Count; i++)
            text = text.Replace($"\"{RawMarker}{i}\"", raw[i], StringComparison.Ordinal);
        return (what, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A placeholder string node, swapped for the raw text after serializing.</summary>
    private static JsonNode Raw(List<string> raw, string value)
    {
        raw.Add(value);
        return JsonValue.Create($"{RawMarker}{raw.Count - 1}");
    }

    private static void Set(JsonNode parent, object key, JsonNode value)
    {
        if (parent is JsonObject o)
            o[(string)key] = value;
        else
            ((JsonArray)parent)[(int)key] = value;
    }

    /// <summary>A random node with its parent and key (null parent: the root), biased towards the Benchmarks.</summary>
    private static (JsonNode? Parent, object Key, string Path) PickNode(Random random, JsonNode root)
    {
        var all = Nodes(root, "$").ToList();
        var inBenchmarks = all.Where(n => n.Path.StartsWith("$.Benchmarks", StringComparison.Ordinal)).ToList();
        var pool = inBenchmarks.Count > 0 && random.Next(4) != 0 ? inBenchmarks : all;
        var (node, path) = pool[random.Next(pool.Count)];
        if (node?.Parent is null)
            return (null, "", path);
        return node.Parent is JsonObject ? (node.Parent, node.GetPropertyName(), path) : (node.Parent, node.GetElementIndex(), path);
    }

    private static IEnumerable<(JsonNode? Node, string Path)> Nodes(JsonNode? node, string path)
    {
        yield return (node, path);
        if (node is JsonObject o)
        {
            foreach (var (name, child) in o.ToList())
            {
                if (child is null)
                    continue; // a null value has no node to find its parent from
                foreach (var n in Nodes(child, $"{path}.{name}"))
                    yield return n;
            }
        }
        else if (node is JsonArray a)
        {
            for (int i = 0; i < a.Count; i++)
            {
                if (a[i] is null)
                    continue;
                foreach (var n in Nodes(a[i], $"{path}[{i}]"))
                    yield return n;
            }
        }
    }
}
