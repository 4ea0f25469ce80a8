using System.Runtime.InteropServices;

namespace Benchmem.Core.Profiles;

/// <summary>
/// Names the native code that asked for a native block (the return address the interposer saw), through the dynamic
/// loader's <c>dladdr</c>: the exported symbol containing it and its library (<c>SystemNative_Malloc
/// (libSystem.Native.so)</c>), or the library and offset where no exported symbol covers it (a static function).
/// </summary>
internal sealed unsafe class NativeSymbols
{
    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public IntPtr FileName, FileBase, SymbolName, SymbolAddress;
    }

    private readonly delegate* unmanaged<IntPtr, DlInfo*, int> _dladdr;
    private readonly Dictionary<ulong, string> _names = [];

    private NativeSymbols(IntPtr dladdr) => _dladdr = (delegate* unmanaged<IntPtr, DlInfo*, int>)dladdr;

    /// <summary>dladdr is in libc from glibc 2.34, in libdl before; null where neither has it (then addresses are shown).</summary>
    public static NativeSymbols? TryCreate()
    {
        foreach (var library in new[] { "libc.so.6", "libdl.so.2" })
            if (NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, "dladdr", out var dladdr))
                return new NativeSymbols(dladdr);
        return null;
    }

    public static string Describe(NativeSymbols? symbols, ulong address) => symbols?.Name(address) ?? $"0x{address:x}";

    public string Name(ulong address)
    {
        if (_names.TryGetValue(address, out var name))
            return name;
        DlInfo info;
        // The return address points just past the call: one byte back is inside the calling function.
        if (_dladdr((IntPtr)(long)(address - 1), &info) == 0)
            name = "(managed code calling the allocator directly)"; // no library holds it: JIT-compiled code, a P/Invoke's stub
        else
        {
            string file = Path.GetFileName(Marshal.PtrToStringUTF8(info.FileName) ?? "?");
            name = info.SymbolName != IntPtr.Zero ? $"{Marshal.PtrToStringUTF8(info.SymbolName)} ({file})"
                : $"{file}+0x{address - (ulong)(long)info.FileBase:x}";
        }
        return _names[address] = name;
    }
}
