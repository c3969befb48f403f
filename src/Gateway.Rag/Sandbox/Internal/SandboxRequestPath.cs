using System.Globalization;

namespace Gateway.Rag.Sandbox.Internal;

/// <summary>
/// Reads a client's path inside a root into its names, before anything touches the disk. A path that
/// cannot be read as one (a control character such as NUL, a backslash, a percent-encoding left after the
/// query string was decoded, too long) is 400 <c>invalid_path</c>; one that is readable but aims outside the
/// root (absolute, or a <c>..</c> anywhere, even one that would come back) is 403 <c>sandbox_path_denied</c>.
/// Empty names and <c>.</c> are skipped, so <c>a//b/./</c> is <c>a/b</c> and an empty path is the root.
/// </summary>
internal static class SandboxRequestPath
{
    /// <summary>The longest single name most file systems accept.</summary>
    public const int MaxNameCharacters = 255;

    public static IReadOnlyList<string> Parse(string root, string? path, int maxCharacters)
    {
        if (string.IsNullOrEmpty(path))
        {
            return [];
        }

        if (path.Length > maxCharacters)
        {
            throw SandboxErrors.InvalidPath(string.Create(
                CultureInfo.InvariantCulture,
                $"the path is {path.Length} characters, over the limit of {maxCharacters} ({SandboxEnvironmentVariables.MaxPathCharacters})."));
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw SandboxErrors.InvalidPath("the path holds a NUL byte.");
        }

        if (path.Any(char.IsControl))
        {
            throw SandboxErrors.InvalidPath("the path holds a control character.");
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            throw SandboxErrors.InvalidPath("the path holds a backslash; separate folders with '/'.");
        }

        if (HasPercentEncoding(path))
        {
            // The query string has been decoded once already; a second decoding anywhere (a proxy, a
            // client library) could turn %2e%2e into '..' behind this check, so no such text is accepted.
            throw SandboxErrors.InvalidPath("the path is still percent-encoded after the query string was decoded; encode it once.");
        }

        if (path[0] == '/' || Path.IsPathRooted(path) || HasDriveLetter(path))
        {
            throw SandboxErrors.Denied(root, path, "is absolute");
        }

        var names = new List<string>();
        foreach (var name in path.Split('/'))
        {
            switch (name)
            {
                case "" or ".":
                    continue;
                case "..":
                    throw SandboxErrors.Denied(root, path, "climbs out with '..'");
            }

            if (name.Length > MaxNameCharacters)
            {
                throw SandboxErrors.InvalidPath(string.Create(
                    CultureInfo.InvariantCulture, $"a name in the path is {name.Length} characters, over the limit of {MaxNameCharacters}."));
            }

            if (OperatingSystem.IsWindows() && name.Contains(':', StringComparison.Ordinal))
            {
                // On Windows a colon names a drive or an alternate data stream, never part of a file name.
                throw SandboxErrors.InvalidPath("a name in the path holds ':'.");
            }

            names.Add(name);
        }

        return names;
    }

    private static bool HasPercentEncoding(string path)
    {
        for (var i = path.IndexOf('%', StringComparison.Ordinal); i >= 0 && i + 2 < path.Length; i = path.IndexOf('%', i + 1))
        {
            if (char.IsAsciiHexDigit(path[i + 1]) && char.IsAsciiHexDigit(path[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDriveLetter(string path) => path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':';
}
