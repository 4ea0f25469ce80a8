using System.Globalization;
using Benchmem.Core.Profiles;
using Benchmem.Core.Units;

namespace Benchmem.Cli.Profile;

/// <summary>The views of one profile <c>benchmem profile --report</c> can print (pytest-benchmem's flamegraph reporters).</summary>
public enum ProfileReport
{
    /// <summary>Top types and top allocating methods (own and total): the default.</summary>
    Summary,
    /// <summary>The offline flame graph page (the default writes it beside the summary).</summary>
    Flamegraph,
    /// <summary>One row per allocation site: allocating method × type, with objects, bytes and share.</summary>
    Table,
    /// <summary>The call tree from the benchmark method down to the allocated types, with total bytes per node.</summary>
    Tree,
    /// <summary>Totals and counts: bytes, objects, distinct types, methods and stacks, depth, mean object size, coverage.</summary>
    Stats,
}

/// <summary>Parses <c>--report</c> and prints the text reports; every number is summed from the profile's samples.</summary>
public static class ProfileReports
{
    public static IReadOnlyList<ProfileReport> All { get; } = Enum.GetValues<ProfileReport>();

    public static string Name(ProfileReport report) => report.ToString().ToLowerInvariant();

    public static string List => string.Join('|', All.Select(Name));

    /// <summary>--report values, repeatable or comma-separated, in the order given, each once.</summary>
    public static IReadOnlyList<ProfileReport> Parse(IEnumerable<string> values)
    {
        var result = new List<ProfileReport>();
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var match = All.Where(r => Name(r) == value.ToLowerInvariant()).ToList();
            if (match.Count == 0)
                throw new UsageException($"--report '{value}' is not a report; use one or more of {List.Replace("|", ", ")} (e.g. --report tree,stats).");
            if (!result.Contains(match[0]))
                result.Add(match[0]);
        }
        return result;
    }

    /// <summary>Allocation sites: the allocating method (the frame under the type) and the type, largest first.</summary>
    public static void Table(TextWriter stdout, AllocationProfile profile, int rows)
    {
        bool exact = profile.Info.Method == ProfileMethods.Exact;
        string approx = exact ? "" : "~";
        double total = Math.Max(1, profile.TotalBytes);
        var sites = profile.Samples
            .GroupBy(s => (Method: s.Stack.Length >= 2 ? profile.Frames[s.Stack[^2]] : "(no frame)", Type: profile.Frames[s.Stack[^1]][AllocationProfile.TypePrefix.Length..]))
            .Select(g => (g.Key.Method, g.Key.Type, Objects: g.Sum(s => s.Objects), Bytes: g.Sum(s => s.Bytes)))
            .OrderByDescending(s => s.Bytes).ThenBy(s => s.Method, StringComparer.Ordinal).ThenBy(s => s.Type, StringComparer.Ordinal).ToList();
        stdout.WriteLine($"Allocation sites ({Math.Min(rows, sites.Count)} of {sites.Count}, by bytes)");
        Columns(stdout, ["Method", "Type", exact ? "Objects" : "Samples", "Bytes", "Share"], [false, false, true, true, true],
            sites.Take(rows).Select(s => new[] { s.Method, s.Type, Count(s.Objects), approx + ByteSize.Format(s.Bytes), Percent(s.Bytes / total) }));
    }

    /// <summary>
    /// The call tree: a node per frame along the stacks (merged by path), with the bytes of everything below it;
    /// children largest first, at most <paramref name="rows"/> per node, the rest folded into one line.
    /// </summary>
    public static void Tree(TextWriter stdout, AllocationProfile profile, int rows)
    {
        string approx = profile.Info.Method == ProfileMethods.Exact ? "" : "~";
        double total = Math.Max(1, profile.TotalBytes);
        var root = new Node(-1);
        foreach (var sample in profile.Samples)
        {
            var node = root;
            foreach (int frame in sample.Stack)
            {
                node.Bytes += sample.Bytes;
                node.Objects += sample.Objects;
                node = node.Child(frame);
            }
            node.Bytes += sample.Bytes;
            node.Objects += sample.Objects;
        }
        stdout.WriteLine($"Call tree (bytes allocated under each frame; at most {rows} children per frame)");
        Print(root, "", isRoot: true);

        void Print(Node node, string indent, bool isRoot = false)
        {
            var children = node.Children.Values.OrderByDescending(c => c.Bytes).ThenBy(c => profile.Frames[c.Frame], StringComparer.Ordinal).ToList();
            var shown = children.Take(rows).ToList();
            var rest = children.Skip(rows).ToList();
            for (int i = 0; i < shown.Count; i++)
            {
                var child = shown[i];
                bool last = i == shown.Count - 1 && rest.Count == 0;
                string branch = isRoot ? "" : last ? "└─ " : "├─ ";
                string frame = profile.Frames[child.Frame];
                string objects = AllocationProfile.IsType(frame) ? $" ({Count(child.Objects)} {(approx.Length == 0 ? "objects" : "samples")})" : "";
                stdout.WriteLine($"  {indent}{branch}{approx}{ByteSize.Format(child.Bytes)}  {Percent(child.Bytes / total)}  {frame}{objects}");
                Print(child, isRoot ? "" : indent + (last ? "   " : "│  "));
            }
            if (rest.Count > 0)
                stdout.WriteLine($"  {indent}{(isRoot ? "" : "└─ ")}… {rest.Count} more: {approx}{ByteSize.Format(rest.Sum(r => r.Bytes))}  {Percent(rest.Sum(r => r.Bytes) / total)}");
        }
    }

    /// <summary>Counts and totals of the profile, beside the pass's own numbers (how much of the pass the profile saw).</summary>
    public static void Stats(TextWriter stdout, AllocationProfile profile)
    {
        var info = profile.Info;
        bool exact = info.Method == ProfileMethods.Exact;
        string approx = exact ? "" : "~";
        long bytes = profile.TotalBytes, objects = profile.TotalObjects;
        var types = profile.Samples.Select(s => s.Stack[^1]).Distinct().Count();
        var methods = profile.Samples.SelectMany(s => s.Stack[..^1]).Distinct().Count();
        var sites = profile.Samples.Where(s => s.Stack.Length >= 2).Select(s => (s.Stack[^2], s.Stack[^1])).Distinct().Count();
        var stacks = profile.Samples.Select(s => string.Join(',', s.Stack)).Distinct().Count();
        int depth = profile.Samples.Count == 0 ? 0 : profile.Samples.Max(s => s.Stack.Length - 1);
        var rows = new List<string[]>
        {
            new[] { "Profiled bytes", approx + ByteSize.Format(bytes) + $" ({bytes.ToString("N0", CultureInfo.InvariantCulture)} B)" },
            new[] { exact ? "Objects" : "Samples", Count(objects) },
            new[] { exact ? "Mean object size" : "Mean bytes per sample", objects == 0 ? "-" : ByteSize.Format((long)Math.Round((double)bytes / objects)) },
            new[] { "Types", Count(types) },
            new[] { "Allocating sites (method × type)", Count(sites) },
            new[] { "Methods on the stacks", Count(methods) },
            new[] { "Distinct stacks", Count(stacks) },
            new[] { "Deepest stack (frames)", Count(depth) },
            new[] { "Pass: peak", ByteSize.Format(info.PeakBytes) },
            new[] { "Pass: allocated", ByteSize.Format(info.AllocatedBytes) },
        };
        if (info.Allocations is { } n)
            rows.Add(["Pass: objects", Count(n)]);
        if (info.AllocatedBytes > 0)
            rows.Add(["Profile / pass allocated", Percent((double)bytes / info.AllocatedBytes)]);
        if (info.Unattributed > 0)
            rows.Add(["Allocations without a stack (left out)", Count(info.Unattributed)]);
        stdout.WriteLine($"Profile statistics ({(exact ? "exact" : "sampled")})");
        Columns(stdout, ["Statistic", "Value"], [false, true], rows);
    }

    internal static string Percent(double share) => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Left-aligned text columns and right-aligned numbers, two spaces apart, indented by two.</summary>
    internal static void Columns(TextWriter stdout, string[] headers, bool[] right, IEnumerable<string[]> body)
    {
        var lines = new List<string[]> { headers };
        lines.AddRange(body);
        var widths = headers.Select((_, c) => lines.Max(l => l[c].Length)).ToArray();
        foreach (var line in lines)
            stdout.WriteLine("  " + string.Join("  ", line.Select((cell, c) => right[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
    }

    private sealed class Node(int frame)
    {
        public int Frame { get; } = frame;
        public long Bytes { get; set; }
        public long Objects { get; set; }
        public Dictionary<int, Node> Children { get; } = [];

        public Node Child(int frame)
        {
            if (!Children.TryGetValue(frame, out var child))
                Children[frame] = child = new Node(frame);
            return child;
        }
    }
}
