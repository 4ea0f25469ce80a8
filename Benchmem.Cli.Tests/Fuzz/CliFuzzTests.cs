using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Benchmem.Cli.Tests.Infrastructure;
using Benchmem.Core.Tests.Results.Fuzz;
using static Benchmem.Cli.Tests.Infrastructure.ResultFiles;

namespace Benchmem.Cli.Tests.Fuzz;

/// <summary>
/// Corrupted results files through the real tool: `compare` (table, and the gate with --diff) and `merge`. Whatever the
/// damage, the tool exits 0, 1 or 2, never prints a stack trace, and on exit 2 prints exactly one line — never the
/// "unexpected error" line that marks a bug. The same corruptions run in process, 600+ of them, in
/// Benchmem.Core.Tests' ReaderFuzzTests; this is the smaller sample that checks the process end of it.
/// </summary>
public class CliFuzzTests
{
    /// <summary>60 per source in CI (with the fixed cases, 135 inputs through the real process: the process end of the
    /// reader fuzz, whose 630 in-process cases cover the parsing); set FUZZ_SEEDS for a longer hunt.</summary>
    private static readonly int SeedsPerSource = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEEDS"), out var n) ? n : 60;
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static readonly string[][] Commands =
    [
        ["compare", "good.json", "{0}"],
        ["compare", "good.json", "{0}", "--diff", "--columns", "time,peak,allocated,allocations", "--fail-on", "peak:10%,time:5%:significant,allocated:1KiB"],
        ["merge", "good.json", "{0}", "-o", "merged-{1}.json", "--prefer", "last"],
    ];

    [Test]
    public void Corrupted_files_exit_0_1_or_2_with_one_line_and_no_stack_trace()
    {
        var watch = Stopwatch.StartNew();
        Write(_dir.File("good.json"), "good",
            Record("Sort", 100, [150, 160, 140, 155, 145], [424, 425, 424], 424, allocations: 2, group: "sort"),
            Record("Sort", 1000, [1500, 1600, 1400, 1550, 1450], [4024, 4024, 4025], 4024, allocations: 2, group: "sort"),
            Record("Reverse", 100, [90, 91, 92, 93, 94], [0], 0));
        var sources = new[]
        {
            ("benchmem.json", File.ReadAllBytes(_dir.File("good.json"))),
            ("bdn.json", Encoding.UTF8.GetBytes(ResultCorruptions.BenchmarkDotNetExport)),
        };
        var inputs = ResultCorruptions.Fixed(sources[0].Item1, sources[0].Item2)
            .Concat(sources.SelectMany(s => Enumerable.Range(0, SeedsPerSource).Select(seed => ResultCorruptions.Make(seed, s.Item1, s.Item2))))
            .ToList();

        var exits = new ConcurrentDictionary<int, int>();
        var bugs = new ConcurrentBag<string>();
        // Two processes at a time: the machine has 2 cores, and each start costs ~0.15 s of CPU.
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var input = inputs[i];
            var file = $"corrupt-{i}.json";
            File.WriteAllBytes(_dir.File(file), input.Bytes);
            var args = Commands[i % Commands.Length].Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, file, i)).ToArray();
            var result = Tool.Run(args, _dir.Path, environment: null);
            exits.AddOrUpdate(result.ExitCode, 1, (_, n) => n + 1);
            if (Problem(result, file) is { } problem)
                bugs.Add($"{input} — benchmem {string.Join(' ', args)}: {problem}\n{result}");
        });

        var counts = string.Join(", ", exits.OrderBy(e => e.Key).Select(e => $"exit {e.Key}: {e.Value}"));
        TestContext.Progress.WriteLine($"CLI fuzz: {inputs.Count} inputs fuzzed through the tool ({counts}), {bugs.Count} bugs ({watch.Elapsed.TotalSeconds:F1} s)");
        Assert.That(inputs, Has.Count.GreaterThanOrEqualTo(60));
        Assert.That(bugs, Is.Empty, string.Join("\n\n", bugs.Take(10)));
        Assert.That(exits.GetValueOrDefault(2), Is.GreaterThan(inputs.Count / 3), "most corruptions must be refused");
    }

    private static string? Problem(CliResult result, string file)
    {
        if (result.ExitCode is not (0 or 1 or 2))
            return $"exit code {result.ExitCode}";
        var all = result.StdoutLines.Concat(result.StderrLines).ToList();
        if (all.Any(l => l.StartsWith("   at ", StringComparison.Ordinal)))
            return "a stack trace";
        if (all.Any(l => l.Contains("unexpected error", StringComparison.Ordinal)))
            return "the tool reported a bug";
        if (result.ExitCode == 2)
        {
            if (result.StderrLines.Length != 1)
                return $"{result.StderrLines.Length} lines on stderr, expected 1";
            if (!result.StderrLines[0].StartsWith("benchmem: ", StringComparison.Ordinal))
                return "the error line does not start with 'benchmem: '";
            if (!result.StderrLines[0].Contains(file, StringComparison.Ordinal) && !result.StderrLines[0].Contains("good.json", StringComparison.Ordinal))
                return "the error line does not name the file";
        }
        return null;
    }
}
