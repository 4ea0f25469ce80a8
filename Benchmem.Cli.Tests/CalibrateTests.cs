using System.Globalization;
using Benchmem.Cli.Tests.Infrastructure;

namespace Benchmem.Cli.Tests;

/// <summary><c>benchmem calibrate</c> through the real process: every figure it prints recomputed here from the rounds it
/// wrote with -o, and its bad input.</summary>
public class CalibrateTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void Create() => _dir = new TempDirectory();

    [TearDown]
    public void Delete() => _dir.Dispose();

    private static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string P(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    [Test]
    public void TwoSeconds_PrintsEachWorkloadAndTheMachinesFiguresFromTheRoundsItWrote()
    {
        string csv = _dir.File("rounds.csv");
        var result = Tool.Run("calibrate", "--duration", "2s", "-o", csv);
        Assert.That(result.ExitCode, Is.EqualTo(0).Or.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Is.Empty);

        var lines = File.ReadAllLines(csv);
        Assert.That(lines[0], Is.EqualTo("seconds,workload,nanoseconds"));
        var rounds = lines.Skip(1).Select(l => l.Split(',')).Select(f => (At: double.Parse(f[0], CultureInfo.InvariantCulture), Workload: f[1],
            Ns: double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
        string[] names = ["int", "float", "memory"];
        // The workloads in turn, in time order, for two seconds.
        Assert.That(rounds.Select(r => r.Workload), Is.EqualTo(rounds.Select((_, i) => names[i % 3])));
        Assert.That(rounds.Select(r => r.At), Is.Ordered);
        Assert.That(rounds[^1].At, Is.LessThan(2.0).And.GreaterThan(1.9));

        // Two one-second windows; per workload its overall fastest and median, and how far its windows' fastest moved.
        var overall = names.ToDictionary(n => n, n => Median(rounds.Where(r => r.Workload == n).Select(r => r.Ns)));
        var fastest = names.ToDictionary(n => n, n => rounds.Where(r => r.Workload == n).Min(r => r.Ns));
        int Window(double at) => at < 1 ? 0 : 1;
        var windows = Enumerable.Range(0, 2).Select(w => rounds.Where(r => Window(r.At) == w).ToList()).ToArray();
        double Moved(string n)
        {
            var own = windows.Select(w => w.Where(r => r.Workload == n).Min(r => r.Ns)).ToArray();
            return (own.Max() / own.Min() - 1) * 100;
        }
        double Geo(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));
        // The machine's factor per window: the least slowed workload's fastest round over its fastest overall.
        var factors = windows.Select(w => names.Select(n => w.Where(r => r.Workload == n).Min(r => r.Ns) / fastest[n]).Min()).ToArray();
        double machineMoved = (factors.Max() / factors.Min() - 1) * 100;
        // Contention per window: its median rounds over its fastest.
        var contention = windows.Select(w => (Geo(names.Select(n =>
        {
            var own = w.Where(r => r.Workload == n).Select(r => r.Ns).ToArray();
            return Median(own) / own.Min();
        })) - 1) * 100).ToArray();
        bool fit = machineMoved <= 10;

        var stdout = result.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.That(stdout[0], Does.StartWith($"benchmem calibrate: {rounds.Count} rounds of about 1 ms in 2.0 s, the workloads in turn, cut into 2 one-second windows"));
        Assert.That(stdout[1], Does.Match(@"^workload  bound by\s+fastest/op\s+median/op\s+moved$"));
        string Ns(double v) => v.ToString("0.000", CultureInfo.InvariantCulture).Replace(".", "\\.") + " ns";
        for (int w = 0; w < 3; w++)
            Assert.That(stdout[2 + w], Does.Match($@"^{names[w]}\s+\S.*\s{Ns(fastest[names[w]])}\s+{Ns(overall[names[w]])}\s+{P(Moved(names[w])).Replace(".", "\\.")}$"));
        Assert.That(stdout[5], Is.EqualTo($"Between seconds: the machine's own speed (its fastest rounds) moved {P(machineMoved)} from its fastest second to its slowest "
            + "(compare does not judge a run whose halves differ by more than 10.0%, nor two runs by more than 30.0%)."));
        Assert.That(stdout[6], Is.EqualTo($"Contention: the median round ran {P(Median(contention))} slower than the fastest in the median second, {P(contention.Max())} in the worst "
            + "(a plain time rule compares fastest rounds, which contention cannot make faster; time.median rules feel it)."));
        Assert.That(stdout[7], Does.StartWith(fit ? "Verdict: fit for time gates" : "Verdict: not fit for time gates"));
        Assert.That(result.ExitCode, Is.EqualTo(fit ? 0 : 1));
        Assert.That(stdout[8], Is.EqualTo($"benchmem: wrote {csv} ({rounds.Count} rounds)"));
    }

    [TestCase("0", "benchmem: --duration: '0' is out of range; give between 0.5 s and 3600 s (a minute, the default, says most).")]
    [TestCase("2h", "benchmem: --duration: '2h' is not a duration; write seconds or a time with its unit, e.g. --duration 60 or --duration 90s.")]
    [TestCase("7200s", "benchmem: --duration: '7200s' is out of range; give between 0.5 s and 3600 s (a minute, the default, says most).")]
    public void ABadDurationIsOneLine(string duration, string message)
    {
        var result = Tool.Run("calibrate", "--duration", duration);
        Assert.That((result.ExitCode, result.Stderr.Trim(), result.Stdout), Is.EqualTo((2, message, "")));
    }

    [Test]
    public void AnExistingOutputFileIsKeptWithoutForce()
    {
        string csv = _dir.File("keep.csv");
        File.WriteAllText(csv, "mine");
        var result = Tool.Run("calibrate", "--duration", "1", "-o", csv);
        Assert.That((result.ExitCode, result.Stderr.Trim()), Is.EqualTo((2, $"benchmem: -o {csv} already exists; add --force to replace it, or choose another path.")));
        Assert.That(File.ReadAllText(csv), Is.EqualTo("mine"));
    }
}
