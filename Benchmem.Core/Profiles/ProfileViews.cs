using Benchmem.Core.Errors;

namespace Benchmem.Core.Profiles;

/// <summary>Which of a profile's weights a table, flame graph or diff is about.</summary>
public enum ProfileView
{
    /// <summary>Everything the pass allocated ("who allocates").</summary>
    Allocated,

    /// <summary>What was live at the true peak, by allocation stack ("who holds the high-water").</summary>
    AtPeak,

    /// <summary>Allocated during the pass and still live after it, the result dropped: adds up to retained.</summary>
    Leaks,

    /// <summary>Allocated and dead within the pass: the churn allocated sees and peak does not.</summary>
    Temporary,
}

/// <summary>A profile re-weighted by one view: the same frames, each path's objects and bytes of that view (empty paths left out).</summary>
public static class ProfileViews
{
    public static string Describe(ProfileView view) => view switch
    {
        ProfileView.AtPeak => "live at the peak",
        ProfileView.Leaks => "leaked (live after the pass, the result dropped)",
        ProfileView.Temporary => "temporary (allocated and dead within the pass)",
        _ => "allocated",
    };

    /// <summary>The option that asks for the view on <c>benchmem profile</c>.</summary>
    public static string Option(ProfileView view) => view switch
    {
        ProfileView.AtPeak => "--at-peak",
        ProfileView.Leaks => "--leaks",
        ProfileView.Temporary => "--temporary",
        _ => "",
    };

    /// <summary>
    /// The view of <paramref name="profile"/>; a view other than <see cref="ProfileView.Allocated"/> of a profile taken
    /// without object tracking is a <see cref="ProfileException"/> saying why and how to get one.
    /// </summary>
    public static AllocationProfile Of(AllocationProfile profile, ProfileView view, string path)
    {
        if (view == ProfileView.Allocated)
            return profile;
        if (!profile.Info.Tracked)
        {
            string why = profile.Info.Method == ProfileMethods.Sampled
                ? "it is a sampled profile (taken in process, from the runtime's allocation events), which follows no objects"
                : "it was taken without object tracking (an older Benchmem, or a profiler without the GC callbacks)";
            throw new ProfileException($"{Option(view)} needs a profile whose objects were followed through the pass, but {path} is not one: {why}. "
                + "Take the profile again in the memory host (Benchmem.MemoryHost=true with Benchmem.Profile=DIR) with this Benchmem.");
        }
        var samples = profile.Samples
            .Select(s => Weigh(s, view) is var (objects, bytes) ? new ProfileSample(s.Stack, objects, bytes) { Live = s.Live } : null)
            .Where(s => s is not null && (s.Bytes != 0 || s.Objects != 0))
            .Select(s => s!)
            .ToList();
        return profile with { Samples = samples };
    }

    private static (long Objects, long Bytes) Weigh(ProfileSample s, ProfileView view)
    {
        var live = s.Live ?? new ProfileLive(0, 0, 0, 0, 0, 0);
        return view switch
        {
            ProfileView.AtPeak => (live.PeakObjects, live.PeakBytes),
            ProfileView.Leaks => (live.LeakObjects, live.LeakBytes),
            ProfileView.Temporary => (s.Objects - live.EndObjects, s.Bytes - live.EndBytes),
            _ => (s.Objects, s.Bytes),
        };
    }
}
