using System.Xml;
using System.Xml.Linq;

namespace Benchmem.Sweeps;

/// <summary>
/// Pins one package to one exact version in a copied project tree, whichever way the project names its version:
/// <list type="bullet">
/// <item>central package management: the <c>PackageVersion</c> in every copied Directory.Packages.props (so every
/// project of the copy agrees; a VersionOverride alone would leave referenced projects on the old version and fail
/// restore with a downgrade);</item>
/// <item>a plain <c>PackageReference Version="…"</c> (or a <c>VersionOverride</c>) in any copied project file or
/// Directory.Build.props/.targets;</item>
/// <item>a package the project only gets transitively: a direct reference is added to the project (with CPM, as
/// a <c>VersionOverride</c> unless the props already pin it).</item>
/// </list>
/// Versions are written as exact ranges (<c>[1.2.3]</c>): a plain <c>1.2.3</c> means "1.2.3 or higher", and NuGet
/// would quietly restore the next version up when 1.2.3 does not exist, so the run would measure the wrong version.
/// Package names match case-insensitively, as NuGet's do.
/// </summary>
internal static class PackageOverride
{
    /// <summary>Applies the version; returns what was changed, one short phrase per file, for the log.</summary>
    public static IReadOnlyList<string> Apply(string projectFile, IEnumerable<string> copiedFiles, string package, string version)
    {
        var exact = $"[{version}]";
        var changes = new List<string>();
        var files = copiedFiles.Select(Path.GetFullPath).Append(Path.GetFullPath(projectFile)).Distinct(StringComparer.Ordinal).ToList();
        bool pinnedCentrally = false, referenced = false;
        var unversioned = new List<(string File, XDocument Doc, XElement Element)>();
        var docs = new Dictionary<string, XDocument>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var doc = Load(file);
            docs[file] = doc;
            bool changed = false;
            foreach (var e in doc.Descendants().Where(e => IsItem(e, "PackageVersion", package)))
            {
                SetVersion(e, "Version", exact);
                pinnedCentrally = changed = true;
                changes.Add($"{Name(file)}: PackageVersion {package} = {exact}");
            }
            foreach (var e in doc.Descendants().Where(e => IsItem(e, "PackageReference", package)))
            {
                referenced = true;
                if (Has(e, "VersionOverride"))
                {
                    SetVersion(e, "VersionOverride", exact);
                    changes.Add($"{Name(file)}: PackageReference {package} VersionOverride = {exact}");
                    changed = true;
                }
                else if (Has(e, "Version"))
                {
                    SetVersion(e, "Version", exact);
                    changes.Add($"{Name(file)}: PackageReference {package} Version = {exact}");
                    changed = true;
                }
                else
                    unversioned.Add((file, doc, e));
            }
            if (changed)
                Save(doc, file);
        }
        // A reference without a version takes it from CPM; when no copied props pinned it (it comes from a file the
        // copy does not see, or the props are missing), pin it on the reference itself.
        if (!pinnedCentrally)
        {
            foreach (var (file, doc, e) in unversioned)
            {
                e.SetAttributeValue("VersionOverride", exact);
                Save(doc, file);
                changes.Add($"{Name(file)}: PackageReference {package} VersionOverride = {exact}");
            }
        }
        if (!referenced)
        {
            var project = Path.GetFullPath(projectFile);
            var doc = docs[project];
            var root = doc.Root!;
            var ns = root.Name.Namespace;
            var reference = new XElement(ns + "PackageReference", new XAttribute("Include", package));
            var central = UsesCentralVersions(project, files, docs);
            if (!central)
                reference.SetAttributeValue("Version", exact);
            else if (!pinnedCentrally)
                reference.SetAttributeValue("VersionOverride", exact);
            root.Add(new XElement(ns + "ItemGroup", reference));
            Save(doc, project);
            changes.Add($"{Name(project)}: added PackageReference {package}" + (!central ? $" Version = {exact}" : !pinnedCentrally ? $" VersionOverride = {exact}" : ""));
        }
        return changes;
    }

    private static bool UsesCentralVersions(string project, List<string> files, Dictionary<string, XDocument> docs)
    {
        // The project's own setting wins; otherwise the Directory.Packages.props that turns it on.
        static string? Setting(XDocument d) => d.Descendants().LastOrDefault(e => e.Name.LocalName == "ManagePackageVersionsCentrally")?.Value.Trim();
        if (Setting(docs[project]) is { } own)
            return own.Equals("true", StringComparison.OrdinalIgnoreCase);
        return files.Where(f => Path.GetFileName(f).Equals("Directory.Packages.props", StringComparison.OrdinalIgnoreCase))
            .Any(f => Setting(docs[f])?.Equals("true", StringComparison.OrdinalIgnoreCase) == true);
    }

    private static bool IsItem(XElement e, string kind, string package)
    {
        if (e.Name.LocalName != kind)
            return false;
        var name = (string?)e.Attribute("Include") ?? (string?)e.Attribute("Update");
        return name is not null && name.Split(';', StringSplitOptions.TrimEntries).Any(n => n.Equals(package, StringComparison.OrdinalIgnoreCase));
    }

    private static bool Has(XElement e, string name) =>
        e.Attribute(name) is not null || e.Elements().Any(c => c.Name.LocalName == name);

    private static void SetVersion(XElement e, string name, string value)
    {
        var child = e.Elements().FirstOrDefault(c => c.Name.LocalName == name);
        if (child is not null)
            child.Value = value;
        else
            e.SetAttributeValue(name, value);
    }

    private static string Name(string file) => Path.GetFileName(file);

    private static XDocument Load(string file)
    {
        try
        {
            return XDocument.Load(file, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new SweepInputException($"{file}: not valid XML ({e.Message}); the sweep edits package versions in it.");
        }
    }

    private static void Save(XDocument doc, string file)
    {
        var settings = new XmlWriterSettings { OmitXmlDeclaration = doc.Declaration is null, Encoding = new System.Text.UTF8Encoding(false) };
        using var writer = XmlWriter.Create(file, settings);
        doc.Save(writer);
    }
}
