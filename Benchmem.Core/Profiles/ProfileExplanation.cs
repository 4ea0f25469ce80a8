using Benchmem.Core.Errors;

namespace Benchmem.Core.Profiles;

/// <summary>
/// What a failed memory rule's message carries when both runs have a profile of the benchmark: the top rows of their
/// diff, in the view that explains the metric (peak: live at the peak; retained: leaks; the others: allocated).
/// </summary>
public static class ProfileExplanation
{
    public const int Rows = 3;

    /// <summary>The view that explains a metric's growth: the live set at the peak for peak, the leaks for retained (when both profiles followed their objects).</summary>
    public static ProfileView ViewFor(string field, AllocationProfile a, AllocationProfile b) =>
        !(a.Info.Tracked && b.Info.Tracked) ? ProfileView.Allocated
        : field switch { "peak" => ProfileView.AtPeak, "retained" => ProfileView.Leaks, _ => ProfileView.Allocated };

    /// <summary>The lines for one failed rule on <paramref name="field"/>: a heading and up to <see cref="Rows"/> diff rows; empty when nothing changed.</summary>
    public static IReadOnlyList<string> Lines(string field, AllocationProfile baseProfile, AllocationProfile head, string basePath)
    {
        var view = ViewFor(field, baseProfile, head);
        var rows = ProfileDiff.Rows(ProfileViews.Of(baseProfile, view, basePath), ProfileViews.Of(head, view, basePath));
        if (rows.Count == 0)
            return [];
        var created = baseProfile.Info.Created == default ? "" : $" of {baseProfile.Info.Created:yyyy-MM-dd HH:mm}";
        return
        [
            $"Benchmem: why {field} grew ({ProfileViews.Describe(view)}, against the profile{created} at {basePath}):",
            .. rows.Take(Rows).Select(r => "  " + ProfileDiff.Describe(r)),
        ];
    }

    /// <summary>Both files read: the lines, or none when either is not a usable profile (an explanation is a bonus, never a second failure).</summary>
    public static IReadOnlyList<string> TryLines(string field, string basePath, string headPath)
    {
        try
        {
            return File.Exists(basePath) && File.Exists(headPath) ? Lines(field, SpeedscopeFile.Read(basePath), SpeedscopeFile.Read(headPath), basePath) : [];
        }
        catch (ProfileException)
        {
            return [];
        }
    }
}
