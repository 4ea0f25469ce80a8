using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Benchmem.Core.Processes;
using Perfolizer.Helpers;

namespace Benchmem.Core.Provenance;

/// <summary>
/// What BenchmarkDotNet 0.15.8's HostEnvironmentInfo records, read once per process, with BDN's strings: the OS as
/// its brand string ("Linux Debian GNU/Linux 12 (bookworm)") and the processor's brand name cleaned of "(R)", "CPU",
/// the frequency and the like. Both strings come from Perfolizer's brand helpers, the ones BDN calls, so a mixed set of
/// BDN and Benchmem files groups together in tools that key on them.
/// </summary>
public sealed record HostInfo(
    string OsVersion, string ProcessorName, int LogicalCoreCount, string RuntimeVersion,
    string Architecture, bool HasAttachedDebugger, long TimerFrequency, string MachineName)
{
    public static HostInfo Current { get; } = Read();

    /// <summary>Distinct physical packages ("physical id" in /proc/cpuinfo); null where not known.</summary>
    public int? PhysicalProcessorCount { get; init; }
    /// <summary>Physical cores over all packages ("cpu cores" per package); null where not known.</summary>
    public int? PhysicalCoreCount { get; init; }
    /// <summary>The instruction sets the JIT may use, as BDN lists them ("AVX2+BMI1+...,AES+PCLMUL VectorSize=256").</summary>
    public string HardwareIntrinsics { get; init; } = "";

    private readonly Lazy<string?> _dotNetCliVersion = new(ReadDotNetCliVersion);
    /// <summary>`dotnet --version` (the SDK), asked once on first use; null when the dotnet command is not there.</summary>
    public string? DotNetCliVersion { get => _dotNetCliVersion.Value; init => _dotNetCliVersion = new(value); }

    private static HostInfo Read()
    {
        var cpu = ReadCpu(File.Exists("/proc/cpuinfo") ? TryRead("/proc/cpuinfo") : null);
        return new HostInfo(
            OsBrand(),
            cpu.ToShortBrandName(),
            cpu.LogicalCoreCount ?? Environment.ProcessorCount,
            RuntimeVersionText(),
            RuntimeInformation.ProcessArchitecture switch
            {
                System.Runtime.InteropServices.Architecture.X64 => "X64",
                System.Runtime.InteropServices.Architecture.Arm64 => "Arm64",
                var a => a.ToString(),
            },
            Debugger.IsAttached,
            Stopwatch.Frequency,
            Environment.MachineName)
        {
            PhysicalProcessorCount = cpu.PhysicalProcessorCount,
            PhysicalCoreCount = cpu.PhysicalCoreCount,
            HardwareIntrinsics = HardwareIntrinsicsText(),
        };
    }

    /// <summary>Processor facts from /proc/cpuinfo text, as BDN's Linux detector reads them (without its lscpu call).</summary>
    public static Perfolizer.Models.CpuInfo ReadCpu(string? procCpuInfo)
    {
        var names = new List<string>();
        var coresByPackage = new Dictionary<string, int>();
        int logical = 0;
        foreach (var section in (procCpuInfo ?? "").Split(["\n\n", "\r\n\r\n"], StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in section.Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                    fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            if (fields.TryGetValue("physical id", out var package) && fields.TryGetValue("cpu cores", out var cores)
                && int.TryParse(cores, out int count) && count > 0)
                coresByPackage[package] = count;
            if (fields.TryGetValue("model name", out var name))
            {
                if (!names.Contains(name))
                    names.Add(name);
                logical++;
            }
        }
        return new Perfolizer.Models.CpuInfo
        {
            ProcessorName = names.Count > 0 ? string.Join(", ", names) : RuntimeInformation.ProcessArchitecture.ToString() + " processor",
            PhysicalProcessorCount = coresByPackage.Count > 0 ? coresByPackage.Count : null,
            PhysicalCoreCount = coresByPackage.Count > 0 ? coresByPackage.Values.Sum() : null,
            LogicalCoreCount = logical > 0 ? logical : null,
        };
    }

    /// <summary>BDN's OS string: on Linux "Linux " + the os-release name (PRETTY_NAME, or NAME VERSION for Ubuntu and kin).</summary>
    private static string OsBrand()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/etc/os-release") && TryRead("/etc/os-release") is { } release && LinuxRelease(release) is { } version)
            return new Perfolizer.Models.OsInfo { Name = "Linux", Version = version }.ToBrandString();
        if (OperatingSystem.IsMacOS())
            return new Perfolizer.Models.OsInfo { Name = "macOS", Version = Environment.OSVersion.Version.ToString() }.ToBrandString();
        if (OperatingSystem.IsWindows())
            return new Perfolizer.Models.OsInfo { Name = "Windows", Version = Environment.OSVersion.Version.ToString() }.ToBrandString();
        return RuntimeInformation.OSDescription;
    }

    /// <summary>The distribution's name from /etc/os-release text, chosen as BDN chooses it.</summary>
    public static string? LinuxRelease(string osRelease)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in osRelease.Split('\n'))
        {
            var parts = line.Split('=', 2);
            if (parts.Length != 2)
                continue;
            string value = parts[1].Trim();
            if (value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\''))
                value = value[1..^1];
            values[parts[0].Trim()] = value;
        }
        values.TryGetValue("ID", out var id);
        values.TryGetValue("NAME", out var name);
        values.TryGetValue("VERSION", out var version);
        if (id is "ubuntu" or "linuxmint" or "solus" or "kali" && !string.IsNullOrEmpty(version) && !string.IsNullOrEmpty(name))
            return name + " " + version;
        if (values.TryGetValue("PRETTY_NAME", out var pretty))
            return pretty;
        if (name is not null && version is not null)
            return name + " " + version;
        return name ?? id;
    }

    /// <summary>".NET 10.0.12 (10.0.12, 10.0.1226.42308)": the version, then the framework's and CoreLib's file version.</summary>
    private static string RuntimeVersionText()
    {
        var description = RuntimeInformation.FrameworkDescription;
        var short_ = description.StartsWith(".NET ", StringComparison.Ordinal) ? description[".NET ".Length..] : description;
        var location = typeof(object).Assembly.Location;
        var detail = string.IsNullOrEmpty(location) ? short_ : $"{short_}, {FileVersionInfo.GetVersionInfo(location).FileVersion}";
        return $".NET {Environment.Version} ({detail})";
    }

    /// <summary>BDN's list of instruction-set groups the process may use, comma-separated, then the vector size.</summary>
    private static string HardwareIntrinsicsText()
    {
        var sets = new List<string>();
        if (RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.X86)
        {
            if (Avx10v2.IsSupported && Avx10v2.V512.IsSupported) sets.Add("AVX10v2");
            if (Avx10v1.IsSupported && Avx10v1.V512.IsSupported) { sets.Add("AVX10v1"); sets.Add("AVX512 BF16+FP16"); }
            if (Avx512Vbmi2.IsSupported && Avx512Vbmi2.VL.IsSupported) sets.Add("AVX512 BITALG+VBMI2+VNNI+VPOPCNTDQ");
            if (Avx512Vbmi.IsSupported && Avx512Vbmi.VL.IsSupported) sets.Add("AVX512 IFMA+VBMI");
            if (Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512BW.VL.IsSupported
                && Avx512CD.IsSupported && Avx512CD.VL.IsSupported && Avx512DQ.IsSupported && Avx512DQ.VL.IsSupported) sets.Add("AVX512 F+BW+CD+DQ+VL");
            if (Avx2.IsSupported && Bmi1.IsSupported && Bmi2.IsSupported && Fma.IsSupported && Lzcnt.IsSupported) sets.Add("AVX2+BMI1+BMI2+F16C+FMA+LZCNT+MOVBE");
            if (Avx.IsSupported) sets.Add("AVX");
            if (Sse3.IsSupported && Ssse3.IsSupported && Sse41.IsSupported && Sse42.IsSupported && Popcnt.IsSupported) sets.Add("SSE3+SSSE3+SSE4.1+SSE4.2+POPCNT");
            if (X86Base.IsSupported && Sse.IsSupported && Sse2.IsSupported) sets.Add("X86Base+SSE+SSE2");
            if (System.Runtime.Intrinsics.X86.Aes.IsSupported && Pclmulqdq.IsSupported) sets.Add("AES+PCLMUL");
            if (AvxVnni.IsSupported) sets.Add("AvxVnni");
            if (X86Serialize.IsSupported) sets.Add("SERIALIZE");
        }
        else if (RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64)
        {
            if (ArmBase.IsSupported && AdvSimd.IsSupported) sets.Add("ArmBase+AdvSimd");
            if (System.Runtime.Intrinsics.Arm.Aes.IsSupported) sets.Add("AES");
            if (Crc32.IsSupported) sets.Add("CRC32");
            if (Dp.IsSupported) sets.Add("DP");
            if (Rdm.IsSupported) sets.Add("RDM");
            if (Sha1.IsSupported) sets.Add("SHA1");
            if (Sha256.IsSupported) sets.Add("SHA256");
        }
        var vector = Vector.IsHardwareAccelerated ? $"VectorSize={Vector<byte>.Count * 8}" : "";
        return $"{string.Join(",", sets)} {vector}";
    }

    private static string? ReadDotNetCliVersion()
    {
        try
        {
            var result = ChildProcess.Run(new ChildProcessStart { FileName = "dotnet", Arguments = ["--version"], Timeout = TimeSpan.FromSeconds(10) });
            var text = result.StandardOutput.Trim();
            return result.Succeeded && text.Length > 0 && !text.Contains('\n') ? text : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
