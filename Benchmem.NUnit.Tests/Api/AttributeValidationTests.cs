using Benchmem.Core.Settings;
using Benchmem.NUnit.Commands.Stages;

namespace Benchmem.NUnit.Tests.Api;

/// <summary>
/// Attribute properties out of range fail the test with a message naming the property, its value and the range;
/// none is silently replaced by a default. (PlanStage.Plan is what a [Benchmark] test runs first.)
/// </summary>
public class AttributeValidationTests
{
    private static string? Error(BenchmarkAttribute benchmark, BenchMemAttribute? benchMem = null) =>
        PlanStage.Plan(BenchmemSettings.Default, PlanStage.TimingFor(benchmark, BenchmemSettings.Default), benchMem, null).Error;

    [TestCase(0, "[Benchmark(MinRounds = 0)] is out of range: MinRounds must be between 1 and 1,000,000.")]
    [TestCase(2_000_000, "[Benchmark(MinRounds = 2000000)] is out of range: MinRounds must be between 1 and 1,000,000.")]
    public void MinRounds(int value, string message) =>
        Assert.That(Error(new BenchmarkAttribute { MinRounds = value }), Is.EqualTo(message));

    [TestCase(-1.0)]
    [TestCase(0.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void MaxTime(double value) =>
        Assert.That(Error(new BenchmarkAttribute { MaxTime = value }),
            Does.StartWith($"[Benchmark(MaxTime = {value})] is out of range: MaxTime must be a positive number of seconds"));

    [Test]
    public void SuiteTimingSettings_AreDefaults_ThatTheAttributeOverrides()
    {
        var suite = BenchmemSettings.Default with { TimingMaxTime = 0.25, MinRounds = 40 };

        var fromSuite = PlanStage.TimingFor(new BenchmarkAttribute(), suite);
        var fromAttribute = PlanStage.TimingFor(new BenchmarkAttribute { MaxTime = 2, MinRounds = 7 }, suite);
        var defaults = PlanStage.TimingFor(new BenchmarkAttribute(), BenchmemSettings.Default);

        Assert.That((fromSuite.MaxTime, fromSuite.MinRounds), Is.EqualTo((0.25, 40)));
        Assert.That((fromAttribute.MaxTime, fromAttribute.MinRounds), Is.EqualTo((2.0, 7)));
        Assert.That((defaults.MaxTime, defaults.MinRounds), Is.EqualTo((1.0, 5)));
    }

    [Test]
    public void MinTimeAboveMaxTime() =>
        Assert.That(Error(new BenchmarkAttribute { MaxTime = 1, MinTime = 2 }),
            Is.EqualTo("[Benchmark(MinTime = 2)] is out of range: MinTime must be 0 (automatic) or a number of seconds no larger than MaxTime."));

    [TestCase(-5, "[BenchMem(Repeats = -5)] is out of range: Repeats must be 0 (adaptive) or between 1 and 1000.")]
    [TestCase(1001, "[BenchMem(Repeats = 1001)] is out of range: Repeats must be 0 (adaptive) or between 1 and 1000.")]
    public void Repeats(int value, string message) =>
        Assert.That(Error(new BenchmarkAttribute(), new BenchMemAttribute { Repeats = value }), Is.EqualTo(message));

    [Test]
    public void NegativeWarmup() =>
        Assert.That(Error(new BenchmarkAttribute(), new BenchMemAttribute { Warmup = -2 }),
            Is.EqualTo("[BenchMem(Warmup = -2)] is out of range: Warmup must be between 0 and 1000 calls."));

    [TestCase(0)]
    [TestCase(-3)]
    public void Calls(int value) =>
        Assert.That(Error(new BenchmarkAttribute(), new BenchMemAttribute { Calls = value }),
            Is.EqualTo($"[BenchMem(Calls = {value})] is out of range: Calls must be between 1 and 1,000,000."));

    [Test]
    public void NegativeMaxAllocations() =>
        Assert.That(Error(new BenchmarkAttribute(), new BenchMemAttribute { MaxAllocations = -7 }),
            Is.EqualTo("[BenchMem(MaxAllocations = -7)] is out of range: give a number of objects, 0 or more."));

    [TestCase("100MB2", "[BenchMem(MaxPeak = \"100MB2\")]: '100MB2' is not a size")]
    [TestCase("-5MiB", "[BenchMem(MaxPeak = \"-5MiB\")]:")]
    [TestCase("", "[BenchMem(MaxPeak = \"\")]:")]
    public void MalformedSizes(string size, string start) =>
        Assert.That(Error(new BenchmarkAttribute(), new BenchMemAttribute { MaxPeak = size }), Does.StartWith(start));

    [Test]
    public void DefaultsAreValid() =>
        Assert.That(Error(new BenchmarkAttribute(), new BenchMemAttribute()), Is.Null);
}

/// <summary>[BenchMem]'s unset values read as their documented defaults; the run's settings fill in what the attribute leaves unset.</summary>
public class BenchMemDefaultsTests
{
    [Test]
    public void UnsetRepeatsAndWarmupReadAsTheirDocumentedDefaults()
    {
        var attribute = new BenchMemAttribute();
        Assert.That((attribute.Repeats, attribute.Warmup, attribute.Calls, attribute.MaxAllocations), Is.EqualTo((0, 1, 1, -1L)));
    }

    [Test]
    public void TheRunsSettingsFillWhatTheAttributeLeavesUnset_TheAttributeWins()
    {
        var suite = BenchmemSettings.Default with { Repeats = 4, Warmup = 3, MemoryMaxTime = 2.5, Rss = true };

        var fromSuite = PlanStage.MemoryFor(suite, new BenchMemAttribute());
        var fromAttribute = PlanStage.MemoryFor(suite, new BenchMemAttribute { Repeats = 7, Warmup = 0, Calls = 2 });
        var defaults = PlanStage.MemoryFor(BenchmemSettings.Default, null);

        Assert.That((fromSuite.Repeats, fromSuite.Warmup, fromSuite.MaxTime, fromSuite.Rss), Is.EqualTo((4, 3, 2.5, true)));
        Assert.That((fromAttribute.Repeats, fromAttribute.Warmup, fromAttribute.Calls), Is.EqualTo((7, 0, 2)));
        Assert.That((defaults.Repeats, defaults.Warmup, defaults.Calls, defaults.MaxTime), Is.EqualTo((0, 1, 1, 10.0)));
    }

    [Test]
    public void AnAttributeValueOfZeroIsTheUsers_NotUnset()
    {
        var suite = BenchmemSettings.Default with { Repeats = 4 };
        Assert.That(PlanStage.MemoryFor(suite, new BenchMemAttribute { Repeats = 0 }).Repeats, Is.EqualTo(0));
    }
}
