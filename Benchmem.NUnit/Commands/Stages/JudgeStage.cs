using Benchmem.Core.Results;
using Benchmem.NUnit.Session;

namespace Benchmem.NUnit.Commands.Stages;

/// <summary>The judge stage's outcome: lines for the test's output, and why the test fails (none: it passes).</summary>
internal sealed record Verdict(IReadOnlyList<string> Notes, IReadOnlyList<string> Failures);

/// <summary>
/// Judge: the [BenchMem] ceilings on the worst pass, the CompareFail gate against the baseline, and whether the
/// benchmark keeps its allocation profile — with CompareFail only a regressing benchmark does: that is the one worth reading.
/// </summary>
/// <param name="gate">The run's gate, or null without CompareFail or a baseline.</param>
/// <param name="endOfRunComes">True with the suite hook: the run's summary of new benchmarks comes at its end.</param>
/// <param name="ratios">CompareFail's ratio.FIELD:N rules, judged against the group's baseline benchmark in this run.</param>
/// <param name="recorded">The run's records so far (this one included), where the baseline is found.</param>
internal sealed class JudgeStage(InlineGate? gate, ProfileStore profiles, bool compareFail, bool endOfRunComes, Action<string> report,
    IReadOnlyList<Core.Compare.RatioRule>? ratios = null, Func<IReadOnlyList<BenchmarkRecord>>? recorded = null)
{
    /// <summary>
    /// The ratio rules' failures for this benchmark: against its group's baseline when that was measured already; when this
    /// is the baseline, those of its group measured before it (their tests have finished, so this one reports them).
    /// </summary>
    private IEnumerable<string> RatioFailures(BenchmarkRecord record)
    {
        if (ratios is not { Count: > 0 } || recorded is null)
            yield break;
        var group = Core.Compare.RunRatios.GroupOf(record);
        var mates = recorded().Where(r => Core.Compare.RunRatios.GroupOf(r) == group).ToList();
        if (record.Baseline)
        {
            foreach (var earlier in mates.Where(r => !r.Baseline))
                foreach (var line in ratios.Select(rule => rule.Check(earlier, record)).OfType<string>())
                    yield return $"Benchmem: measured before this baseline: {line}";
        }
        else if (mates.FirstOrDefault(r => r.Baseline) is { } baseline)
        {
            foreach (var line in ratios.Select(rule => rule.Check(record, baseline)).OfType<string>())
                yield return $"Benchmem: {line}";
        }
    }

    /// <param name="cpuProfile">Takes the benchmark's CPU sample profile and returns the line naming it (a failed time rule's pointer); null: none can be taken.</param>
    public Verdict Judge(BenchmarkRecord record, BenchmarkPlan plan, Func<string>? cpuProfile = null)
    {
        var notes = new List<string>(plan.Notes);
        var failures = record.Memory is { } memory ? plan.Ceilings.Select(c => c.Check(memory)).OfType<string>().ToList() : [];
        failures.AddRange(plan.TimeCeilings.Select(c => c.Check(record)).OfType<string>());
        failures.AddRange(RatioFailures(record));
        bool regressed = false;
        if (gate is { Gates: true } g)
        {
            if (g.IsNew(record))
            {
                notes.Add(g.NewLine());
                if (g.NoteNew(record, endOfRunComes) is { } now)
                    report(now);
            }
            else if (g.Judge(record, recorded?.Invoke()) is var result)
            {
                if (!result.Passed)
                {
                    regressed = true;
                    failures.Add($"Benchmem: regressed against {g.Baseline.Path}:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, result.RegressionLines)}");
                    // A failed memory rule explains itself when an earlier run's profile of the benchmark is kept: the top rows of the diff.
                    var memoryFields = result.Regressions.Select(r => r.Rule.Field).Where(f => f != Core.Compare.MetricField.Time).Select(f => f.Name);
                    if (plan.Profile && profiles.Explain(record.FullName, memoryFields) is { Count: > 0 } why)
                        failures.Add(string.Join(System.Environment.NewLine, why));
                    // A failed time rule: where the time went, from a CPU sample profile of the benchmark kept beside its allocation profile.
                    if (cpuProfile is not null && result.Regressions.Any(r => r.Rule.Field == Core.Compare.MetricField.Time))
                        failures.Add(cpuProfile());
                }
                // Neither a pass nor a failure: said on the test's output, with the figure and the fix.
                notes.AddRange(result.NotJudged.Select(c => $"Benchmem: CompareFail: {c}"));
            }
        }
        if (plan.Profile && (!compareFail || regressed) && profiles.Publish(record.FullName) is { } command)
        {
            notes.Add($"Benchmem: allocation profile kept; render it with: {command}");
            if (regressed)
                failures.Add($"Benchmem: where the memory went: {command}");
        }
        return new Verdict(notes, failures);
    }
}
