namespace Gateway.Rag.Sandbox.Internal;

/// <summary>How the resolution of a <see cref="RealPathResult"/> ended.</summary>
internal enum RealPathStatus
{
    /// <summary>Something is at the real path.</summary>
    Found,

    /// <summary>A name on the way does not exist; the path is where it would have led.</summary>
    Missing,

    /// <summary>More than <see cref="RealPath.MaxLinkHops"/> links were followed: a loop.</summary>
    Loop,
}
