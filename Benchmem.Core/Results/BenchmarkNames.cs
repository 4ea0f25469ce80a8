using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Benchmem.Core.Results;

/// <summary>
/// A benchmark's names as BenchmarkDotNet 0.15.8 writes them for the same arguments, so consumers that match rows
/// by FullName pair Benchmem and BDN results. The NUnit mapping: a test method's arguments are BDN's [Arguments]
/// (named after the method's parameters), a fixture's constructor arguments ([TestFixture(10)], [TestFixtureSource])
/// are BDN's [Params] (named after the constructor's parameters). Numbers are written with the invariant culture
/// (BDN uses the current one; a results file should not depend on the machine's locale).
/// </summary>
public static class BenchmarkNames
{
    /// <summary>One named value: a [Params]-like fixture argument or an [Arguments]-like method argument.</summary>
    public sealed record Argument(string Name, Type Type, object? Value);

    public sealed record Names(string Namespace, string Type, string Method, string Parameters, string FullName);

    /// <summary>BDN's default MaxParameterColumnWidth: longer display texts are shortened in Parameters.</summary>
    private const int MaxDisplayWidth = 20;

    public static Names Of(Type type, IReadOnlyList<Argument> fixtureArguments, string method, IReadOnlyList<Argument> methodArguments)
    {
        ArgumentNullException.ThrowIfNull(type);
        string ns = type.Namespace ?? "";
        var full = new StringBuilder();
        if (ns.Length > 0)
            full.Append(ns).Append('.');
        full.Append(NestingPrefix(type)).Append(TypeName(type)).Append('.').Append(method);
        if (fixtureArguments.Count + methodArguments.Count > 0)
        {
            // FullName: method arguments first, then the params; Parameters: the params first (BDN's two orders).
            full.Append('(').Append(string.Join(", ", methodArguments.Concat(fixtureArguments).Select(a => $"{a.Name}: {Literal(a.Value, a.Type)}"))).Append(')');
        }
        var parameters = string.Join("&", fixtureArguments.Concat(methodArguments).Select(a => $"{a.Name}={DisplayText(a.Value)}"));
        return new Names(ns, TypeName(type), method, parameters, full.ToString());
    }

    /// <summary>BDN's type name: the type's own name, generic arguments spelled out (<c>Cache&lt;Int32&gt;</c>).</summary>
    public static string TypeName(Type type)
    {
        if (!type.IsGenericType)
            return type.Name;
        var tick = type.Name.IndexOf('`');
        var main = tick >= 0 ? type.Name[..tick] : type.Name;
        return $"{main}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    /// <summary>"Outer+" for a type nested in Outer (as BDN writes it in FullName only).</summary>
    private static string NestingPrefix(Type type)
    {
        var prefix = "";
        for (Type child = type, parent = type.DeclaringType!; child.IsNested && parent is not null; child = parent, parent = parent.DeclaringType!)
            prefix = parent.Name + "+" + prefix;
        return prefix;
    }

    /// <summary>A value in FullName: C# literals for strings and chars, arrays by their first five items.</summary>
    private static string Literal(object? value, Type? declared) => value switch
    {
        null => "null",
        object[] { Length: 1 } one => Literal(one[0], declared),
        string s => CSharpLiteral.Of(s, quote: true),
        char c => CSharpLiteral.Of(c, quote: true),
        DateTime t => t.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK", CultureInfo.InvariantCulture),
        Type t => $"typeof({TypeArgumentName(t)})",
        IEnumerable items when declared is { IsArray: true } => ArrayLiteral(items),
        _ => Text(value),
    };

    private static string ArrayLiteral(IEnumerable items)
    {
        var b = new StringBuilder("[");
        int index = 0;
        foreach (var item in items)
        {
            if (index > 0)
                b.Append(", ");
            if (index > 4)
            {
                b.Append("...");
                break;
            }
            b.Append(Literal(item, item?.GetType()));
            index++;
        }
        return b.Append(']').ToString();
    }

    /// <summary>A value in Parameters: "?" for null, <c>Int32[3]</c> for arrays, long texts shortened, controls escaped.</summary>
    private static string DisplayText(object? value) => value switch
    {
        null => "?",
        Array a => Escape(Shorten($"{(a.GetType().GetElementType() is { } e ? TypeName(e) : "")}[{a.Length}]")),
        Type t => Nullable.GetUnderlyingType(t) is { } u ? TypeName(u) + "?" : TypeName(t),
        _ => Escape(Shorten(Text(value))),
    };

    private static string Text(object value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? "";

    private static string Escape(string text) => CSharpLiteral.Of(text, quote: false);

    /// <summary>BDN's trim: the start and end of a text longer than 20 characters around "(...)", then its length.</summary>
    private static string Shorten(string value)
    {
        if (value.Length <= MaxDisplayWidth)
            return value;
        var postfix = $" [{value.Length}]";
        const string dots = "(...)";
        int fromStart = (MaxDisplayWidth - postfix.Length - dots.Length) / 2, fromEnd = fromStart;
        if (char.IsHighSurrogate(value[fromStart - 1]))
            fromStart = Math.Max(0, fromStart - 1);
        if (char.IsLowSurrogate(value[value.Length - fromEnd]))
            fromEnd = Math.Max(0, fromEnd - 1);
        return value[..fromStart] + dots + value.Substring(value.Length - fromEnd, fromEnd) + postfix;
    }

    private static readonly Dictionary<Type, string> Aliases = new()
    {
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short", [typeof(ushort)] = "ushort",
        [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(object)] = "object",
        [typeof(bool)] = "bool", [typeof(char)] = "char", [typeof(string)] = "string",
    };

    private static string TypeArgumentName(Type type)
    {
        if (Aliases.TryGetValue(type, out var alias))
            return alias;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return TypeArgumentName(underlying) + "?";
        return string.IsNullOrEmpty(type.Namespace) ? TypeName(type) : $"{type.Namespace}.{TypeName(type)}";
    }
}

/// <summary>
/// C# literal text as Roslyn's SymbolDisplay.FormatLiteral writes it (BDN's escaping): backslash, the C# escapes
/// (\0 \a \b \f \n \r \t \v), other control, unassigned and separator characters and lone surrogates as \uXXXX, a quote
/// of the literal's kind as \" or \' when quoting.
/// </summary>
public static class CSharpLiteral
{
    public static string Of(string value, bool quote)
    {
        var b = new StringBuilder(value.Length + 2);
        if (quote)
            b.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Surrogate)
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(value, i);
                if (category == UnicodeCategory.Surrogate)
                    b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else if (NeedsEscaping(category))
                {
                    b.Append("\\U").Append(char.ConvertToUtf32(value, i).ToString("x8", CultureInfo.InvariantCulture));
                    i++;
                }
                else
                {
                    b.Append(c).Append(value[++i]);
                }
            }
            else if (Replacement(c) is { } replaced)
                b.Append(replaced);
            else if (quote && c == '"')
                b.Append("\\\"");
            else
                b.Append(c);
        }
        if (quote)
            b.Append('"');
        return b.ToString();
    }

    public static string Of(char c, bool quote)
    {
        var text = Replacement(c) ?? (quote && c == '\'' ? "\\'" : c.ToString());
        return quote ? $"'{text}'" : text;
    }

    private static string? Replacement(char c) => c switch
    {
        '\\' => "\\\\",
        '\0' => "\\0",
        '\a' => "\\a",
        '\b' => "\\b",
        '\f' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\v' => "\\v",
        _ => NeedsEscaping(CharUnicodeInfo.GetUnicodeCategory(c)) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : null,
    };

    private static bool NeedsEscaping(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.Surrogate;
}
