namespace Gateway.Rag.Sandbox.Internal;

/// <summary>A configured root: its name and the real path of its folder, resolved once at start-up, which is the boundary.</summary>
internal sealed class SandboxRoot(string name, string realPath)
{
    // Linux file systems tell case apart; Windows' and macOS's usually do not, so a link's target written in
    // another case still points inside there.
    private static readonly StringComparison PathComparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    private readonly string _prefix = Path.EndsInDirectorySeparator(realPath) ? realPath : realPath + Path.DirectorySeparatorChar;

    public string Name { get; } = name;

    public string RealPath { get; } = realPath;

    /// <summary>Whether <paramref name="path"/>, a real path, is the root's folder or below it.</summary>
    public bool Contains(string path) =>
        path.Equals(RealPath, PathComparison) || path.StartsWith(_prefix, PathComparison);

    /// <summary>Whether a real path inside the root passes through a name starting with <c>.</c> below the root.</summary>
    public bool IsHidden(string path) =>
        path.Length > _prefix.Length && path[_prefix.Length..].Split(Path.DirectorySeparatorChar).Any(FileSandbox.IsDotfile);
}
