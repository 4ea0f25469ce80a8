using System.Globalization;
using System.Text.Json;
using Benchmem.Core.Errors;
using Benchmem.Core.Results;

namespace Benchmem.Core.Profiles;

/// <summary>
/// An allocation profile as a speedscope file (https://www.speedscope.app/file-format-schema.json): two sampled
/// profiles over the same stacks, weighted by bytes and by objects, root frame first and the allocated type as the
/// last frame. Benchmem's own facts (benchmark id, method, the pass's numbers) ride in a top-level "benchmem" object,
/// which the schema allows and speedscope ignores.
/// </summary>
public static class SpeedscopeFile
{
    public const string Schema = "https://www.speedscope.app/file-format-schema.json";
    public const string Extension = ".speedscope.json";

    /// <summary>The file's shared frame list, which every profile in it indexes.</summary>
    internal static void WriteFrames(Utf8JsonWriter w, IEnumerable<string> frames)
    {
        w.WriteStartObject("shared");
        w.WriteStartArray("frames");
        foreach (var frame in frames)
        {
            w.WriteStartObject();
            w.WriteString("name", frame);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Write(AllocationProfile profile, string path) => AtomicFile.Write(path, stream =>
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        var info = profile.Info;
        w.WriteStartObject();
        w.WriteString("$schema", Schema);
        w.WriteString("name", info.FullName);
        w.WriteString("exporter", "benchmem " + typeof(SpeedscopeFile).Assembly.GetName().Version?.ToString(3));
        w.WriteNumber("activeProfileIndex", 0);
        WriteFrames(w, profile.Frames);
        w.WriteStartArray("profiles");
        WriteProfile(w, profile, $"{info.FullName} - allocated bytes ({info.Method})", "bytes", s => s.Bytes);
        WriteProfile(w, profile, $"{info.FullName} - allocated objects ({info.Method})", "none", s => s.Objects);
        // Native blocks (the interposer's): two more profiles over the same frames, listed in the benchmem section.
        if (profile.NativeSamples.Count > 0)
        {
            WriteProfile(w, profile.NativeView(), $"{info.FullName} - native bytes ({info.Method})", "bytes", s => s.Bytes);
            WriteProfile(w, profile.NativeView(), $"{info.FullName} - native blocks ({info.Method})", "none", s => s.Objects);
        }
        if (info.Tracked)
        {
            // The object tracking's views, for speedscope's profile picker (Benchmem reads them from its own section below).
            WriteProfile(w, profile, $"{info.FullName} - live at peak bytes", "bytes", s => s.Live?.PeakBytes ?? 0);
            WriteProfile(w, profile, $"{info.FullName} - leaked bytes", "bytes", s => s.Live?.LeakBytes ?? 0);
            WriteProfile(w, profile, $"{info.FullName} - temporary bytes", "bytes", s => s.Bytes - (s.Live?.EndBytes ?? 0));
        }
        w.WriteEndArray();
        w.WriteStartObject("benchmem");
        w.WriteString("fullName", info.FullName);
        w.WriteString("method", info.Method);
        w.WriteNumber("peakBytes", info.PeakBytes);
        w.WriteNumber("allocatedBytes", info.AllocatedBytes);
        if (info.Allocations is { } objects)
            w.WriteNumber("allocations", objects);
        w.WriteNumber("unattributed", info.Unattributed);
        if (info.NativeAllocatedBytes is { } nativeBytes)
            w.WriteNumber("nativeAllocatedBytes", nativeBytes);
        if (info.NativeAllocations is { } nativeBlocks)
            w.WriteNumber("nativeAllocations", nativeBlocks);
        if (profile.NativeSamples.Count > 0)
        {
            w.WriteStartArray("nativeProfiles"); // the indexes of the native bytes and blocks profiles
            w.WriteNumberValue(2);
            w.WriteNumberValue(3);
            w.WriteEndArray();
        }
        if (info.Trace is { } trace)
            w.WriteString("trace", trace);
        if (info.SamplesInTrace)
            w.WriteBoolean("samplesInTrace", true);
        w.WriteString("created", info.Created.ToString("O", CultureInfo.InvariantCulture));
        w.WriteNumber("retainedBytes", info.RetainedBytes);
        w.WriteNumber("peakBoundBytes", info.PeakBoundBytes);
        if (info.Tracked)
        {
            w.WriteNumber("untracked", info.Untracked);
            w.WriteNumber("walksMissed", info.WalksMissed);
            // Per sample, in the samples' order: [peak objects, peak bytes, end objects, end bytes, leak objects, leak bytes].
            w.WriteStartArray("live");
            foreach (var sample in profile.Samples)
            {
                var l = sample.Live ?? new ProfileLive(0, 0, 0, 0, 0, 0);
                w.WriteStartArray();
                foreach (var v in (long[])[l.PeakObjects, l.PeakBytes, l.EndObjects, l.EndBytes, l.LeakObjects, l.LeakBytes])
                    w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            // Per GC: [allocated bytes, live bytes, full (1/0), in the peak window (1/0)].
            w.WriteStartArray("timeline");
            foreach (var p in info.Timeline)
            {
                w.WriteStartArray();
                w.WriteNumberValue(p.AllocatedBytes);
                w.WriteNumberValue(p.LiveBytes);
                w.WriteNumberValue(p.Full ? 1 : 0);
                w.WriteNumberValue(p.InWindow ? 1 : 0);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static void WriteProfile(Utf8JsonWriter w, AllocationProfile profile, string name, string unit, Func<ProfileSample, long> weight)
    {
        w.WriteStartObject();
        w.WriteString("type", "sampled");
        w.WriteString("name", name);
        w.WriteString("unit", unit);
        w.WriteNumber("startValue", 0);
        w.WriteNumber("endValue", profile.Samples.Sum(weight));
        w.WriteStartArray("samples");
        foreach (var sample in profile.Samples)
        {
            w.WriteStartArray();
            foreach (var frame in sample.Stack)
                w.WriteNumberValue(frame);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("weights");
        foreach (var sample in profile.Samples)
            w.WriteNumberValue(weight(sample));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a profile Benchmem wrote; anything else, or a damaged file, is a <see cref="ProfileException"/> naming the file.</summary>
    public static AllocationProfile Read(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new ProfileException($"{path} is not valid JSON ({e.Message.Split('.')[0]}): it was cut short or damaged; take the profile again.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException($"cannot read {path}: {e.Message}");
        }
        using (doc)
        {
            try
            {
                return Parse(doc.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new ProfileException($"{path} is not a Benchmem allocation profile (speedscope file with a \"benchmem\" section and byte and object weights): {e.Message}");
            }
        }
    }

    private static AllocationProfile Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("benchmem", out var meta))
            throw new FormatException("no \"benchmem\" section");
        var frames = root.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
        var all = root.GetProperty("profiles").EnumerateArray().ToList();
        var nativeIndexes = meta.TryGetProperty("nativeProfiles", out var n) ? n.EnumerateArray().Select(i => i.GetInt32()).ToHashSet() : [];
        if (nativeIndexes.Any(i => i < 0 || i >= all.Count))
            throw new FormatException($"nativeProfiles names a profile that does not exist ({all.Count} profiles)");
        var managed = all.Where((_, i) => !nativeIndexes.Contains(i)).ToList();
        var native = all.Where((_, i) => nativeIndexes.Contains(i)).ToList();
        var samples = Samples(managed, frames, AllocationProfile.IsType, "an allocated type");
        var nativeSamples = native.Count == 0 ? [] : Samples(native, frames, AllocationProfile.IsNative, "the native code that asked");
        var info = new ProfileInfo
        {
            FullName = meta.GetProperty("fullName").GetString() ?? throw new FormatException("fullName is null"),
            Method = meta.GetProperty("method").GetString() ?? throw new FormatException("method is null"),
            PeakBytes = meta.GetProperty("peakBytes").GetInt64(),
            AllocatedBytes = meta.GetProperty("allocatedBytes").GetInt64(),
            Allocations = meta.TryGetProperty("allocations", out var a) ? a.GetInt64() : null,
            Unattributed = meta.TryGetProperty("unattributed", out var u) ? u.GetInt64() : 0,
            RetainedBytes = meta.TryGetProperty("retainedBytes", out var r) ? r.GetInt64() : 0,
            PeakBoundBytes = meta.TryGetProperty("peakBoundBytes", out var pb) ? pb.GetInt64() : 0,
            NativeAllocatedBytes = meta.TryGetProperty("nativeAllocatedBytes", out var nb) ? nb.GetInt64() : null,
            NativeAllocations = meta.TryGetProperty("nativeAllocations", out var nn) ? nn.GetInt64() : null,
            Trace = meta.TryGetProperty("trace", out var t) ? t.GetString() : null,
            SamplesInTrace = meta.TryGetProperty("samplesInTrace", out var pending) && pending.GetBoolean(),
            Created = meta.TryGetProperty("created", out var c) ? DateTimeOffset.Parse(c.GetString()!, CultureInfo.InvariantCulture) : default,
        };
        List<ProfileLive>? live = null;
        if (meta.TryGetProperty("live", out var liveArray))
        {
            live = liveArray.EnumerateArray().Select(l => l.EnumerateArray().Select(x => x.GetInt64()).ToArray())
                .Select(v => v.Length == 6 ? new ProfileLive(v[0], v[1], v[2], v[3], v[4], v[5]) : throw new FormatException($"a live entry has {v.Length} numbers, not 6"))
                .ToList();
            if (live.Count != samples.Count)
                throw new FormatException($"{samples.Count} stacks but {live.Count} live entries");
            var timeline = meta.GetProperty("timeline").EnumerateArray().Select(p => p.EnumerateArray().Select(x => x.GetInt64()).ToArray())
                .Select(v => v.Length == 4 ? new TimelinePoint(v[0], v[1], v[2] != 0, v[3] != 0) : throw new FormatException($"a timeline point has {v.Length} numbers, not 4"))
                .ToList();
            info = info with
            {
                Tracked = true,
                Untracked = meta.GetProperty("untracked").GetInt64(),
                WalksMissed = meta.GetProperty("walksMissed").GetInt64(),
                Timeline = timeline,
            };
        }
        if (live is not null)
            samples = [.. samples.Select((sample, i) => sample with { Live = live[i] })];
        return new AllocationProfile(info, frames, samples) { NativeSamples = nativeSamples };
    }

    /// <summary>One bytes profile and one objects profile over the same stacks, each stack ending in a frame <paramref name="leaf"/> accepts.</summary>
    private static List<ProfileSample> Samples(List<JsonElement> profiles, List<string> frames, Func<string, bool> leaf, string leafName)
    {
        // The first of each unit: allocated bytes and objects (the tracked views after them are for speedscope).
        var bytes = profiles.First(p => p.GetProperty("unit").GetString() == "bytes");
        var objects = profiles.First(p => p.GetProperty("unit").GetString() == "none");
        var stacks = bytes.GetProperty("samples").EnumerateArray().Select(s => s.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToList();
        var byteWeights = bytes.GetProperty("weights").EnumerateArray().Select(x => x.GetInt64()).ToList();
        var objectWeights = objects.GetProperty("weights").EnumerateArray().Select(x => x.GetInt64()).ToList();
        if (byteWeights.Count != stacks.Count || objectWeights.Count != stacks.Count)
            throw new FormatException($"{stacks.Count} stacks but {byteWeights.Count} byte and {objectWeights.Count} object weights");
        foreach (var stack in stacks)
        {
            if (stack.Length == 0 || stack.Any(i => i < 0 || i >= frames.Count) || !leaf(frames[stack[^1]]))
                throw new FormatException($"a stack is empty, names a frame that does not exist, or does not end in {leafName}");
        }
        return stacks.Select((s, i) => new ProfileSample(s, objectWeights[i], byteWeights[i])).ToList();
    }
}
