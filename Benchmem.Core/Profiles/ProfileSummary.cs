namespace Benchmem.Core.Profiles;

/// <summary>One row of the top-types table.</summary>
public sealed record TypeRow(string Type, long Objects, long Bytes, double Share);

/// <summary>
/// One row of the top-methods table: own bytes were allocated by the method itself (it is the innermost frame),
/// total bytes by it and everything it called (a recursive method counts once per allocation).
/// </summary>
public sealed record MethodRow(string Method, long OwnBytes, long OwnObjects, long TotalBytes, double OwnShare, double TotalShare);

/// <summary>The tables <c>benchmem profile</c> prints: where a pass's bytes went, by type and by method.</summary>
public static class ProfileSummary
{
    public static IReadOnlyList<TypeRow> TopTypes(AllocationProfile profile, int count)
    {
        double total = Math.Max(1, profile.TotalBytes);
        return profile.Samples
            .GroupBy(s => profile.Frames[s.Stack[^1]], StringComparer.Ordinal)
            .Select(g => new TypeRow(Leaf(g.Key), g.Sum(s => s.Objects), g.Sum(s => s.Bytes), g.Sum(s => s.Bytes) / total))
            .OrderByDescending(r => r.Bytes).ThenBy(r => r.Type, StringComparer.Ordinal)
            .Take(count).ToList();
    }

    /// <summary>A stack's last frame without its prefix: the type allocated, or (a native stack) the native code that asked.</summary>
    private static string Leaf(string frame) =>
        AllocationProfile.IsNative(frame) ? frame[AllocationProfile.NativePrefix.Length..]
        : AllocationProfile.IsType(frame) ? frame[AllocationProfile.TypePrefix.Length..] : frame;

    /// <summary>Methods by own bytes (the allocating method first), then by total.</summary>
    public static IReadOnlyList<MethodRow> TopMethods(AllocationProfile profile, int count)
    {
        double total = Math.Max(1, profile.TotalBytes);
        var own = new Dictionary<int, (long Bytes, long Objects)>();
        var inclusive = new Dictionary<int, long>();
        var seen = new HashSet<int>();
        foreach (var sample in profile.Samples)
        {
            var stack = sample.Stack;
            if (stack.Length >= 2)
            {
                var leaf = stack[^2]; // the frame below the type: the method that allocated
                own[leaf] = own.TryGetValue(leaf, out var o) ? (o.Bytes + sample.Bytes, o.Objects + sample.Objects) : (sample.Bytes, sample.Objects);
            }
            seen.Clear();
            for (int i = 0; i < stack.Length - 1; i++)
            {
                if (seen.Add(stack[i]))
                    inclusive[stack[i]] = inclusive.GetValueOrDefault(stack[i]) + sample.Bytes;
            }
        }
        return inclusive
            .Select(kv =>
            {
                var (ownBytes, ownObjects) = own.GetValueOrDefault(kv.Key);
                return new MethodRow(profile.Frames[kv.Key], ownBytes, ownObjects, kv.Value, ownBytes / total, kv.Value / total);
            })
            .OrderByDescending(r => r.OwnBytes).ThenByDescending(r => r.TotalBytes).ThenBy(r => r.Method, StringComparer.Ordinal)
            .Take(count).ToList();
    }
}
