using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Benchmem.Core.Invocation;

/// <summary>
/// Runs a benchmark N times in a compiled loop. Arguments are read from heap boxes and every result is
/// stored into a heap sink on every iteration, so the JIT can neither hoist the work out of the loop nor
/// drop it; the loop itself allocates nothing. An overhead loop of the same shape calls an empty method
/// instead, so its cost can be measured and subtracted.
/// </summary>
public sealed class BenchmarkInvoker
{
    private readonly object _sink;
    private readonly System.Reflection.FieldInfo _sinkField; // looked up once: reflection caches would show as retained

    private BenchmarkInvoker(Action<long> loop, Action<long> overheadLoop, object sink, string description)
    {
        Loop = loop;
        OverheadLoop = overheadLoop;
        _sink = sink;
        _sinkField = sink.GetType().GetField(nameof(Sink<int>.Value))!;
        Description = description;
    }

    /// <summary>Invokes the benchmark n times.</summary>
    public Action<long> Loop { get; }

    /// <summary>Same loop shape, calling an empty method: its cost is the measurement overhead.</summary>
    public Action<long> OverheadLoop { get; }

    public string Description { get; }

    /// <summary>The last value the benchmark returned (kept alive for the JIT's sake).</summary>
    public object? LastResult => _sinkField.GetValue(_sink);

    /// <summary>Drops the kept result, so a memory pass does not count what the call returned as retained.</summary>
    public void ClearResult() => _sinkField.SetValue(_sink, null);

    /// <summary>Binds <paramref name="method"/> to a fixture instance (null for static) and its arguments.</summary>
    public static BenchmarkInvoker ForMethod(object? instance, MethodInfo method, object?[] arguments)
    {
        if (method.ContainsGenericParameters)
            throw new ArgumentException($"{method.Name} is an open generic method: give its type arguments (e.g. through [TestCase]).");
        var parameters = method.GetParameters();
        if (parameters.Length != arguments.Length)
            throw new ArgumentException($"{method.Name} takes {parameters.Length} arguments but {arguments.Length} were given.");
        if (parameters.Any(p => p.ParameterType.IsByRef))
            throw new ArgumentException($"{method.Name} has ref/out parameters, which a benchmark cannot take: pass values instead.");
        if (method.ReturnType.IsByRef)
            throw new ArgumentException($"{method.Name} returns by reference ({method.ReturnType.GetElementType()?.Name}&), which a benchmark cannot: return the value instead.");
        if (!method.IsStatic && instance is null)
            throw new ArgumentException($"{method.Name} is an instance method but no fixture instance was given.");

        // The method is called through a delegate, as BenchmarkDotNet does: the JIT cannot inline it into the
        // loop, and the overhead loop calls an empty delegate of the same type, so the subtraction is like for like.
        var delegateType = Expression.GetDelegateType([.. parameters.Select(p => p.ParameterType), method.ReturnType]);
        var target = method.IsStatic ? method.CreateDelegate(delegateType) : method.CreateDelegate(delegateType, instance);
        var idleParameters = parameters.Select(p => Expression.Parameter(p.ParameterType)).ToArray();
        var idle = Expression.Lambda(delegateType, Expression.Default(method.ReturnType), idleParameters).Compile();
        // Each argument lives in a StrongBox<T> field: a heap load per call, like a field in hand-written code.
        var args = parameters.Select((p, i) =>
        {
            var boxType = typeof(StrongBox<>).MakeGenericType(p.ParameterType);
            if (arguments[i] is { } a && !p.ParameterType.IsInstanceOfType(a))
                throw new ArgumentException($"{method.Name}: argument {i} ({p.Name}) is a {a.GetType().Name}, but the parameter is a {p.ParameterType.Name}.");
            var box = Activator.CreateInstance(boxType, arguments[i])!;
            return (Expression)Expression.Field(Expression.Constant(box, boxType), "Value");
        }).ToArray();
        var call = Expression.Invoke(Expression.Constant(target, delegateType), args);
        var idleCall = Expression.Invoke(Expression.Constant(idle, delegateType), args);
        return Build(Awaited(call), idleCall, $"{method.DeclaringType?.Name}.{method.Name}");
    }

    /// <summary>Wraps a delegate (the explicit <c>Bench.Run</c> forms).</summary>
    public static BenchmarkInvoker ForDelegate(Delegate action)
    {
        var type = action.GetType();
        var invoke = type.GetMethod("Invoke")!;
        if (invoke.GetParameters().Length > 0)
            throw new ArgumentException("Bench.Run takes a delegate without parameters: capture the inputs in a lambda.");
        var idle = Expression.Lambda(type, Expression.Default(invoke.ReturnType)).Compile();
        var call = Expression.Invoke(Expression.Constant(action, type));
        var idleCall = Expression.Invoke(Expression.Constant(idle, type));
        return Build(Awaited(call), idleCall, action.Method.Name);
    }

    /// <summary>Tasks and value tasks are awaited inside the measurement, synchronously.</summary>
    private static Expression Awaited(Expression call)
    {
        var type = call.Type;
        bool awaitable = type == typeof(Task) || type == typeof(ValueTask)
            || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)));
        if (!awaitable)
            return call;
        var awaiter = Expression.Call(call, type.GetMethod("GetAwaiter", Type.EmptyTypes)!);
        return Expression.Call(awaiter, awaiter.Type.GetMethod("GetResult", Type.EmptyTypes)!);
    }

    private static BenchmarkInvoker Build(Expression body, Expression idleBody, string description)
    {
        var sink = NewSink(body.Type, out var store);
        _ = NewSink(idleBody.Type, out var idleStore);
        return new BenchmarkInvoker(CompileLoop(store(body)), CompileLoop(idleStore(idleBody)), sink, description);
    }

    /// <summary>
    /// A heap cell of the result's type and the expression that stores into it. Void and ref-struct results (Span)
    /// have nothing to store: the call through a delegate cannot be inlined, so it cannot be dropped either.
    /// </summary>
    private static object NewSink(Type resultType, out Func<Expression, Expression> store)
    {
        bool nothingToStore = resultType == typeof(void) || resultType.IsByRefLike;
        var sinkType = typeof(Sink<>).MakeGenericType(nothingToStore ? typeof(object) : resultType);
        var sink = Activator.CreateInstance(sinkType)!;
        var field = Expression.Field(Expression.Constant(sink, sinkType), nameof(Sink<int>.Value));
        store = nothingToStore ? e => e : e => Expression.Assign(field, e);
        return sink;
    }

    private static Action<long> CompileLoop(Expression step)
    {
        // Compiled constants live in a closure array: read inside the loop, each costs an array load, bounds and
        // type checks per call (+3–10% on a 50 ns call, more than the empty loop pays). Read them once, before it.
        var hoist = new ConstantHoister();
        step = hoist.Visit(step);
        var n = Expression.Parameter(typeof(long), "n");
        var i = Expression.Variable(typeof(long), "i");
        var exit = Expression.Label("exit");
        var body = Expression.Block(
            [i, .. hoist.Locals],
            [
                .. hoist.Initializers,
                Expression.Assign(i, Expression.Constant(0L)),
                Expression.Loop(
                    Expression.IfThenElse(
                        Expression.LessThan(i, n),
                        Expression.Block(step, Expression.PreIncrementAssign(i)),
                        Expression.Break(exit)),
                    exit),
            ]);
        return Expression.Lambda<Action<long>>(body, n).Compile();
    }

    /// <summary>Replaces each reference-type constant (delegate, sink, argument box) with a local set before the loop.</summary>
    private sealed class ConstantHoister : ExpressionVisitor
    {
        private readonly Dictionary<object, ParameterExpression> _locals = new(ReferenceEqualityComparer.Instance);
        public List<ParameterExpression> Locals { get; } = [];
        public List<Expression> Initializers { get; } = [];

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (node.Value is null || node.Type.IsValueType)
                return node;
            if (!_locals.TryGetValue(node.Value, out var local))
            {
                local = Expression.Variable(node.Type);
                _locals[node.Value] = local;
                Locals.Add(local);
                Initializers.Add(Expression.Assign(local, node));
            }
            return local;
        }
    }

    private sealed class Sink<T>
    {
#pragma warning disable CS0649 // written by the compiled loop
        public T? Value;
#pragma warning restore CS0649
    }
}
