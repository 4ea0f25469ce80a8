using System.IO.Compression;
using Benchmem.NUnit.Tests.Infrastructure;

namespace Benchmem.NUnit.Tests.EndToEnd;

/// <summary>
/// The packed Benchmem.NUnit package carries the allocation profiler for every platform this machine could build:
/// linux-x64 always, linux-arm64 and win-x64 when Debian's cross compilers are installed (CI installs them), each
/// a library of the right architecture.
/// </summary>
public class PackageContentsTests
{
    private static byte[] Entry(string path)
    {
        var package = Directory.GetFiles(PackedPackages.Feed, "Benchmem.NUnit.*.nupkg").Single(p => !p.Contains(".TestAdapter", StringComparison.Ordinal));
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(path);
        if (entry is null)
            return [];
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>ELF e_machine (offset 18): 62 = x86-64, 183 = AArch64.</summary>
    private static int ElfMachine(byte[] library) =>
        library.Length > 20 && library[0] == 0x7f && library[1] == (byte)'E' && library[2] == (byte)'L' && library[3] == (byte)'F'
            ? BitConverter.ToUInt16(library, 18) : -1;

    /// <summary>PE machine field after the "PE\0\0" signature: 0x8664 = x64.</summary>
    private static int PeMachine(byte[] library)
    {
        if (library.Length < 64 || library[0] != (byte)'M' || library[1] != (byte)'Z')
            return -1;
        int pe = BitConverter.ToInt32(library, 0x3c);
        return pe + 6 <= library.Length && library[pe] == (byte)'P' && library[pe + 1] == (byte)'E' ? BitConverter.ToUInt16(library, pe + 4) : -1;
    }

    [Test]
    public void LinuxX64ProfilerIsAlwaysThere() =>
        Assert.That(ElfMachine(Entry("runtimes/linux-x64/native/libbenchmem_profiler.so")), Is.EqualTo(62));

    [Test]
    public void LinuxArm64ProfilerWhenTheCrossCompilerIsInstalled()
    {
        if (!OnPath("aarch64-linux-gnu-gcc"))
            Assert.Ignore("aarch64-linux-gnu-gcc is not installed (scripts/ensure-cross-compilers.sh installs it): no linux-arm64 profiler to check.");
        Assert.That(ElfMachine(Entry("runtimes/linux-arm64/native/libbenchmem_profiler.so")), Is.EqualTo(183));
    }

    [Test]
    public void WindowsX64ProfilerWhenTheCrossCompilerIsInstalled()
    {
        if (!OnPath("x86_64-w64-mingw32-gcc"))
            Assert.Ignore("x86_64-w64-mingw32-gcc is not installed (scripts/ensure-cross-compilers.sh installs it): no win-x64 profiler to check.");
        Assert.That(PeMachine(Entry("runtimes/win-x64/native/benchmem_profiler.dll")), Is.EqualTo(0x8664));
    }
}
