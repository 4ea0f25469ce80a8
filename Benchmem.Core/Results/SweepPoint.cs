namespace Benchmem.Core.Results;

/// <summary>One point of a <c>benchmem sweep</c>: the package version (and target framework, when the sweep names any) a run measured.</summary>
public sealed record SweepPoint(string Package, string Version, string? Framework);
