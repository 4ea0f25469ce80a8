using Microsoft.Diagnostics.Tracing.Etlx;

namespace Benchmem.Core.Profiles;

/// <summary>
/// Stacks read from a runtime trace (.nettrace), as the sampled allocation profile and the CPU profile both read them:
/// the trace opened through TraceEvent's TraceLog (a temporary .etlx beside it, deleted after), frames named without
/// their signature, and a frame table that numbers each name once.
/// </summary>
public static class TraceStacks
{
    /// <summary>Opens <paramref name="tracePath"/> as a TraceLog for <paramref name="read"/>; the .etlx it needs is deleted after.</summary>
    public static T Read<T>(string tracePath, Func<TraceLog, T> read)
    {
        var etlx = Path.Combine(Path.GetTempPath(), $"benchmem-{Environment.ProcessId}-{Guid.NewGuid():N}.etlx");
        try
        {
            TraceLog.CreateFromEventPipeDataFile(tracePath, etlx);
            using var log = new TraceLog(etlx);
            return read(log);
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    /// <summary>A stack's frame names, leaf first.</summary>
    public static List<string> LeafFirst(TraceCallStack? stack)
    {
        var names = new List<string>();
        for (var s = stack; s is not null; s = s.Caller)
            names.Add(Name(s.CodeAddress.FullMethodName, s.CodeAddress.ModuleName));
        return names;
    }

    /// <summary>"Ns.Type.Method(sig)" without the signature; a frame without a method name (native code) by its module.</summary>
    public static string Name(string method, string module)
    {
        if (string.IsNullOrEmpty(method))
            return $"({(string.IsNullOrEmpty(module) ? "native" : module)})";
        int paren = method.IndexOf('(');
        return paren > 0 ? method[..paren] : method;
    }

    /// <summary>Frame names numbered in first-seen order: a profile's shared frame list.</summary>
    public sealed class FrameTable
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public List<string> Frames { get; } = [];

        public int IndexOf(string name)
        {
            if (!_index.TryGetValue(name, out int i))
            {
                _index[name] = i = Frames.Count;
                Frames.Add(name);
            }
            return i;
        }
    }
}
