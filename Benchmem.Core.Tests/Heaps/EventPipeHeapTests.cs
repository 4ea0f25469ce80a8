using Benchmem.Core.Heaps;

namespace Benchmem.Core.Tests.Heaps;

/// <summary>The in-process census (the runtime's own heap dump of this test process) against a known object graph.</summary>
public class EventPipeHeapTests
{
    private sealed class Known
    {
        public int Value;
    }

    private sealed class NeverMade;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MakeGarbage()
    {
        for (int i = 0; i < 500; i++)
            GC.KeepAlive(new Known()); // garbage: the dump's GC collects it
    }

    [Test]
    public void CountsEveryLiveObjectOfATypeToTheByte()
    {
        // 1,234 objects of 24 bytes (header, method table, an int padded to 8) and the array of 1,234 references that keeps them.
        var kept = new Known[1234];
        for (int i = 0; i < kept.Length; i++)
            kept[i] = new Known { Value = i };
        MakeGarbage(); // in its own frame: no stack slot of this one still holds the last of it

        var census = EventPipeHeap.Census();

        var known = census.Single(c => c.Type == typeof(Known));
        Assert.That((known.Objects, known.Bytes), Is.EqualTo((1234L, 1234L * 24)));
        Assert.That(known.Name, Is.EqualTo("Benchmem.Core.Tests.Heaps.EventPipeHeapTests+Known"));
        var array = census.Single(c => c.Type == typeof(Known[]));
        Assert.That((array.Objects, array.Bytes), Is.EqualTo((1L, 24L + 8 * 1234)));
        Assert.That(census.Any(c => c.Type == typeof(NeverMade)), Is.False);
        GC.KeepAlive(kept);
    }
}
