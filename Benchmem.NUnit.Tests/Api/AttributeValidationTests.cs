using Benchmem.Core.Settings;
using Benchmem.NUnit.Commands;

namespace Benchmem.NUnit.Tests.Api;

/// <summary>
/// Attribute properties out of range fail the test with a message naming the property, its value and the range;
/// none is silently replaced by a default. (BenchmarkRunner.Plan is what a [Benchmark] test runs first.)
/// </summary>
public class AttributeValidationTests
{
    private static string? Error(BenchmarkAttribute benchmark, BenchMemAttribute? benchMem = null) =>
        BenchmarkRunner.Plan(BenchmemSettings.Default, benchmark.TimingOptionsFor(BenchmemSettings.Default), benchMem, null).Error;

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

        var fromSuite = new BenchmarkAttribute().TimingOptionsFor(suite);
        var fromAttribute = new BenchmarkAttribute { MaxTime = 2, MinRounds = 7 }.TimingOptionsFor(suite);
        var defaults = new BenchmarkAttribute().TimingOptionsFor(BenchmemSettings.Default);

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
