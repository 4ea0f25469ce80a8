using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace Benchmem.Core.Profiles;

/// <summary>
/// The runtime's own trace of a profiled pass, as the .nettrace file PerfView, dotnet-trace and Visual Studio open:
/// an EventPipe session on this very process (the diagnostics port every .NET process has) with the GC's allocation
/// events and their stacks, and the method rundown at the end that names the frames. Its allocation events are the
/// runtime's samples (AllocationTick, one per ~100 KB), not every allocation: the exact numbers are in the speedscope
/// profile beside it.
/// </summary>
internal sealed class RuntimeTrace : IDisposable
{
    // GC (AllocationTick at Verbose: one event with its stack per ~100 KB allocated) | Loader | Jit (names for code jitted
    // during the pass). Not .NET 10's AllocationSampling keyword: with it on, the runtime stops AllocationTick, which
    // PerfView's "GC Heap Alloc" views are built on (measured).
    private const long Keywords = 0x1 | 0x8 | 0x10;

    private readonly EventPipeSession _session;
    private readonly string _path;
    private Exception? _failure;
    private bool _stopped;

    // Nothing reads the session while the pass runs: the runtime keeps its events in the session's buffers, so no
    // thread of Benchmem's allocates during the pass (a reader there made the pass count as multi-threaded).
    private RuntimeTrace(EventPipeSession session, string path)
    {
        _session = session;
        _path = path;
    }

    /// <summary>Starts the session, or returns null with the reason (diagnostics disabled, e.g. DOTNET_EnableDiagnostics=0).</summary>
    public static RuntimeTrace? TryStart(string path, out string? problem) =>
        TryStart(path, [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, Keywords)], out problem);

    /// <summary>
    /// A CPU trace: EventPipe's sample profiler (every managed thread's stack about once a millisecond) and the runtime's
    /// loader and JIT events with the rundown, which name the frames.
    /// </summary>
    public static RuntimeTrace? TryStartCpu(string path, out string? problem) => TryStart(path,
        [new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational), new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, 0x8 | 0x10)],
        out problem);

    private static RuntimeTrace? TryStart(string path, EventPipeProvider[] providers, out string? problem)
    {
        try
        {
            var client = new DiagnosticsClient(Environment.ProcessId);
            var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 256);
            problem = null;
            return new RuntimeTrace(session, path);
        }
        catch (Exception e) when (e is ServerNotAvailableException or DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            problem = $"the runtime trace could not start ({e.Message}); is DOTNET_EnableDiagnostics=0 set?";
            return null;
        }
    }

    private void Copy()
    {
        try
        {
            Results.AtomicFile.Write(_path, file => _session.EventStream.CopyTo(file, 1 << 16));
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>Ends the session (the runtime then writes the rundown) and waits for the file; null, or what went wrong.</summary>
    public string? Stop()
    {
        _stopped = true;
        var writer = new Thread(Copy) { IsBackground = true, Name = "benchmem trace writer" };
        writer.Start();
        try
        {
            _session.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or DiagnosticsClientException or IOException or TimeoutException)
        {
            return $"the runtime trace could not be stopped cleanly ({e.Message})";
        }
        if (!writer.Join(TimeSpan.FromMinutes(2)))
            return "the runtime trace did not finish writing within 2 minutes";
        return _failure is null ? null : $"the runtime trace could not be written ({_failure.Message})";
    }

    public void Dispose()
    {
        if (!_stopped)
            Stop();
        _session.Dispose();
    }
}
