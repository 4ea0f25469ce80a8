using System.Text.Json;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// `benchmem sweep` as a user runs it: the real tool builds a copy of a small suite per Newtonsoft.Json version
/// (restoring the real packages), runs it with `dotnet test`, and writes one labelled results file per version;
/// then `benchmem compare` reads the three. The benchmark allocates a different number of bytes in each version, and
/// records which Newtonsoft.Json it loaded, so a sweep that measured the wrong version cannot pass.
/// </summary>
[TestFixture]
public class SweepEndToEndTests
{
    private const string Package = "Newtonsoft.Json";
    private const string FullName = "Sample.JsonBenchmarks.SelectToken";

    /// <summary>Bytes per SelectToken call, measured outside Benchmem (GC.GetAllocatedBytesForCurrentThread, console app per version).</summary>
    private static readonly Dictionary<string, long> AllocatedPerCall = new()
    {
        ["12.0.3"] = 4872,
        ["13.0.1"] = 4896,
        ["13.0.4"] = 4824,
    };

    private string _root = null!;

    [OneTimeSetUp]
    public void CreateRoot()
    {
        _ = PackedPackages.Feed; // pack before timing anything
        _root = Path.Combine(Path.GetTempPath(), "benchmem-e2e", "Sweep-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
    }

    [OneTimeTearDown]
    public void DeleteRoot()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string Source => Samples.Load("Sweep")["Sweep.cs"];

    private const string TestPackages = """
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
            <PackageReference Include="NUnit" Version="5.0.0" />
            <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
        """;

    /// <summary>
    /// A repository with central package management: the versions, the framework and the (relative) feed live in
    /// files above the test project, which the sweep's copies must bring along, and the test project references a
    /// library that uses Newtonsoft.Json too (pinning only the test project would fail restore with a downgrade).
    /// </summary>
    private string CentralRepository()
    {
        var repo = Path.Combine(_root, "cpm");
        Write(Path.Combine(repo, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="benchmem-e2e" value="{Path.GetRelativePath(repo, PackedPackages.Feed)}" />
              </packageSources>
            </configuration>
            """);
        Write(Path.Combine(repo, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
            </Project>
            """);
        Write(Path.Combine(repo, "Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageVersion Include="NUnit" Version="5.0.0" />
                <PackageVersion Include="NUnit3TestAdapter" Version="6.3.1" />
                <PackageVersion Include="Benchmem.NUnit" Version="{PackedPackages.Version}" />
                <PackageVersion Include="Newtonsoft.Json" Version="13.0.1" />
              </ItemGroup>
            </Project>
            """);
        Write(Path.Combine(repo, "src", "JsonLib", "JsonLib.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Newtonsoft.Json" />
              </ItemGroup>
            </Project>
            """);
        Write(Path.Combine(repo, "src", "JsonLib", "Kinds.cs"), """
            namespace JsonLib;

            public static class Kinds
            {
                public static string Of(Newtonsoft.Json.Linq.JToken token) => token.Type.ToString();
            }
            """);
        var project = Path.Combine(repo, "tests", "JsonBench");
        Write(Path.Combine(project, "JsonBench.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" />
                <PackageReference Include="NUnit" />
                <PackageReference Include="NUnit3TestAdapter" />
                <PackageReference Include="Benchmem.NUnit" />
                <PackageReference Include="Newtonsoft.Json" />
              </ItemGroup>
              <ItemGroup>
                <ProjectReference Include="../../src/JsonLib/JsonLib.csproj" />
              </ItemGroup>
              <ItemGroup>
                <Using Include="NUnit.Framework" />
                <Using Include="Benchmem.NUnit" />
              </ItemGroup>
            </Project>
            """);
        Write(Path.Combine(project, "JsonBenchmarks.cs"), Source);
        return project;
    }

    /// <summary>A plain project: the version in its own PackageReference, everything in one folder.</summary>
    private string PlainProject(string? dir = null, bool relativeFeed = false)
    {
        dir ??= Path.Combine(_root, "plain");
        Write(Path.Combine(dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="benchmem-e2e" value="{(relativeFeed ? Path.GetRelativePath(dir, PackedPackages.Feed) : PackedPackages.Feed)}" />
              </packageSources>
            </configuration>
            """);
        Write(Path.Combine(dir, "Plain.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {TestPackages}
                <PackageReference Include="Benchmem.NUnit" Version="{PackedPackages.Version}" />
                <PackageReference Include="Newtonsoft.Json" Version="13.0.1" />
              </ItemGroup>
              <ItemGroup>
                <Using Include="NUnit.Framework" />
                <Using Include="Benchmem.NUnit" />
              </ItemGroup>
            </Project>
            """);
        Write(Path.Combine(dir, "JsonBenchmarks.cs"), Source);
        return dir;
    }

    /// <summary>The run-level label and sweep point, and the one benchmark's dims, bytes/op and memory-pass series.</summary>
    private static (string? Label, string Sweep, string Loaded, long BytesPerOp, long[] PassBytes) Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var bm = doc.RootElement.GetProperty("Benchmem");
        var benchmarks = doc.RootElement.GetProperty("Benchmarks");
        Assert.That(benchmarks.GetArrayLength(), Is.EqualTo(1), path);
        var b = benchmarks[0];
        Assert.That(b.GetProperty("FullName").GetString(), Is.EqualTo(FullName));
        var series = b.GetProperty("Benchmem").TryGetProperty("Series", out var s)
            ? s.GetProperty("AllocatedBytes").EnumerateArray().Select(v => v.GetInt64()).ToArray() : [];
        return (bm.GetProperty("Label").GetString(), bm.GetProperty("Sweep").GetRawText().ReplaceLineEndings("").Replace(" ", ""),
                b.GetProperty("Benchmem").GetProperty("Dims").GetProperty("loaded").GetString()!,
                b.GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64(), series);
    }

    [Test]
    public void Three_versions_under_central_package_management_and_one_that_does_not_exist()
    {
        var project = CentralRepository();
        var work = Path.GetDirectoryName(Path.GetDirectoryName(project))!;
        var outDir = Path.Combine("results", "json");

        var sweep = BenchmemTool.Run(["sweep", "--package", Package, "12.0.3", "99.0.0", "13.0.1", "13.0.4", "--project", "tests/JsonBench",
                                      "--out", outDir, "--memory", "--test-arg", "Benchmem.Repeats=2"], work);
        TestContext.Out.WriteLine(sweep.ToString());

        // The missing version is listed at the end with its reason; the versions after it still ran.
        Assert.That(sweep.ExitCode, Is.EqualTo(1), sweep.ToString());
        Assert.That(sweep.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: 1 of 4 run(s) failed:",
            $"  {Package}-99.0.0: restore failed: NU1102: Unable to find package {Package} with version (= 99.0.0) (log: {outDir}/{Package}-99.0.0.log)",
        }), sweep.ToString());
        var files = new[] { "12.0.3", "13.0.1", "13.0.4" }.Select(v => $"{outDir}/{Package}-{v}.json").ToArray();
        Assert.That(sweep.StdoutLines, Does.Contain("benchmem: sweep done: 3 of 4 run(s) succeeded; results in results/json."));
        Assert.That(sweep.StdoutLines, Does.Contain("  benchmem compare " + string.Join(' ', files)));
        Assert.That(sweep.StdoutLines, Does.Contain("  benchmem plot " + string.Join(' ', files) + $" -o {outDir}/sweep.html"));
        Assert.That(Directory.GetFiles(Path.Combine(work, outDir)).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            $"{Package}-12.0.3.json", $"{Package}-12.0.3.log", $"{Package}-13.0.1.json", $"{Package}-13.0.1.log",
            $"{Package}-13.0.4.json", $"{Package}-13.0.4.log", $"{Package}-99.0.0.log",
        }));
        Assert.That(File.ReadAllText(Path.Combine(work, outDir, $"{Package}-99.0.0.log")), Does.Contain("error NU1102: Unable to find package Newtonsoft.Json with version (= 99.0.0)"));

        // Each file names its version, loaded that version, and allocated what that version allocates.
        foreach (var (version, bytes) in AllocatedPerCall)
        {
            var (label, point, loaded, perOp, passes) = Read(Path.Combine(work, outDir, $"{Package}-{version}.json"));
            Assert.That(label, Is.EqualTo($"{Package}-{version}"));
            Assert.That(point, Is.EqualTo($$"""{"Package":"{{Package}}","Version":"{{version}}","Framework":null}"""));
            Assert.That(loaded, Is.EqualTo(version), "the Newtonsoft.Json the run loaded");
            Assert.That(perOp, Is.EqualTo(bytes), $"bytes/op allocated with {version}");
            Assert.That(passes, Is.EqualTo(new[] { bytes, bytes }), $"memory passes with {version} (Benchmem.Repeats=2)");
        }
        // The user's project was only read: no obj/bin of its own.
        Assert.That(Directory.GetDirectories(project).Select(Path.GetFileName), Is.Empty);

        var compare = BenchmemTool.Run(["compare", .. files, "--columns", "allocated"], work);
        Assert.That(compare.ExitCode, Is.EqualTo(0), compare.ToString());
        Assert.That(compare.StdoutLines.Where(l => l.Contains("Newtonsoft.Json-")).Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim(), @"\s+", " ")), Is.EqualTo(new[]
        {
            "JsonBenchmarks.SelectToken Newtonsoft.Json-12.0.3 4.76 KiB (1.01)",
            "Newtonsoft.Json-13.0.1 4.78 KiB (1.01)",
            "Newtonsoft.Json-13.0.4 4.71 KiB (1.0)",
        }), compare.ToString());
    }

    [Test]
    public void The_Sweep_API_on_a_plain_PackageReference_and_the_framework_axis()
    {
        var project = PlainProject();
        var outDir = Path.Combine(_root, "plain-out");
        var progress = new StringWriter();

        // From C#, as a user would; the package named in another case than the project's reference (NuGet ids are case-insensitive).
        var result = new Benchmem.Sweeps.Sweep
        {
            Package = "newtonsoft.json",
            Versions = ["12.0.3"],
            Project = Path.Combine(project, "Plain.csproj"),
            Frameworks = ["net10.0"],
            OutDirectory = outDir,
            Progress = progress,
            // As BenchmemTool: the packed Benchmem, not whatever the machine's package folder holds under the same version.
            Environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackedPackages.PackageCache, ["MSBUILDDISABLENODEREUSE"] = "1" },
        }.Run();
        TestContext.Out.WriteLine(progress.ToString());

        var json = Path.Combine(outDir, "newtonsoft.json-12.0.3-net10.0.json");
        Assert.That(result.Runs, Has.Count.EqualTo(1));
        var run = result.Runs[0];
        Assert.That(run.Status, Is.EqualTo(Benchmem.Sweeps.SweepRunStatus.Succeeded), run.Reason + "\n" + progress);
        Assert.That((run.Label, run.Package, run.Version, run.Framework, run.JsonPath, run.LogPath, run.Reason, run.HasResults), Is.EqualTo(
            ("newtonsoft.json-12.0.3-net10.0", "newtonsoft.json", "12.0.3", "net10.0", json, Path.Combine(outDir, "newtonsoft.json-12.0.3-net10.0.log"), (string?)null, true)));
        Assert.That(run.Override, Is.EqualTo("Plain.csproj: PackageReference newtonsoft.json Version = [12.0.3]"));
        Assert.That(result.CompareCommand, Is.Null, "one run: nothing to compare");
        Assert.That(result.PlotCommand, Is.EqualTo($"benchmem plot {json} -o {outDir}/sweep.html"));
        var (label, point, loaded, perOp, passes) = Read(json);
        Assert.That(label, Is.EqualTo("newtonsoft.json-12.0.3-net10.0"));
        Assert.That(point, Is.EqualTo("""{"Package":"newtonsoft.json","Version":"12.0.3","Framework":"net10.0"}"""));
        Assert.That(loaded, Is.EqualTo("12.0.3"));
        Assert.That(perOp, Is.EqualTo(AllocatedPerCall["12.0.3"]));
        Assert.That(passes, Is.Empty, "Memory off: no memory passes");
        var loadedRun = Core.Results.BenchmarkRun.Load(json);
        Assert.That((loadedRun.Label, loadedRun.Sweep), Is.EqualTo(("newtonsoft.json-12.0.3-net10.0", new Core.Results.SweepPoint("newtonsoft.json", "12.0.3", "net10.0"))));

        // A framework the project does not target is bad input: one line, exit 2, nothing built.
        var other = BenchmemTool.Run(["sweep", "--package", Package, "12.0.3", "--project", project, "-f", "net8.0", "--out", Path.Combine(_root, "net8")], _root);
        Assert.That(other.ExitCode, Is.EqualTo(2), other.ToString());
        Assert.That(other.Stdout, Is.Empty, other.ToString());
        Assert.That(other.StderrLines, Is.EqualTo(new[]
        {
            "benchmem: --framework net8.0: Plain.csproj targets net10.0 only; sweep the frameworks it targets, or add the framework to its TargetFrameworks first.",
        }));
        Assert.That(Directory.Exists(Path.Combine(_root, "net8")), Is.False);
    }

    private static string Git(string repo, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-C", repo, "-c", "user.email=e2e@benchmem", "-c", "user.name=e2e", .. args])
            psi.ArgumentList.Add(a);
        using var git = System.Diagnostics.Process.Start(psi)!;
        var output = git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        Assert.That(git.WaitForExit(60_000) && git.ExitCode == 0, Is.True, $"git {string.Join(' ', args)}: {error}");
        return output.Trim();
    }

    /// <summary>
    /// Two commits of a plain project in a real git repository: the second adds a 1,000-byte array to every call
    /// (24 bytes of header and length + 1,000 = 1,024 bytes). The sweep builds each ref in its own worktree, pins
    /// Newtonsoft.Json to 12.0.3 in both (4,872 bytes per call), and alternates them for two rounds: the allocated
    /// ratio must be exactly 5,896 / 4,872 with no spread, and the time ratio the geometric mean of the rounds' own.
    /// The project's nuget.config names its feed by a relative path, which only resolves from the user's checkout.
    /// </summary>
    [Test]
    public void Two_git_refs_interleaved_with_a_pinned_package()
    {
        var repo = Path.Combine(_root, "refs");
        var project = PlainProject(repo, relativeFeed: true);
        Git(repo, "init", "-q", "-b", "main");
        Git(repo, "add", "-A");
        Git(repo, "commit", "-qm", "base");
        Git(repo, "branch", "base");
        var baseCommit = Git(repo, "rev-parse", "HEAD");
        File.WriteAllText(Path.Combine(project, "JsonBenchmarks.cs"), Source.Replace(
            "public JToken? SelectToken() => JObject.Parse(Text).SelectToken(\"a.b[1]\");",
            "public JToken? SelectToken() { GC.KeepAlive(new byte[1000]); return JObject.Parse(Text).SelectToken(\"a.b[1]\"); }"));
        Git(repo, "commit", "-qam", "one more array per call");
        var headCommit = Git(repo, "rev-parse", "HEAD");

        var sweep = BenchmemTool.Run(["sweep", "--ref", "base", "--ref", "HEAD", "--pin", "Newtonsoft.Json=12.0.3", "--interleave", "2",
                                      "--project", "Plain.csproj", "--out", "ab"], repo);
        TestContext.Out.WriteLine(sweep.ToString());
        Assert.That(sweep.ExitCode, Is.EqualTo(0), sweep.ToString());
        Assert.That(sweep.Stderr, Is.Empty, sweep.ToString());

        // A B, then B A: each round's pair back to back, neither side always first.
        Assert.That(sweep.StdoutLines.Where(l => l.Contains("running the benchmarks")), Is.EqualTo(new[]
        {
            "benchmem: [round 1/2] base: running the benchmarks …", "benchmem: [round 1/2] HEAD: running the benchmarks …",
            "benchmem: [round 2/2] HEAD: running the benchmarks …", "benchmem: [round 2/2] base: running the benchmarks …",
        }), sweep.ToString());
        Assert.That(Directory.GetFiles(Path.Combine(repo, "ab")).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "HEAD.log", "HEAD.round-1.json", "HEAD.round-2.json", "base.log", "base.round-1.json", "base.round-2.json", "interleaved.json",
        }));
        foreach (var (label, commit, bytes) in new[] { ("base", baseCommit, 4872L), ("HEAD", headCommit, 4872L + 1024) })
        {
            for (int round = 1; round <= 2; round++)
            {
                var path = Path.Combine(repo, "ab", $"{label}.round-{round}.json");
                var (fileLabel, point, loaded, perOp, _) = Read(path);
                Assert.That((fileLabel, point, loaded, perOp), Is.EqualTo((label, $$"""{"Package":"git","Version":"{{label}}","Framework":null}""", "12.0.3", bytes)), path);
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                Assert.That(doc.RootElement.GetProperty("Benchmem").GetProperty("CommitInfo").GetProperty("id").GetString(), Is.EqualTo(commit), path);
            }
            Assert.That(File.ReadAllText(Path.Combine(repo, "ab", $"{label}.log")), Does.Contain("# pinned: Plain.csproj: PackageReference Newtonsoft.Json Version = [12.0.3]"));
        }

        // The ratios: allocated exactly, time from the rounds' medians (read back from the files, not from the tool).
        double Median(string label, int round)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(repo, "ab", $"{label}.round-{round}.json")));
            var rounds = doc.RootElement.GetProperty("Benchmarks")[0].GetProperty("Benchmem").GetProperty("Timing").GetProperty("RoundNanoseconds")
                .EnumerateArray().Select(v => v.GetDouble()).Order().ToArray();
            return rounds.Length % 2 == 1 ? rounds[rounds.Length / 2] : (rounds[rounds.Length / 2 - 1] + rounds[rounds.Length / 2]) / 2;
        }
        double[] timeRatios = [Median("HEAD", 1) / Median("base", 1), Median("HEAD", 2) / Median("base", 2)];
        double geo = Math.Sqrt(timeRatios[0] * timeRatios[1]);
        double halfWidth = 12.706204736174698 * Math.Abs(Math.Log(timeRatios[0]) - Math.Log(timeRatios[1])) / Math.Sqrt(2) / Math.Sqrt(2); // t(0.975, 1 df) · sd / √n
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(repo, "ab", "interleaved.json"))))
        {
            var root = doc.RootElement;
            Assert.That((root.GetProperty("A").GetString(), root.GetProperty("B").GetString(), root.GetProperty("Rounds").GetInt32()), Is.EqualTo(("base", "HEAD", 2)));
            var ratios = root.GetProperty("Ratios").EnumerateArray().ToDictionary(r => r.GetProperty("Metric").GetString()!);
            Assert.That(ratios.Keys, Is.EquivalentTo(new[] { "allocated", "time" }));
            var allocated = ratios["allocated"];
            Assert.That(allocated.GetProperty("Ratio").GetDouble(), Is.EqualTo(5896.0 / 4872).Within(1e-12));
            Assert.That(allocated.GetProperty("Low").GetDouble(), Is.EqualTo(5896.0 / 4872).Within(1e-12));
            Assert.That(allocated.GetProperty("High").GetDouble(), Is.EqualTo(5896.0 / 4872).Within(1e-12));
            var time = ratios["time"];
            Assert.That(time.GetProperty("PerRound").EnumerateArray().Select(v => v.GetDouble()), Is.EqualTo(timeRatios).Within(1e-9));
            Assert.That(time.GetProperty("Ratio").GetDouble(), Is.EqualTo(geo).Within(1e-9));
            Assert.That(time.GetProperty("Low").GetDouble(), Is.EqualTo(geo * Math.Exp(-halfWidth)).Within(1e-5).Percent, "Perfolizer's t quantile is accurate to ~1e-8, relative");
            Assert.That(time.GetProperty("High").GetDouble(), Is.EqualTo(geo * Math.Exp(halfWidth)).Within(1e-5).Percent, "Perfolizer's t quantile is accurate to ~1e-8, relative");
        }
        Assert.That(sweep.StdoutLines, Does.Contain("benchmem: interleaved base (A) and HEAD (B), 2 round(s) each; B / A, geometric mean of the rounds' ratios [95% interval]:"));
        Assert.That(sweep.StdoutLines, Does.Contain("  Sample.JsonBenchmarks.SelectToken  allocated    1.210× [1.210×, 1.210×]"));

        // The user's checkout is as it was: no worktree left registered, nothing changed or added but the results.
        Assert.That(Git(repo, "worktree", "list", "--porcelain").Split('\n').Count(l => l.StartsWith("worktree ")), Is.EqualTo(1));
        Assert.That(Git(repo, "status", "--porcelain"), Is.EqualTo("?? ab/"));
    }
}
