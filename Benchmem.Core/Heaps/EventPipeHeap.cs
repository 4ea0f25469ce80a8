using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Benchmem.Core.Heaps;

/// <summary>
/// The live heap by type in any process, on any OS, without a profiler: the runtime's own GC heap dump (what
/// dotnet-gcdump takes), through an EventPipe session on this very process. Starting the session with the GCHeapCollect
/// keyword makes the runtime run a full blocking GC and report every live object (GCBulkNode: address, size, type
/// handle) during it; the session stops at that GC's end. Objects are counted at the GC, so what the reading thread
/// allocates afterwards is not in it.
/// </summary>
public static class EventPipeHeap
{
    // GC | Type | GCHeapDump | GCHeapCollect | GCHeapAndTypeNames: dotnet-gcdump's GCHeapSnapshot keywords.
    private const long Keywords = 0x1 | 0x80000 | 0x100000 | 0x800000 | 0x1000000;

    /// <summary>The live heap by type; throws <see cref="InvalidOperationException"/> with the reason when the runtime's diagnostics are off.</summary>
    public static List<TypeCount> Census(TimeSpan? timeout = null)
    {
        // Finalizable garbage first, as the profiler's census does: what a finalizer frees is gone.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        EventPipeSession session;
        try
        {
            session = new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession(
                [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, Keywords)], requestRundown: false, circularBufferMB: 256);
        }
        catch (Exception e) when (e is ServerNotAvailableException or DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw new InvalidOperationException($"the runtime's heap dump could not start ({e.Message}); is DOTNET_EnableDiagnostics=0 set?", e);
        }
        using (session)
        {
            var nodes = new Dictionary<ulong, (long Objects, long Bytes)>();
            var names = new Dictionary<ulong, string>();
            int dumpGc = -1;
            var done = new ManualResetEventSlim();
            Exception? failure = null;
            var reader = new Thread(() =>
            {
                try
                {
                    using var source = new EventPipeEventSource(session.EventStream);
                    source.Clr.GCStart += data =>
                    {
                        if (dumpGc < 0 && data.Depth == 2 && data.Reason == GCReason.Induced)
                            dumpGc = data.Count;
                    };
                    source.Clr.GCStop += data =>
                    {
                        if (data.Count == dumpGc)
                            done.Set();
                    };
                    source.Clr.GCBulkNode += data =>
                    {
                        for (int i = 0; i < data.Count; i++)
                        {
                            var node = data.Values(i);
                            long size = (long)((node.Size + 7) & ~7UL);
                            nodes[node.TypeID] = nodes.TryGetValue(node.TypeID, out var n) ? (n.Objects + 1, n.Bytes + size) : (1, size);
                        }
                    };
                    source.Clr.TypeBulkType += data =>
                    {
                        for (int i = 0; i < data.Count; i++)
                            names[data.Values(i).TypeID] = data.Values(i).TypeName;
                    };
                    source.Process();
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    done.Set();
                }
            }) { IsBackground = true, Name = "benchmem heap dump reader" };
            reader.Start();
            bool finished = done.Wait(timeout ?? TimeSpan.FromSeconds(60));
            try
            {
                session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or DiagnosticsClientException or IOException or TimeoutException)
            {
                // The events read so far are what counts; a session that cannot stop cleanly ends with the process.
            }
            reader.Join(TimeSpan.FromSeconds(30));
            if (failure is not null)
                throw new InvalidOperationException($"the runtime's heap dump could not be read ({failure.Message})", failure);
            if (!finished || dumpGc < 0)
                throw new InvalidOperationException("the runtime's heap dump did not finish (no full GC with a heap walk was seen)");
            return TypeHandles.Resolve(nodes.Select(kv => (kv.Key, kv.Value.Objects, kv.Value.Bytes)),
                handle => names.GetValueOrDefault(handle));
        }
    }
}
