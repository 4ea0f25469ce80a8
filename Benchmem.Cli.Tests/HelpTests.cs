using Benchmem.Cli.Tests.Infrastructure;

namespace Benchmem.Cli.Tests;

public class HelpTests
{
    [TestCase("--help")]
    [TestCase("-h")]
    public void Root_help_lists_the_commands(string flag)
    {
        var result = Tool.Run(flag);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stderr, Is.Empty);
        Assert.That(result.StdoutLines, Does.Contain("  benchmem [command] [options]"));
        Assert.That(result.Stdout, Does.Contain("  compare <RUN.json>  "));
        Assert.That(result.Stdout, Does.Contain("  merge <SHARD.json>  "));
        Assert.That(result.Stdout, Does.Contain("  plot <RUN.json>  "));
        Assert.That(result.Stdout, Does.Contain("  sweep  "));
    }

    [Test]
    public void Plot_help_lists_every_option()
    {
        var result = Tool.Run("plot", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Does.Contain("  benchmem plot <RUN.json>... [options]"));
        foreach (var option in new[] { "--view <scaling|scatter|compare|sweep>", "--columns <METRIC>", "--x <DIM>", "--color <DIM>", "--facet <DIM>",
                                       "--where <KEY=VALUE>", "--pivot <DIM>", "-l, --label <LABEL>", "-o, --output <FILE>", "--band <minmax|iqr>", "--log-x", "--log-y",
                                       "--linear", "--y-zero", "--free-axes", "--clip <F>", "--open" })
            Assert.That(result.Stdout, Does.Contain("  " + option + " "), option);
    }

    [Test]
    public void Compare_help_lists_every_option()
    {
        var result = Tool.Run("compare", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Does.Contain("  benchmem compare <RUN.json>... [options]"));
        foreach (var option in new[] { "--columns <LIST>", "--stat <min|max|mean|median|stddev|all>", "--diff", "--pivot <DIM>", "--group-by <KEY>",
                                       "--sort <name|value|change>", "--format <table|md|csv>", "--csv <FILE>", "-l, --label <LABEL>", "--fail-on <RULE>" })
            Assert.That(result.Stdout, Does.Contain("  " + option + " "), option);
    }

    [Test]
    public void Merge_help_lists_every_option()
    {
        var result = Tool.Run("merge", "-h");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Does.Contain("  benchmem merge <SHARD.json>... [options]"));
        Assert.That(result.Stdout, Does.Contain("  -o, --output <OUT.json> (REQUIRED) "));
        Assert.That(result.Stdout, Does.Contain("  --prefer <last|first> "));
    }

    [Test]
    public void Sweep_help_lists_every_option()
    {
        var result = Tool.Run("sweep", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Does.Contain("  benchmem sweep [options]"));
        foreach (var option in new[] { "--package <NAME VERSION...>", "--ref <REF>", "--pin <NAME=VERSION>", "--interleave <N>", "--project <PATH> (REQUIRED)", "-f, --framework <TFM...>", "--memory",
                                       "-o, --out <DIR>", "--test-arg <ARG...>", "--keep-copies" })
            Assert.That(result.Stdout, Does.Contain("  " + option + " "), option);
    }

    [Test]
    public void Help_wins_over_otherwise_bad_input()
    {
        var result = Tool.Run("compare", "--stat", "p99", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Does.Contain("  benchmem compare <RUN.json>... [options]"));
    }

    [Test]
    public void Version_prints_the_version()
    {
        var result = Tool.Run("--version");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Match(@"^\d+\.\d+\.\d+"));
    }
}
