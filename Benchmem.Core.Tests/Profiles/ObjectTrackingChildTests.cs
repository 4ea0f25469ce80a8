using Benchmem.Core.Profiles;

namespace Benchmem.Core.Tests.Memory;

/// <summary>
/// The object tracking of profile passes (benchmem_objects.c), on known graphs run in the profile child: every byte
/// checked against object-size arithmetic and the pass's own peak and retained, not against the views' own sums.
/// </summary>
public partial class AllocationCounterProfilerTests
{
    private const long SmallList = 32;               // List<int>: header, method table, _items, _size, _version
    private const long SmallListArray = 24 + 4 * 4;  // int[4]
    private const long LeakedObject = 24;            // header, method table, one long
    private const int Lists = 20_000;                // TestChild's Lists
    private const int LeakCount = 3_000;             // TestChild's LeakCount

    private AllocationProfile Child(string property)
    {
        Assert.That(_profileRun.TryGetProperty(property, out var path), $"the profile child printed no \"{property}\" profile: {_profileRun}");
        return SpeedscopeFile.Read(path.GetString()!);
    }

    /// <summary>The samples rooted at the workload: another thread's that a pass counted as multi-threaded (seen under load:
    /// the runtime trace's socket engine queueing an event) are not the call's.</summary>
    private static AllocationProfile Own(AllocationProfile p, string root) => p with { Samples = [.. p.Samples.Where(s => p.Frames[s.Stack[0]] == root)] };

    private static IEnumerable<(string Type, long Objects, long Bytes)> Types(AllocationProfile profile) =>
        ProfileSummary.TopTypes(profile, 100).Select(t => (t.Type, t.Objects, t.Bytes));

    [Test]
    public void Tracking_AtPeakHoldsTheBufferAndOneListNotTheChurn()
    {
        var profile = Child("peak");
        Assert.That(profile.Info.Tracked, "objects followed");
        Assert.That((profile.Info.Untracked, profile.Info.WalksMissed), Is.EqualTo((0L, 0L)));
        var all = ProfileViews.Of(profile, ProfileView.AtPeak, "peak");
        var atPeak = Own(all, "PeakWorkload.Work");
        var types = Types(atPeak).ToList();
        Assert.That(types[0], Is.EqualTo(("System.Byte[]", 1L, Buffer)));
        Assert.That(types.Where(t => t.Type == "System.Collections.Generic.List<Int32>").Select(t => t.Objects), Is.EqualTo(new[] { 1L }), "one list, not the churn");
        Assert.That(types.Where(t => t.Type == "System.Int32[]").Sum(t => t.Objects), Is.LessThanOrEqualTo(1), "at most the one list's array");
        Assert.That(types.Select(t => t.Type), Is.SubsetOf(new[] { "System.Byte[]", "System.Collections.Generic.List<Int32>", "System.Int32[]" }));
        // The live set at the peak's own GC is the peak: the pass's objects on the heap then, to within the peak's bound.
        var info = profile.Info;
        Assert.That(all.TotalBytes, Is.InRange(info.PeakBytes - info.PeakBoundBytes, info.PeakBytes + info.PeakBoundBytes));
        Assert.That(atPeak.TotalBytes, Is.InRange(Buffer + SmallList, Buffer + SmallList + SmallListArray));
        var list = atPeak.Samples.Single(s => atPeak.Frames[s.Stack[^1]] == "new System.Collections.Generic.List<Int32>");
        Assert.That(list.Stack.Select(f => atPeak.Frames[f]), Is.EqualTo(new[] { "PeakWorkload.Work", "PeakWorkload.MakeList", "new System.Collections.Generic.List<Int32>" }));
    }

    [Test]
    public void Tracking_TemporaryIsTheChurnAndNothingLeaks()
    {
        var profile = Child("peak");
        var temporary = Own(ProfileViews.Of(profile, ProfileView.Temporary, "peak"), "PeakWorkload.Work");
        Assert.That(Types(temporary), Is.EquivalentTo(new[]
        {
            ("System.Collections.Generic.List<Int32>", (long)Lists, Lists * SmallList),
            ("System.Int32[]", (long)Lists, Lists * SmallListArray),
        }), "the buffer is held to the end of the call: not temporary");
        var leaks = ProfileViews.Of(profile, ProfileView.Leaks, "peak");
        Assert.That(Own(leaks, "PeakWorkload.Work").Samples, Is.Empty, "the buffer went with the result");
        Assert.That(Own(profile, "PeakWorkload.Work").TotalBytes, Is.EqualTo(Buffer + Lists * (SmallList + SmallListArray)));
    }

    [Test]
    public void Tracking_LeaksAddUpToRetainedAndNameTheStack()
    {
        var profile = Child("leak");
        var allLeaks = ProfileViews.Of(profile, ProfileView.Leaks, "leak");
        var leaks = Own(allLeaks, "LeakWorkload.Work");
        // A thread the runtime starts during the pass can leave its Thread object (seen once in a fresh-clone CI run:
        // 1 × 72 B, live after the pass like the leak itself); nothing else may be there.
        var rows = Types(leaks).ToList();
        var runtime = rows.Where(r => r.Item1 == "System.Threading.Thread").ToList();
        Assert.That(rows.Except(runtime), Is.EqualTo(new[] { ("Leaked", (long)LeakCount, LeakCount * LeakedObject) }));
        Assert.That(runtime.Sum(r => r.Item2), Is.LessThanOrEqualTo(1));
        Assert.That(allLeaks.TotalBytes, Is.EqualTo(profile.Info.RetainedBytes), "the leaks view is retained, by stack");
        Assert.That(leaks.Samples.Where(s => leaks.Frames[s.Stack[^1]] == "new Leaked").Single().Stack.Select(f => leaks.Frames[f]),
            Is.EqualTo(new[] { "LeakWorkload.Work", "LeakWorkload.Keep", "new Leaked" }));
        Assert.That(Own(ProfileViews.Of(profile, ProfileView.Temporary, "leak"), "LeakWorkload.Work").Samples, Is.Empty);
    }

    [Test]
    public void Tracking_HeldResultIsAtPeakAndNeitherTemporaryNorLeaked()
    {
        var atPeak = Own(ProfileViews.Of(_profile, ProfileView.AtPeak, "work"), "ProfileWorkload.Work");
        Assert.That(atPeak.TotalBytes, Is.EqualTo(Buffer + Widgets + WidgetArray + Tuple), "the whole result is live at the peak (the end of the call)");
        Assert.That(Own(ProfileViews.Of(_profile, ProfileView.Temporary, "work"), "ProfileWorkload.Work").Samples, Is.Empty);
        Assert.That(Own(ProfileViews.Of(_profile, ProfileView.Leaks, "work"), "ProfileWorkload.Work").Samples, Is.Empty);
    }

    [Test]
    public void Tracking_TimelineRunsFromNothingToThePeakAndBack()
    {
        var profile = Child("peak");
        var timeline = profile.Info.Timeline;
        Assert.That(timeline.Select(p => p.AllocatedBytes), Is.Ordered, "bytes allocated only grow");
        Assert.That(timeline[^1].AllocatedBytes, Is.EqualTo(profile.TotalBytes), "every tracked byte is the pass's");
        Assert.That(timeline.Where(p => p.Full && p.InWindow).Max(p => p.LiveBytes),
            Is.EqualTo(ProfileViews.Of(profile, ProfileView.AtPeak, "peak").TotalBytes), "the highest full GC's live bytes are the peak's live set");
        // After the pass nothing of the call is left; what is (under load: another thread's objects the pass counted) is its leaks view.
        Assert.That(timeline[^1].LiveBytes, Is.EqualTo(ProfileViews.Of(profile, ProfileView.Leaks, "peak").TotalBytes), "after the pass only the leaks are left");
        Assert.That(Own(ProfileViews.Of(profile, ProfileView.Leaks, "peak"), "PeakWorkload.Work").TotalBytes, Is.Zero, "and none of them is the call's");
        Assert.That(timeline.Count(p => p.InWindow), Is.GreaterThan(2), "the churn ran GCs inside the pass");
    }
}
