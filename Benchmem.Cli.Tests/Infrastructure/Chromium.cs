using System.Diagnostics;
using System.Reflection;

namespace Benchmem.Cli.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium, to open the HTML plots as a person would and read the DOM after the scripts ran.
/// When it (or a font for the PNG/SVG text) is missing, scripts/ensure-chromium.sh installs it (CI runs as root with
/// apt reachable; .ci/run also calls the script before the tests).
/// </summary>
public static class Chromium
{
    private static readonly Lazy<string> Executable = new(Ensure, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Chromium and a font are there (installing them if not); the image tests call it for the font.</summary>
    public static void EnsureInstalled() => _ = Executable.Value;

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "chromium")).FirstOrDefault(File.Exists);

    private static string Ensure()
    {
        if (Find() is { } found && Directory.Exists("/usr/share/fonts/truetype/dejavu"))
            return found;
        string root = typeof(Chromium).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        string script = Path.Combine(root, "scripts", "ensure-chromium.sh");
        var start = new ProcessStartInfo("bash") { ArgumentList = { script }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return Find() ?? throw new InvalidOperationException(
            $"chromium is not installed and {script} could not install it (exit {process.ExitCode}): {stdout.Result}{stderr.Result} " +
            "Install Debian's chromium package (apt-get install chromium) to run the browser tests.");
    }

    /// <summary>The DOM of the page after its scripts ran (<c>--dump-dom</c>), in a fresh profile with no network use,
    /// in a window of the given size (Chromium's default when null).</summary>
    public static string DumpDom(string htmlPath, (int Width, int Height)? window = null)
    {
        string exe = Executable.Value;
        string profile = Path.Combine(Path.GetTempPath(), "benchmem-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        try
        {
            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] size = window is { } w ? [$"--window-size={w.Width},{w.Height}"] : [];
            foreach (var arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--virtual-time-budget=5000",
                     }.Concat(size).Append("--dump-dom").Append(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri))
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish within 60 s on {htmlPath}");
            }
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.EqualTo(0), $"chromium exit code; stderr: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
