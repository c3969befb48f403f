namespace Gateway.Rag.Sandbox.Internal;

/// <summary>
/// Resolves a path to its real path the way the operating system would, one name at a time: every link
/// met on the way, a folder as well as the last name, is replaced by its target (a relative target read
/// from the link's own folder) and the walk goes on through the target's names, so chains of links, links
/// inside a link's target and <c>..</c> inside a target all resolve as they would on open. More than
/// <see cref="MaxLinkHops"/> links (the Linux limit) is a loop. Only metadata is read (lstat and readlink).
/// </summary>
internal static class RealPath
{
    public const int MaxLinkHops = 40;

    /// <summary>Resolves <paramref name="names"/> below <paramref name="start"/>, which must be a real path already.</summary>
    /// <exception cref="UnauthorizedAccessException">A folder on the way cannot be searched by this process.</exception>
    public static RealPathResult Resolve(string start, IEnumerable<string> names)
    {
        var pending = new Stack<string>(names.Reverse());
        var resolved = start;
        var hops = 0;
        while (pending.TryPop(out var name))
        {
            switch (name)
            {
                case "" or ".":
                    continue;
                case "..":
                    resolved = Path.GetDirectoryName(resolved) ?? resolved;
                    continue;
            }

            var next = Path.Join(resolved, name);
            var entry = new FileInfo(next);
            if (!Exists(entry))
            {
                // Nothing further can exist below a missing name; where the path would have led is enough
                // to tell "outside the root" from "not found".
                return new RealPathResult(Path.GetFullPath(Path.Join([next, .. pending])), RealPathStatus.Missing, null);
            }

            if (entry.LinkTarget is not { } target)
            {
                resolved = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return new RealPathResult(next, RealPathStatus.Loop, null);
            }

            if (Path.IsPathRooted(target))
            {
                var targetRoot = Path.GetPathRoot(target)!;
                resolved = targetRoot;
                target = target[targetRoot.Length..];
            }

            foreach (var targetName in Names(target).Reverse())
            {
                pending.Push(targetName);
            }
        }

        var found = new FileInfo(resolved);
        if (!Exists(found))
        {
            return new RealPathResult(resolved, RealPathStatus.Missing, null);
        }

        FileSystemInfo info = found.Attributes.HasFlag(FileAttributes.Directory) ? new DirectoryInfo(resolved) : found;
        return new RealPathResult(resolved, RealPathStatus.Found, info);
    }

    /// <summary>The real path of an absolute path (a root's folder, at start-up).</summary>
    public static RealPathResult Of(string absolutePath)
    {
        var full = Path.GetFullPath(absolutePath);
        var root = Path.GetPathRoot(full)!;
        return Resolve(root, Names(full[root.Length..]));
    }

    private static string[] Names(string path) =>
        path.Split(Path.DirectorySeparatorChar == Path.AltDirectorySeparatorChar ? ['/'] : ['/', '\\'], StringSplitOptions.RemoveEmptyEntries);

    // lstat: a link is seen as itself, so a dangling link exists here and is followed above.
    private static bool Exists(FileInfo entry) => (int)entry.Attributes != -1;
}
