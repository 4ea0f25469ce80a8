using System.Globalization;
using System.Text;
using Benchmem.Core.Units;

namespace Benchmem.Core.Profiles;

/// <summary>How a (type, stack) changed from the base profile to the head one.</summary>
public enum DiffStatus { Grew, Shrank, New, Vanished }

/// <summary>
/// One (type, stack) of a profile diff: <see cref="Stack"/> is the call path root first (methods only),
/// <see cref="Type"/> the allocated type; both profiles' objects and bytes on it.
/// </summary>
public sealed record DiffRow(string Type, IReadOnlyList<string> Stack, long BaseObjects, long BaseBytes, long HeadObjects, long HeadBytes)
{
    public long DeltaBytes => HeadBytes - BaseBytes;
    public long DeltaObjects => HeadObjects - BaseObjects;

    public DiffStatus Status =>
        BaseObjects == 0 && BaseBytes == 0 ? DiffStatus.New
        : HeadObjects == 0 && HeadBytes == 0 ? DiffStatus.Vanished
        : DeltaBytes > 0 || DeltaBytes == 0 && DeltaObjects > 0 ? DiffStatus.Grew
        : DiffStatus.Shrank;
}

/// <summary>
/// Two profiles of the same benchmark compared path by path (the same type allocated under the same frames, by name:
/// the two runs' handles differ): growth in bytes and objects, stacks new in the head and stacks gone from it.
/// </summary>
public static class ProfileDiff
{
    /// <summary>The paths that changed, the largest change in bytes first (then in objects, then by name).</summary>
    public static IReadOnlyList<DiffRow> Rows(AllocationProfile baseProfile, AllocationProfile head)
    {
        var rows = new Dictionary<string, (string Type, string[] Stack, long BaseObjects, long BaseBytes, long HeadObjects, long HeadBytes)>(StringComparer.Ordinal);
        void Add(AllocationProfile profile, bool isHead)
        {
            foreach (var sample in profile.Samples)
            {
                var names = sample.Stack.Select(i => profile.Frames[i]).ToArray();
                var key = string.Join('\n', names);
                var row = rows.TryGetValue(key, out var r) ? r : (Type: names[^1][AllocationProfile.TypePrefix.Length..], Stack: names[..^1], BaseObjects: 0L, BaseBytes: 0L, HeadObjects: 0L, HeadBytes: 0L);
                rows[key] = isHead
                    ? row with { HeadObjects = row.HeadObjects + sample.Objects, HeadBytes = row.HeadBytes + sample.Bytes }
                    : row with { BaseObjects = row.BaseObjects + sample.Objects, BaseBytes = row.BaseBytes + sample.Bytes };
            }
        }
        Add(baseProfile, isHead: false);
        Add(head, isHead: true);
        return rows
            .Select(kv => (kv.Key, Row: new DiffRow(kv.Value.Type, kv.Value.Stack, kv.Value.BaseObjects, kv.Value.BaseBytes, kv.Value.HeadObjects, kv.Value.HeadBytes)))
            .Where(r => r.Row.DeltaBytes != 0 || r.Row.DeltaObjects != 0)
            .OrderByDescending(r => Math.Abs(r.Row.DeltaBytes)).ThenByDescending(r => Math.Abs(r.Row.DeltaObjects)).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Row)
            .ToList();
    }

    /// <summary>
    /// One line a failure message carries: <c>+2,048 × Comparison&lt;Point&gt; (+64 KiB) from ArraySortHelper.Sort ← KdTree.Build (new stack)</c>:
    /// the change in objects and bytes, the type and the two innermost methods by short name, and what happened.
    /// </summary>
    public static string Describe(DiffRow row)
    {
        var text = new StringBuilder();
        text.Append(Signed(row.DeltaObjects)).Append(" × ").Append(ShortType(row.Type))
            .Append(" (").Append(row.DeltaBytes < 0 ? "-" : "+").Append(ByteSize.Format(Math.Abs(row.DeltaBytes))).Append(')');
        var callers = row.Stack.Reverse().Take(2).Select(ShortMethod).ToList();
        if (callers.Count > 0)
            text.Append(" from ").Append(string.Join(" ← ", callers));
        text.Append(row.Status switch
        {
            DiffStatus.New => " (new stack)",
            DiffStatus.Vanished => " (stack gone)",
            _ => $" (was {row.BaseObjects.ToString("N0", CultureInfo.InvariantCulture)} objects, {ByteSize.Format(row.BaseBytes)})",
        });
        return text.ToString();
    }

    private static string Signed(long value) => (value < 0 ? "-" : "+") + Math.Abs(value).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The frames' dot-separated parts, a generic argument list kept with its part (List&lt;Sys.Int32&gt; is one part).</summary>
    private static List<string> Parts(string name)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] is '<' or '[') depth++;
            else if (name[i] is '>' or ']') depth--;
            else if (name[i] == '.' && depth == 0)
            {
                parts.Add(name[start..i]);
                start = i + 1;
            }
        }
        parts.Add(name[start..]);
        return parts;
    }

    /// <summary>The type without its namespace: System.Comparison&lt;Point&gt; → Comparison&lt;Point&gt;.</summary>
    public static string ShortType(string type) => Parts(type)[^1];

    /// <summary>The declaring type (without namespace or generic arguments) and the method: ArraySortHelper.Sort.</summary>
    public static string ShortMethod(string method)
    {
        var parts = Parts(method);
        if (parts.Count < 2)
            return method;
        var type = parts[^2];
        int generic = type.IndexOf('<');
        return (generic > 0 ? type[..generic] : type) + "." + parts[^1];
    }
}
