using System.Text;
using Benchmem.Core.Errors;

namespace Benchmem.Core.Profiles;

/// <summary>
/// The folder profiles are kept in: per benchmark <c>&lt;stem&gt;.speedscope.json</c> (the profile) and
/// <c>&lt;stem&gt;.nettrace</c> (the runtime's trace), where the stem is the benchmark id made safe for a file name
/// plus a short hash of the id (two ids that differ only in punctuation stay apart).
/// </summary>
public static class ProfileFolder
{
    public const string TraceExtension = ".nettrace";

    public static string Stem(string fullName)
    {
        var safe = new StringBuilder();
        foreach (char c in fullName)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        var text = safe.ToString().Trim('_', '.');
        if (text.Length > 100)
            text = text[..100];
        uint hash = 2166136261; // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (byte b in Encoding.UTF8.GetBytes(fullName))
            hash = (hash ^ b) * 16777619;
        return $"{text}-{hash:x8}";
    }

    public static string ProfilePath(string folder, string fullName) => Path.Combine(folder, Stem(fullName) + SpeedscopeFile.Extension);

    public static string TracePath(string folder, string fullName) => Path.Combine(folder, Stem(fullName) + TraceExtension);

    /// <summary>Every profile in <paramref name="folder"/>, read; a missing folder or an empty one is a <see cref="ProfileException"/> that says how to make some.</summary>
    public static IReadOnlyList<(string Path, AllocationProfile Profile)> Load(string folder)
    {
        if (File.Exists(folder))
            throw new ProfileException($"{folder} is a file, not a profile folder: give the folder Benchmem.Profile wrote to.");
        if (!Directory.Exists(folder))
            throw new ProfileException($"profile folder {folder} does not exist: run the tests with Benchmem.Profile={folder} (or [BenchMem(Profile = true)]) first.");
        var files = Directory.GetFiles(folder, "*" + SpeedscopeFile.Extension).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new ProfileException($"profile folder {folder} holds no profiles (*{SpeedscopeFile.Extension}): run the tests with Benchmem.Profile={folder} (or [BenchMem(Profile = true)]) first.");
        return files.Select(f => (f, SpeedscopeFile.Read(f))).ToList();
    }

    /// <summary>
    /// The profile an id names, the closest kind of match winning: a benchmark's full name or a file stem exactly;
    /// else the one full name the id ends at a name boundary (<c>Serialize(n: 1000)</c> names
    /// <c>Json.Serialize(n: 1000)</c>, not <c>Json.Deserialize(n: 1000)</c>); else the one full name containing it
    /// (case-insensitive). None or several of the closest kind is a <see cref="ProfileException"/> listing them.
    /// </summary>
    public static (string Path, AllocationProfile Profile) Find(IReadOnlyList<(string Path, AllocationProfile Profile)> all, string id)
    {
        var exact = all.Where(p => p.Profile.Info.FullName == id
            || Path.GetFileName(p.Path).Equals(id, StringComparison.Ordinal)
            || Path.GetFileName(p.Path).Equals(id + SpeedscopeFile.Extension, StringComparison.Ordinal)).ToList();
        if (exact.Count == 1)
            return exact[0];
        var whole = all.Where(p => p.Profile.Info.FullName.Equals(id, StringComparison.OrdinalIgnoreCase)
            || p.Profile.Info.FullName.EndsWith("." + id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (whole.Count == 1)
            return whole[0];
        var partial = whole.Count > 1 ? whole : all.Where(p => p.Profile.Info.FullName.Contains(id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (partial.Count == 1)
            return partial[0];
        string List(IEnumerable<(string Path, AllocationProfile Profile)> ps) =>
            string.Join(Environment.NewLine, ps.Select(p => "  " + p.Profile.Info.FullName));
        if (partial.Count == 0)
            throw new ProfileException($"no profile matches '{id}'; the folder holds:{Environment.NewLine}{List(all)}");
        throw new ProfileException($"'{id}' matches {partial.Count} profiles; give more of the name:{Environment.NewLine}{List(partial)}");
    }
}
