namespace Gateway.Architecture.Tests;

/// <summary>The repository these tests run in: its root and the packages under src/.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Each package's project file, by package id (the project's name, as src/Directory.Build.props sets it).</summary>
    public static IReadOnlyDictionary<string, string> Packages { get; } =
        Directory.GetDirectories(Path.Combine(Root, "src"))
            .SelectMany(directory => Directory.GetFiles(directory, "*.csproj"))
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path), path => path, StringComparer.OrdinalIgnoreCase);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Gateway.slnx above {AppContext.BaseDirectory}.");
    }
}
