namespace Gateway.Rag.Sandbox.Internal;

/// <summary>Where a path really leads (<see cref="RealPath"/>), and the entry found there.</summary>
/// <param name="Path">The real path (for a missing one, where it would have led; for a loop, the link that closed it).</param>
/// <param name="Status">Found, missing, or a loop of links.</param>
/// <param name="Info">The entry at <paramref name="Path"/>, a <see cref="DirectoryInfo"/> for a folder, when found.</param>
internal sealed record RealPathResult(string Path, RealPathStatus Status, FileSystemInfo? Info);
