using System.Globalization;
using System.Reflection;
using Benchmem.Core.Results;
using NUnit.Framework.Interfaces;

namespace Benchmem.NUnit;

/// <summary>
/// A benchmark's identity in the results: FullName, Type and Parameters exactly as BenchmarkDotNet writes them for
/// the same arguments (<see cref="BenchmarkNames"/>), and dims from its scalar arguments (the fixture's too) by
/// parameter name. Names are never parsed from NUnit's test names (SetName/TestName change them); they come from the
/// method, the fixture's constructor and the argument values.
/// </summary>
internal static class Identity
{
    public sealed record Parts(string Namespace, string Type, string Method, string Parameters, string FullName,
        Dictionary<string, object?> Dims)
    {
        /// <summary>A record under this identity with whatever was measured.</summary>
        public Core.Results.BenchmarkRecord ToRecord(string? group = null, Core.Results.TimingResult? timing = null,
            Core.Results.AllocationResult? allocation = null, Core.Memory.MemoryResult? memory = null, bool optimized = true, bool baseline = false) => new()
        {
            Baseline = baseline,
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
        var fixture = FixtureOf(test);
        var fixtureType = fixture?.TypeInfo?.Type ?? test.TypeInfo?.Type ?? method.DeclaringType!;
        return Of(fixtureType, fixture?.Arguments ?? [], method, arguments);
    }

    /// <summary>
    /// The names of a benchmark of <paramref name="fixtureType"/> built with <paramref name="fixtureArguments"/> (named
    /// after the constructor's parameters, as BDN names [Params]) calling <paramref name="method"/> with
    /// <paramref name="arguments"/> (BDN's [Arguments]); see <see cref="BenchmarkNames"/>.
    /// </summary>
    public static Parts Of(Type fixtureType, object?[] fixtureArguments, MethodInfo method, object?[] arguments)
    {
        string methodName = method.IsGenericMethod
            ? $"{method.Name}<{string.Join(", ", method.GetGenericArguments().Select(t => t.Name))}>"
            : method.Name;
        var parameters = method.GetParameters();
        var methodArgs = new List<BenchmarkNames.Argument>();
        for (int i = 0; i < parameters.Length && i < arguments.Length; i++)
            methodArgs.Add(new(parameters[i].Name ?? $"arg{i}", parameters[i].ParameterType, arguments[i]));
        var fixtureArgs = ConstructorArguments(fixtureType, fixtureArguments);
        var dims = new Dictionary<string, object?>();
        foreach (var a in fixtureArgs.Concat(methodArgs))
        {
            if (TryScalar(a.Value, out var scalar))
                dims[a.Name] = scalar; // a method parameter named like a constructor parameter wins
        }
        var names = BenchmarkNames.Of(fixtureType, fixtureArgs, methodName, methodArgs);
        return new Parts(names.Namespace, names.Type, names.Method, names.Parameters, names.FullName, dims);
    }

    /// <summary>The NUnit fixture the test belongs to: its constructor arguments are the fixture's.</summary>
    private static ITest? FixtureOf(ITest test)
    {
        for (var t = test; t is not null; t = t.Parent)
        {
            if (t is global::NUnit.Framework.Internal.TestFixture)
                return t;
        }
        return null;
    }

    /// <summary>Fixture arguments named after the parameters of the constructor they fit (arg0, arg1... when none does).</summary>
    private static List<BenchmarkNames.Argument> ConstructorArguments(Type type, object?[] values)
    {
        if (values.Length == 0)
            return [];
        var ctor = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .FirstOrDefault(c => c.GetParameters() is var ps && ps.Length == values.Length
                && ps.Zip(values).All(p => p.Second is null ? !p.First.ParameterType.IsValueType || Nullable.GetUnderlyingType(p.First.ParameterType) is not null
                    : p.First.ParameterType.IsInstanceOfType(p.Second)));
        // NUnit converts arguments to the parameter types (an int for a long); then the one constructor of that arity.
        ctor ??= type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(c => c.GetParameters().Length == values.Length).ToList() is [var only] ? only : null;
        var ps = ctor?.GetParameters();
        return values.Select((v, i) => ps is not null
            ? new BenchmarkNames.Argument(ps[i].Name ?? $"arg{i}", ps[i].ParameterType, v)
            : new BenchmarkNames.Argument($"arg{i}", v?.GetType() ?? typeof(object), v)).ToList();
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
                    yield return (type.Namespace ?? "", BenchmarkNames.TypeName(type), method.Name);
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
}
