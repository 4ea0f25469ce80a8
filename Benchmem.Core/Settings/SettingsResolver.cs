using System.Collections;
using System.Globalization;
using Benchmem.Core.Errors;
using Benchmem.Core.Text;

namespace Benchmem.Core.Settings;

/// <summary>
/// Turns the raw name/value pairs from every source into <see cref="BenchmemSettings"/>. Precedence, highest
/// first: the runsettings &lt;Benchmem&gt; section (<c>dotnet test -- Benchmem.X=v</c>), test run parameters
/// (<c>TestRunParameters</c> or <c>--test-parameter Benchmem.X=v</c>), environment variables <c>BENCHMEM_X</c>.
/// Every problem across all sources is reported at once, so one failed run shows them all.
/// </summary>
public static class SettingsResolver
{
    public const string ParameterPrefix = "Benchmem.";
    public const string EnvironmentPrefix = "BENCHMEM_";

    /// <summary>Names the project reserves for its own processes; not user settings.</summary>
    public const string RoleVariable = "BENCHMEM_ROLE";
    public const string MemoryHostOutputVariable = "BENCHMEM_MEMORY_HOST_OUTPUT";
    public const string HostDebugVariable = "BENCHMEM_HOST_DEBUG";
    /// <summary>Read by the native profiler at start-up: follow the GCs for the live peak.</summary>
    public const string ProfilerLivePeakVariable = "BENCHMEM_PROFILER_LIVE_PEAK";

    /// <summary>Read by the native profiler at start-up: allow stack walks for allocation profiles.</summary>
    public const string ProfilerStacksVariable = "BENCHMEM_PROFILER_STACKS";
    /// <summary>The folder the memory host writes allocation profiles into (the parent decides: Profile's folder or staging).</summary>
    public const string ProfileOutputVariable = "BENCHMEM_PROFILE_OUTPUT";

    /// <summary>Set by the memory host for a child that takes one cold pass of an isolated benchmark.</summary>
    public const string IsolatedPassVariable = "BENCHMEM_ISOLATED_PASS";

    private static readonly HashSet<string> InternalEnvironment = new(StringComparer.OrdinalIgnoreCase)
        { RoleVariable, MemoryHostOutputVariable, HostDebugVariable, ProfilerLivePeakVariable, ProfilerStacksVariable, ProfileOutputVariable, IsolatedPassVariable };

    private sealed record Setting(string Name, string Kind, Func<BenchmemSettings, string, BenchmemSettings> Apply);

    private static readonly Setting[] Known =
    [
        new("Enabled", "true or false", (s, v) => s with { Enabled = ParseBool(v) }),
        new("Disable", "true or false", (s, v) => s with { Disable = ParseBool(v) }),
        new("Json", "a file path ending in .json", (s, v) => s with { Json = ParseJsonPath(v) }),
        new("Repeats", "a whole number from 0 (adaptive) to 1000", (s, v) => s with { Repeats = ParseInt(v, 0, 1000) }),
        new("Warmup", "a whole number of calls from 0 to 1000", (s, v) => s with { Warmup = ParseInt(v, 0, 1000) }),
        new("MemoryMaxTime", "a positive number of seconds, e.g. 10", (s, v) => s with { MemoryMaxTime = ParsePositive(v) }),
        new("TimingMaxTime", "a positive number of seconds, e.g. 1.0", (s, v) => s with { TimingMaxTime = ParsePositive(v) }),
        new("MinRounds", "a whole number of rounds from 1 to 1000000", (s, v) => s with { MinRounds = ParseInt(v, 1, 1_000_000) }),
        new("Launches", "a whole number of processes from 1 to 20", (s, v) => s with { Launches = ParseInt(v, 1, 20) }),
        new("Rss", "true or false", (s, v) => s with { Rss = ParseBool(v) }),
        new("PrecisePeak", "true or false", (s, v) => s with { PrecisePeak = ParseBool(v) }),
        new("Timeout", "a positive number of seconds, e.g. 60", (s, v) => s with { Timeout = ParsePositive(v) }),
        new("Host", "auto or inprocess", (s, v) => s with { Host = ParseHost(v) }),
        new("Save", "a name of letters, digits, '.', '_' or '-'", (s, v) => s with { Save = Results.RunStorage.ValidateName(v) is { } e ? throw new FormatException(e) : v }),
        new("Autosave", "true or false", (s, v) => s with { Autosave = ParseBool(v) }),
        new("Storage", "a folder path", (s, v) => s with { Storage = v.Length > 0 ? v : throw new FormatException("the path is empty") }),
        new("CompareTo", "a saved run's number or name, or a results file path", (s, v) => s with { CompareTo = v.Length > 0 ? v : throw new FormatException("it is empty") }),
        new("CompareFail", "rules such as peak:10%,allocations:5% (against a saved run) or ratio.time:1.2 (against the group's baseline benchmark)", (s, v) => s with { CompareFail = ValidateRules(v) }),
        new("Profile", "a folder path for allocation profiles", (s, v) => s with { Profile = ParseFolder(v) }),
        new("Snapshot", "a file path ending in .json for the allocation snapshot, e.g. benchmem.lock.json", (s, v) => s with { Snapshot = ParseSnapshotPath(v) }),
        new("Columns", $"a comma-separated list of {string.Join(", ", BenchmemSettings.KnownColumns)} and extra:NAME label columns",
            (s, v) => ParseColumns(s, v)),
        new("Stats", $"a comma-separated list of {string.Join(", ", BenchmemSettings.KnownStats)}",
            (s, v) => s with { Stats = ParseList(v, BenchmemSettings.KnownStats) }),
        new("TimingColumns", $"a comma-separated list of {string.Join(", ", Reporting.ResultsTable.TimeColumnKeys)}",
            (s, v) => s with { TimingColumns = ParseList(v, Reporting.ResultsTable.TimeColumnKeys) }),
        new("Sort", $"one of {string.Join(", ", Reporting.ResultsTable.SortKeys)}",
            (s, v) => s with { Sort = ParseList(v, Reporting.ResultsTable.SortKeys) is [var one] ? one : throw new FormatException("give one value") }),
        new("Reports", $"none, or a comma-separated list of {string.Join(", ", BenchmemSettings.KnownReports)}",
            (s, v) => s with { Reports = v.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : ParseList(v, BenchmemSettings.KnownReports) }),
        new("Timing", "true or false (false: memory passes only, no timing rounds)", (s, v) => s with { Timing = ParseBool(v) }),
        new("Layout", $"one of {string.Join(", ", BenchmemSettings.KnownLayouts)}",
            (s, v) => s with { Layout = ParseList(v, BenchmemSettings.KnownLayouts) is [var one] ? one : throw new FormatException("give one value") }),
    ];

    /// <summary>Old names that would now be read another way: refused with the new names, never reinterpreted.</summary>
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MaxTime"] = "Benchmem.MaxTime was the memory passes' time limit and is now two settings: write Benchmem.MemoryMaxTime "
            + "for that limit, or Benchmem.TimingMaxTime for every benchmark's timing budget (what [Benchmark(MaxTime)] sets).",
    };

    public static BenchmemSettings Resolve(
        IEnumerable<KeyValuePair<string, string>> runSettings,
        IEnumerable<KeyValuePair<string, string>> testParameters,
        IDictionary environment)
    {
        var problems = new List<string>();
        // Lowest precedence first, so later sources overwrite.
        var chosen = new Dictionary<string, (string Value, string Source)>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in environment)
        {
            var key = e.Key.ToString() ?? "";
            if (!key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) || InternalEnvironment.Contains(key))
                continue;
            Collect(key[EnvironmentPrefix.Length..], e.Value?.ToString() ?? "", $"environment variable {key}", chosen, problems);
        }
        foreach (var (key, value) in testParameters)
        {
            if (key.StartsWith(ParameterPrefix, StringComparison.OrdinalIgnoreCase))
                Collect(key[ParameterPrefix.Length..], value, $"test parameter {key}", chosen, problems);
        }
        foreach (var (key, value) in runSettings)
            Collect(key, value, $"runsettings <Benchmem><{key}>", chosen, problems);

        var settings = new BenchmemSettings();
        var sources = new Dictionary<string, string>();
        foreach (var setting in Known)
        {
            if (!chosen.TryGetValue(setting.Name, out var pick))
                continue;
            try
            {
                settings = setting.Apply(settings, pick.Value.Trim());
                sources[setting.Name] = pick.Source;
            }
            catch (FormatException ex)
            {
                problems.Add($"{pick.Source}: '{pick.Value}' is not valid for Benchmem.{setting.Name}: {ex.Message} (expected {setting.Kind})");
            }
        }
        if (settings.Enabled && settings.Disable)
            problems.Add("Benchmem.Enabled=true and Benchmem.Disable=true contradict each other: drop one of them.");
        if (!settings.Timing && settings.Disable)
            problems.Add("Benchmem.Timing=false (memory passes only) and Benchmem.Disable=true (no measuring at all) contradict each other: drop one of them.");
        if (settings.PrecisePeak && settings.Host == "inprocess")
            problems.Add("Benchmem.PrecisePeak=true needs the memory host, but Benchmem.Host=inprocess: drop one of them.");
        if (problems.Count > 0)
            throw new BenchmemSettingsException("Benchmem settings are invalid, so no benchmark ran:" + Environment.NewLine
                + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        return settings with { Sources = sources };
    }

    private static void Collect(string name, string value, string source,
        Dictionary<string, (string, string)> chosen, List<string> problems)
    {
        var known = Known.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
        if (known is not null)
        {
            chosen[known.Name] = (value, source);
            return;
        }
        if (Renamed.TryGetValue(name, out var renamed))
        {
            problems.Add($"{source}: {renamed}");
            return;
        }
        problems.Add($"{source}: unknown setting '{name}'. Known settings: {string.Join(", ", Known.Select(k => k.Name))}"
            + Suggestion.Hint(name, Known.Select(k => k.Name)) + ".");
    }

    internal static bool ParseBool(string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" or "" => false,
        _ => throw new FormatException("not a boolean"),
    };

    private static int ParseInt(string value, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"not a whole number from {min} to {max}");

    private static double ParsePositive(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d)
            ? d
            : throw new FormatException("not a positive number");

    /// <summary>
    /// Columns: memory metrics, and label columns written extra:NAME (a dim or a Bench.Dim name; any name, since dims are
    /// the test's own). Only label columns leaves the memory columns at their default.
    /// </summary>
    private static BenchmemSettings ParseColumns(BenchmemSettings s, string value)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var extras = new List<string>();
        foreach (var item in items.Where(i => i.StartsWith("extra:", StringComparison.OrdinalIgnoreCase)))
        {
            var name = item["extra:".Length..].Trim();
            if (name.Length == 0)
                throw new FormatException($"'{item}' names no dim: write extra:NAME, e.g. extra:n");
            if (!extras.Contains(name, StringComparer.Ordinal))
                extras.Add(name);
        }
        var metrics = items.Where(i => !i.StartsWith("extra:", StringComparison.OrdinalIgnoreCase)).ToArray();
        return s with
        {
            Columns = metrics.Length == 0 ? s.Columns : ParseList(string.Join(',', metrics), BenchmemSettings.KnownColumns),
            ExtraColumns = extras,
        };
    }

    private static string[] ParseList(string value, string[] allowed)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(i => i.ToLowerInvariant()).Distinct().ToArray();
        if (items.Length == 0)
            throw new FormatException("the list is empty");
        var unknown = items.Where(i => !allowed.Contains(i)).ToArray();
        if (unknown.Length > 0)
            throw new FormatException($"unknown item{(unknown.Length > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}");
        return items;
    }

    /// <summary>
    /// "process" was once accepted and meant the same as auto (the memory host wherever it can run); a user writing it
    /// expects the host to be required, which nothing enforces, so it is refused rather than quietly read as auto.
    /// </summary>
    private static string ParseHost(string value) =>
        ParseList(value, ["auto", "process", "inprocess"]) switch
        {
            ["process"] => throw new FormatException("'process' is not a choice of its own: auto already runs memory passes in the memory host "
                + "wherever the package ships the profiler for this platform, and in process elsewhere; write auto"),
            [var one] => one,
            _ => throw new FormatException("give one value"),
        };

    private static string ValidateRules(string value)
    {
        _ = Compare.GateRules.Parse(value); // throws FormatException quoting the bad rule and the fix
        return value;
    }

    private static string ParseFolder(string value) => ParsePath(value, "folder");

    private static string ParseSnapshotPath(string value) =>
        ParseJsonFile(value, "the snapshot file must end in .json, e.g. benchmem.lock.json");

    private static string ParseJsonPath(string value) => ParseJsonFile(value, "the results file must end in .json");

    private static string ParseJsonFile(string value, string notJson) =>
        ParsePath(value, "file").EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? value : throw new FormatException(notJson);

    /// <summary>A path setting: not empty, and only characters a <paramref name="kind"/> name can have.</summary>
    private static string ParsePath(string value, string kind)
    {
        if (value.Length == 0)
            throw new FormatException("the path is empty");
        if (value.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || value.Contains('\0'))
            throw new FormatException($"the path has characters a {kind} name cannot have");
        return value;
    }


}
