using System.Globalization;
using System.Reflection;
using NUnit.Framework.Interfaces;

namespace Benchmem.NUnit;

/// <summary>
/// A benchmark's identity in the results: BenchmarkDotNet-shaped FullName and Parameters, and dims from its
/// scalar arguments by parameter name. Names are never parsed from NUnit's test names (SetName/TestName
/// change them); they come from the method and the argument values.
/// </summary>
internal static class Identity
{
    public sealed record Parts(string Namespace, string Type, string Method, string Parameters, string FullName,
        Dictionary<string, object?> Dims)
    {
        /// <summary>A record under this identity with whatever was measured.</summary>
        public Core.Results.BenchmarkRecord ToRecord(string? group = null, Core.Results.TimingResult? timing = null,
            Core.Results.AllocationResult? allocation = null, Core.Memory.MemoryResult? memory = null, bool optimized = true) => new()
        {
            Namespace = Namespace,
            Type = Type,
            Method = Method,
            Parameters = Parameters,
            FullName = FullName,
            Group = group,
            Dims = Dims,
            Timing = timing,
            Allocation = allocation,
            Memory = memory,
            Optimized = optimized,
        };
    }

    public static Parts Of(ITest test, MethodInfo method, object?[] arguments)
    {
        var type = method.DeclaringType!;
        var fixtureType = test.TypeInfo?.Type ?? type;
        string methodName = method.IsGenericMethod
            ? $"{method.Name}<{string.Join(", ", method.GetGenericArguments().Select(t => t.Name))}>"
            : method.Name;
        var parameters = method.GetParameters();
        var dims = new Dictionary<string, object?>();
        var shown = new List<string>();
        var bdnParams = new List<string>();
        for (int i = 0; i < parameters.Length && i < arguments.Length; i++)
        {
            var name = parameters[i].Name ?? $"arg{i}";
            var value = arguments[i];
            if (TryScalar(value, out var scalar))
            {
                dims[name] = scalar;
                bdnParams.Add($"{name}={Display(scalar, quoted: false)}");
            }
            shown.Add($"{name}: {Display(TryScalar(value, out var s) ? s : value, quoted: true)}");
        }
        string ns = fixtureType.Namespace ?? "";
        string typeName = TypeName(fixtureType);
        string fullName = (ns.Length > 0 ? ns + "." : "") + typeName + "." + methodName
            + (shown.Count > 0 ? $"({string.Join(", ", shown)})" : "");
        return new Parts(ns, typeName, methodName, string.Join("&", bdnParams), fullName, dims);
    }

    /// <summary>
    /// Every [Benchmark] method of the assembly by (namespace, type, method), as the records name them, found by
    /// reflection rather than from the test tree, which a filter narrows. Abstract, open generic, ignored and explicit
    /// fixtures and methods are left out: a plain run does not measure them.
    /// </summary>
    public static IEnumerable<(string Namespace, string Type, string Method)> BenchmarkMethods(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        static bool Skipped(MemberInfo m) => m.IsDefined(typeof(global::NUnit.Framework.IgnoreAttribute), true) || m.IsDefined(typeof(global::NUnit.Framework.ExplicitAttribute), true);
        foreach (var type in types)
        {
            if (type.IsAbstract && !type.IsSealed || type.ContainsGenericParameters || Skipped(type))
                continue;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.IsDefined(typeof(BenchmarkAttribute), false) && !Skipped(method)
                    && (!method.IsStatic || method.DeclaringType == type))
                    yield return (type.Namespace ?? "", TypeName(type), method.Name);
            }
        }
    }

    /// <summary>Numbers become long or double, enums and chars strings; anything else is not a dim.</summary>
    public static bool TryScalar(object? value, out object? scalar)
    {
        scalar = value switch
        {
            null => null,
            bool b => b,
            string s => s,
            char c => c.ToString(),
            Enum e => e.ToString(),
            sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ulong u => u <= long.MaxValue ? (long)u : (double)u,
            float or double or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ => Missing.Value,
        };
        if (scalar == Missing.Value)
        {
            scalar = null;
            return false;
        }
        return true;
    }

    private static string Display(object? value, bool quoted) => value switch
    {
        null => "null",
        string s => quoted ? $"\"{s.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"" : s,
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Array a => $"{a.GetType().GetElementType()?.Name}[{a.Length}]",
        _ => value.GetType().Name,
    };

    private static string TypeName(Type t)
    {
        var name = t.IsNested ? TypeName(t.DeclaringType!) + "+" + t.Name : t.Name;
        if (!t.IsGenericType)
            return name;
        var tick = name.IndexOf('`');
        return (tick >= 0 ? name[..tick] : name) + "<" + string.Join(", ", t.GetGenericArguments().Select(a => a.Name)) + ">";
    }
}
