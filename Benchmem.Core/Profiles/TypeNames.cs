using System.Reflection;
using System.Text;

namespace Benchmem.Core.Profiles;

/// <summary>Readable names for profile frames: full type names with short generic arguments, as a reader scans them.</summary>
internal static class TypeNames
{
    public static string Method(MethodBase method)
    {
        var name = method.DeclaringType is { } type ? Format(type) + "." + method.Name : method.Name;
        if (method is MethodInfo { IsGenericMethod: true } generic)
            name += "<" + string.Join(",", generic.GetGenericArguments().Select(Short)) + ">";
        return name;
    }

    /// <summary>Namespace-qualified, nested types joined with '+', generic arguments by short name: System.Collections.Generic.List&lt;Int32&gt;.</summary>
    public static string Format(Type type) => Format(type, type.IsGenericType ? type.GetGenericArguments() : []);

    /// <summary>
    /// <paramref name="arguments"/>: the innermost type's generic arguments, which also instantiate its outer types
    /// (reflection gives a nested type's declaring type as the open definition: Dictionary&lt;TKey,TValue&gt;+Entry).
    /// </summary>
    private static string Format(Type type, Type[] arguments)
    {
        if (type.IsArray)
            return Format(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        var builder = new StringBuilder();
        int outer = 0;
        if (type.IsNested && !type.IsGenericParameter)
        {
            var declaring = type.DeclaringType!;
            outer = declaring.IsGenericTypeDefinition ? declaring.GetGenericArguments().Length : 0;
            builder.Append(Format(declaring, arguments[..Math.Min(outer, arguments.Length)])).Append('+');
        }
        else if (type.Namespace is { Length: > 0 } ns)
            builder.Append(ns).Append('.');
        builder.Append(Short(type, withArguments: false));
        var own = arguments.Skip(outer).ToList();
        if (own.Count > 0)
            builder.Append('<').Append(string.Join(",", own.Select(Short))).Append('>');
        return builder.ToString();
    }

    private static string Short(Type type) => Short(type, withArguments: true);

    private static string Short(Type type, bool withArguments)
    {
        if (type.IsArray)
            return Short(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        var name = type.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0)
            name = name[..tick];
        if (withArguments && type.IsGenericType)
            name += "<" + string.Join(",", type.GetGenericArguments().Select(Short)) + ">";
        return name;
    }
}
