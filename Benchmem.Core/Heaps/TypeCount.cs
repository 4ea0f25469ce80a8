namespace Benchmem.Core.Heaps;

/// <summary>Objects and bytes of one type: in a census of the live heap, or allocated between two marks.</summary>
/// <param name="Type">The runtime type; null only when the runtime's handle could not be turned into one.</param>
/// <param name="Name">The type's full name, generic arguments by short name (System.Collections.Generic.List&lt;Int32&gt;).</param>
public sealed record TypeCount(Type? Type, string Name, long Objects, long Bytes);

/// <summary>Turns runtime type handles (a profiler's ClassID, an EventPipe heap dump's TypeID: the MethodTable) into types.</summary>
internal static class TypeHandles
{
    public static List<TypeCount> Resolve(IEnumerable<(ulong Handle, long Objects, long Bytes)> rows, Func<ulong, string?>? fallbackName = null)
    {
        var merged = new Dictionary<ulong, (long Objects, long Bytes)>();
        foreach (var (handle, objects, bytes) in rows)
            merged[handle] = merged.TryGetValue(handle, out var m) ? (m.Objects + objects, m.Bytes + bytes) : (objects, bytes);
        var result = new List<TypeCount>(merged.Count);
        foreach (var (handle, (objects, bytes)) in merged)
        {
            var type = TypeOf(handle);
            result.Add(new TypeCount(type, type is not null ? Profiles.TypeNames.Format(type) : fallbackName?.Invoke(handle) ?? $"(type 0x{handle:x})", objects, bytes));
        }
        return result;
    }

    public static Type? TypeOf(ulong handle)
    {
        if (handle == 0)
            return null;
        try
        {
            return Type.GetTypeFromHandle(RuntimeTypeHandle.FromIntPtr((nint)handle));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
