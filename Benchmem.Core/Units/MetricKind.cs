namespace Benchmem.Core.Units;

/// <summary>What a metric counts: decides the units a rule's limit takes, how a value is written, and a plot's axis.</summary>
public enum MetricKind
{
    /// <summary>Nanoseconds (per operation).</summary>
    Time,
    Bytes,
    /// <summary>A plain count: objects, collections.</summary>
    Count,
}

public static class MetricKindFormat
{
    /// <summary>A value in the kind's unit for people: <c>4.10 MiB</c>, <c>1.204 ms</c>, <c>10,000</c>. The one place
    /// that maps a kind to its formatter, for every table, gate line and plot.</summary>
    public static string Format(this MetricKind kind, double value) => kind switch
    {
        MetricKind.Time => TimeFormat.Format(value),
        MetricKind.Bytes => ByteSize.Format(value),
        _ => CountFormat.Format(value),
    };

    /// <summary>The unit raw numbers of the kind are in (CSV headers): <c>ns</c>, <c>B</c>, or empty for counts.</summary>
    public static string RawUnit(this MetricKind kind) => kind switch
    {
        MetricKind.Time => "ns",
        MetricKind.Bytes => "B",
        _ => "",
    };
}
