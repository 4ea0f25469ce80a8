using Benchmem.Sweeps.Tests.Infrastructure;

namespace Benchmem.Sweeps.Tests;

/// <summary>
/// The interleaved ratio: geometric mean of the rounds' B / A and a 95% Student's t interval on their logs. The t
/// quantiles are the printed table's (t(0.975; 1) = 12.7062, t(0.975; 4) = 2.7764), not Perfolizer's.
/// </summary>
public class InterleavingTests
{
    [Test]
    public void Two_rounds_use_one_degree_of_freedom()
    {
        var r = Interleaving.Summarize("B.M", "time", [1.1, 1.3]);
        double l1 = Math.Log(1.1), l2 = Math.Log(1.3), mean = (l1 + l2) / 2, sd = Math.Abs(l1 - l2) / Math.Sqrt(2);
        Assert.That(r.Ratio, Is.EqualTo(Math.Sqrt(1.1 * 1.3)).Within(1e-12));
        Assert.That(r.Low, Is.EqualTo(Math.Exp(mean - 12.7062047 * sd / Math.Sqrt(2))).Within(1e-6));
        Assert.That(r.High, Is.EqualTo(Math.Exp(mean + 12.7062047 * sd / Math.Sqrt(2))).Within(1e-6));
        Assert.That(r.PerRound, Is.EqualTo(new[] { 1.1, 1.3 }));
    }

    [Test]
    public void Five_rounds_and_an_exact_ratio()
    {
        double[] ratios = [0.9, 1.0, 1.05, 1.1, 1.2];
        var logs = ratios.Select(r => Math.Log(r)).ToArray();
        double mean = logs.Average(), sd = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / 4);
        var r = Interleaving.Summarize("B.M", "time", ratios);
        Assert.That((r.Low, r.Ratio, r.High), Is.EqualTo((Math.Exp(mean - 2.7764451 * sd / Math.Sqrt(5)), Math.Exp(mean), Math.Exp(mean + 2.7764451 * sd / Math.Sqrt(5)))).Using<(double, double, double)>(
            (a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-6 && Math.Abs(a.Item2 - b.Item2) < 1e-12 && Math.Abs(a.Item3 - b.Item3) < 1e-6));

        // Allocations do not vary: the interval is the ratio itself, and it reads as such.
        var exact = Interleaving.Summarize("B.M", "allocated", [5896.0 / 4872, 5896.0 / 4872, 5896.0 / 4872]);
        Assert.That((exact.Low, exact.High), Is.EqualTo((5896.0 / 4872, 5896.0 / 4872)).Using<(double, double)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12));
        Assert.That(exact.Describe(), Is.EqualTo("1.210× [1.210×, 1.210×]"));
        Assert.That(Interleaving.Summarize("B.M", "time", [1.5]).Describe(), Is.EqualTo("1.500×"), "one round: no interval to give");
    }
}

/// <summary>A ref's worktree has the repository's nuget.config; relative feeds must point into the user's checkout, where untracked feeds live.</summary>
public class WorktreeNuGetConfigTests
{
    [Test]
    public void Relative_feeds_resolve_against_the_original_checkout()
    {
        using var dir = new TempDirectory();
        var config = dir.File("wt/nuget.config");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="artifacts/packages" />
                <add key="remote" value="https://example.invalid/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        var original = dir.File("repo");
        ProjectCopy.CopyNuGetConfig(config, config, original);
        var text = File.ReadAllText(config);
        Assert.That(text, Does.Contain($"value=\"{Path.Combine(original, "artifacts/packages")}\""));
        Assert.That(text, Does.Contain("value=\"https://example.invalid/v3/index.json\""));
    }
}
