using System.Xml.Linq;

namespace Gateway.Architecture.Tests;

/// <summary>
/// The ProjectReference, PackageReference and FrameworkReference items a package's project file declares,
/// with those of the Directory.Build.props files above it, which every package under them inherits.
/// A PackageReference with <c>PrivateAssets="all"</c> (an analyzer, a build tool) is left out: it is
/// used to build the package and is not a dependency of it.
/// </summary>
public static class ProjectFileReferences
{
    private static readonly string[] ItemTypes = ["ProjectReference", "PackageReference", "FrameworkReference"];

    public static IEnumerable<DependencyEdge> Of(string packageId, string projectPath)
    {
        foreach (var file in FilesThatShape(projectPath))
        {
            var document = XDocument.Load(file);
            var relativeFile = Path.GetRelativePath(Repository.Root, file);
            foreach (var item in document.Descendants().Where(element => ItemTypes.Contains(element.Name.LocalName)))
            {
                if (item.Attribute("Include")?.Value is not { Length: > 0 } include)
                {
                    continue;
                }

                if (IsBuildOnly(item))
                {
                    continue;
                }

                var target = item.Name.LocalName == "ProjectReference"
                    ? Path.GetFileNameWithoutExtension(include.Replace('\\', '/'))
                    : include;
                yield return new DependencyEdge(packageId, target, $"{item.Name.LocalName} in {relativeFile}");
            }
        }
    }

    private static bool IsBuildOnly(XElement item) =>
        item.Name.LocalName == "PackageReference"
        && string.Equals(
            item.Attribute("PrivateAssets")?.Value ?? item.Element(item.Name.Namespace + "PrivateAssets")?.Value,
            "all",
            StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> FilesThatShape(string projectPath)
    {
        yield return projectPath;
        for (var directory = Directory.GetParent(projectPath); directory is not null && directory.FullName.Length >= Repository.Root.Length; directory = directory.Parent)
        {
            var props = Path.Combine(directory.FullName, "Directory.Build.props");
            if (File.Exists(props))
            {
                yield return props;
            }
        }
    }
}
