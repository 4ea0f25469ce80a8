namespace Benchmem.Core.Memory;

/// <summary>
/// Sees every GC during a pass and keeps the heap's live size right before it — the high-water a GC hides.
/// A finalizable sentinel dies in each GC; its finalizer reads GC.GetGCMemoryInfo (per-generation sizes before
/// that GC) and plants the next sentinel. GCs that happened too close together to be read are counted as
/// unobserved, so the result can say it is incomplete instead of being quietly wrong.
/// </summary>
internal sealed class GcWatcher
{
    private readonly object _gate = new();
    private readonly HashSet<long> _seen = [];
    private long _startIndex;
    private volatile bool _active;
    private long _maxBefore;

    public void Start()
    {
        lock (_gate)
        {
            _seen.Clear();
            _maxBefore = 0;
            _startIndex = GC.GetGCMemoryInfo(GCKind.Any).Index;
        }
        _active = true;
        Plant();
    }

    /// <summary>Stops watching; returns the largest live size seen before a GC and how many GCs were seen.</summary>
    public (long MaxBeforeBytes, int Observed) Stop()
    {
        _active = false;
        Observe(); // the last GCs of each kind, in case a finalizer had not run yet
        lock (_gate)
            return (_maxBefore, _seen.Count);
    }

    private void Plant() => _ = new Sentinel(this);

    /// <summary>Live bytes after the most recent GC, summed over generations as <see cref="Stop"/> sums them before one.</summary>
    public static long LiveAfterLastGc()
    {
        long live = 0;
        foreach (var g in GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo)
            live += g.SizeAfterBytes - g.FragmentationAfterBytes;
        return live;
    }

    private void Observe()
    {
        foreach (var kind in new[] { GCKind.Any, GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background })
        {
            var info = GC.GetGCMemoryInfo(kind);
            lock (_gate)
            {
                if (info.Index <= _startIndex || !_seen.Add(info.Index))
                    continue;
                long live = 0;
                foreach (var g in info.GenerationInfo)
                    live += g.SizeBeforeBytes - g.FragmentationBeforeBytes;
                _maxBefore = Math.Max(_maxBefore, live);
            }
        }
    }

    private sealed class Sentinel(GcWatcher owner)
    {
        ~Sentinel()
        {
            if (!owner._active)
                return;
            owner.Observe();
            owner.Plant();
        }
    }
}
