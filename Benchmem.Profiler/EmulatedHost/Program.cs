using System.Reflection;

// The memory host's entry point, run in this self-contained process: `dotnet exec Benchmem.NUnit.MemoryHost.dll` needs
// the muxer, which a self-contained arm64 publish does not have. Arguments: <tests.dll> <file of test names>.
var host = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "Benchmem.NUnit.MemoryHost.dll"));
return (int)host.EntryPoint!.Invoke(null, [args])!;
