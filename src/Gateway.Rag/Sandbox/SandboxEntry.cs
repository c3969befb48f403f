namespace Gateway.Rag.Sandbox;

/// <summary>One file or folder inside a sandbox root, as a listing or an enumeration shows it.</summary>
/// <param name="Name">The entry's own name (the link's name, for an entry reached through a link).</param>
/// <param name="Path">Its path inside the root, with <c>/</c> between names (empty for the root itself); pass it back to read it.</param>
/// <param name="Kind">A file or a folder; for a link, what its target is.</param>
/// <param name="Size">A file's length in bytes; <see langword="null"/> for a folder.</param>
/// <param name="Modified">When its content last changed (the target's, for a link).</param>
public sealed record SandboxEntry(string Name, string Path, SandboxEntryKind Kind, long? Size, DateTimeOffset Modified);
