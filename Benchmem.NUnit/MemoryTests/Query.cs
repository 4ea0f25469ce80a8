using System.Text.RegularExpressions;

namespace Benchmem.NUnit.MemoryTests;

/// <summary>
/// A condition on an object's type, built from <see cref="ObjectProperty"/> (<c>where => where.Type.Is&lt;Foo&gt;()</c>) and
/// combined with <c>&amp;</c>, <c>|</c> and <c>!</c>. Every object of a type matches or none does, so a query is a predicate
/// on types; <see cref="ToString"/> is how failure messages name it.
/// </summary>
public sealed class Query
{
    private readonly Func<Type?, string, bool> _matches;
    private readonly string _text;

    internal Query(Func<Type?, string, bool> matches, string text)
    {
        _matches = matches;
        _text = text;
    }

    /// <summary>Whether objects of this type (null: a type the runtime could not name, then only <paramref name="name"/> is known) match.</summary>
    internal bool Matches(Type? type, string name) => _matches(type, name);

    /// <summary>Every object.</summary>
    internal static Query All { get; } = new((_, _) => true, "all objects");

    public static Query operator &(Query a, Query b) => new((t, n) => a.Matches(t, n) && b.Matches(t, n), $"({a} & {b})");

    public static Query operator |(Query a, Query b) => new((t, n) => a.Matches(t, n) || b.Matches(t, n), $"({a} | {b})");

    public static Query operator !(Query a) => new((t, n) => !a.Matches(t, n), $"!{a}");

    public override string ToString() => _text;
}

/// <summary>What a query lambda gets: <c>where.Type</c>, <c>where.Interface</c>, <c>where.Namespace</c> (dotMemoryUnit's ObjectProperty).</summary>
public sealed class ObjectProperty
{
    internal static ObjectProperty Instance { get; } = new();

    private ObjectProperty() { }

    public TypeProperty Type { get; } = new();
    public InterfaceProperty Interface { get; } = new();
    public NamespaceProperty Namespace { get; } = new();
}

/// <summary>Queries by the object's own type.</summary>
public sealed class TypeProperty
{
    internal TypeProperty() { }

    /// <summary>Objects of exactly <typeparamref name="T"/>; with <paramref name="includeSubclasses"/> also of every type derived from it.</summary>
    public Query Is<T>(bool includeSubclasses = false) => Is(typeof(T), includeSubclasses);

    /// <summary>Objects of exactly <paramref name="type"/> (an open generic such as <c>typeof(List&lt;&gt;)</c> matches each of its
    /// instantiations); with <paramref name="includeSubclasses"/> also of every type derived from it.</summary>
    public Query Is(Type type, bool includeSubclasses = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        return new Query((t, _) => t is not null && (Same(t, type) || includeSubclasses && Derives(t, type)),
            includeSubclasses ? $"Type.Is<{Display(type)}>(includeSubclasses: true)" : $"Type.Is<{Display(type)}>()");
    }

    /// <summary>Objects of any type but <typeparamref name="T"/>.</summary>
    public Query IsNot<T>() => !Is<T>();

    /// <summary>Objects whose type's full name matches a wildcard pattern (<c>*</c> any run of characters, <c>?</c> one).</summary>
    public Query Like(string pattern) => new((_, name) => Wildcard.Matches(pattern, name), $"Type.Like(\"{pattern}\")");

    public static Query operator ==(TypeProperty property, Type type) => property.Is(type);

    public static Query operator !=(TypeProperty property, Type type) => !property.Is(type);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => 0;

    internal static bool Same(Type t, Type wanted) =>
        t == wanted || wanted.IsGenericTypeDefinition && t.IsGenericType && t.GetGenericTypeDefinition() == wanted;

    private static bool Derives(Type t, Type wanted)
    {
        for (var b = t.BaseType; b is not null; b = b.BaseType)
            if (Same(b, wanted))
                return true;
        return false;
    }

    internal static string Display(Type type) => type.FullName ?? type.Name;
}

/// <summary>Queries by an interface the object's type implements.</summary>
public sealed class InterfaceProperty
{
    internal InterfaceProperty() { }

    public Query Is<T>() => Is(typeof(T));

    /// <summary>Objects whose type implements <paramref name="type"/> (an open generic interface matches each instantiation).</summary>
    public Query Is(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.IsInterface)
            throw new ArgumentException($"Interface.Is({TypeProperty.Display(type)}): {TypeProperty.Display(type)} is not an interface; use Type.Is<{type.Name}>(includeSubclasses: true) for a base class.", nameof(type));
        return new Query((t, _) => t is not null && t.GetInterfaces().Any(i => TypeProperty.Same(i, type)), $"Interface.Is<{TypeProperty.Display(type)}>()");
    }

    public static Query operator ==(InterfaceProperty property, Type type) => property.Is(type);

    public static Query operator !=(InterfaceProperty property, Type type) => !property.Is(type);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => 0;
}

/// <summary>Queries by the namespace of the object's type.</summary>
public sealed class NamespaceProperty
{
    internal NamespaceProperty() { }

    /// <summary>Types in a namespace matching a wildcard pattern: <c>"MyLib.*"</c> is MyLib's sub-namespaces, <c>"MyLib*"</c> MyLib and
    /// everything under it, <c>"MyLib"</c> only MyLib itself. Arrays count in their element type's namespace.</summary>
    public Query Like(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        return new Query((t, name) => Wildcard.Matches(pattern, NamespaceOf(t, name)), $"Namespace.Like(\"{pattern}\")");
    }

    private static string NamespaceOf(Type? t, string name)
    {
        while (t is { HasElementType: true })
            t = t.GetElementType();
        if (t is not null)
            return t.Namespace ?? "";
        int dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[..dot];
    }
}

internal static class Wildcard
{
    public static bool Matches(string pattern, string text) =>
        Regex.IsMatch(text, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
}
