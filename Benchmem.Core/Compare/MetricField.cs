namespace Benchmem.Core.Compare;

/// <summary>A number that can be compared between runs, by its name in rules and <c>--columns</c>.</summary>
/// <remarks>The names (<see cref="Metric.Name"/>) are the ones the results table and the JSON series use, so a
/// rule reads like the column it gates.</remarks>
public enum MetricField
{
    /// <summary><c>time</c>: nanoseconds per operation, from the timing rounds (a <see cref="Stat"/> picks which number).</summary>
    Time,
    /// <summary><c>peak</c>: bytes, headline memory pass.</summary>
    Peak,
    /// <summary><c>allocated</c>: bytes, headline memory pass; without memory passes the allocation pass's bytes per operation.</summary>
    Allocated,
    /// <summary><c>allocations</c>: objects allocated, headline memory pass (needs the memory host's profiler).</summary>
    Allocations,
    /// <summary><c>retained</c>: bytes still live after the call, headline memory pass.</summary>
    Retained,
    /// <summary><c>rss</c>: resident high-water bytes, headline memory pass (opt-in, Linux).</summary>
    Rss,
    /// <summary><c>gen0</c>: gen-0 collections during the headline memory pass.</summary>
    Gen0,
}

/// <summary>Which statistic of the timing rounds a time rule or column uses. Memory fields ignore it: they use the
/// headline pass, which already is the minimum-peak pass.</summary>
public enum Stat
{
    /// <summary>The default: robust to the odd slow round, unlike the mean.</summary>
    Median,
    Min,
    Max,
    Mean,
    /// <summary>Tables only: a rule on the spread would fail on noise rather than on slower code.</summary>
    StdDev,
}

/// <summary>What a field counts, which decides its units in rules and its formatting.</summary>
public enum MetricKind
{
    Time,
    Bytes,
    Count,
}
