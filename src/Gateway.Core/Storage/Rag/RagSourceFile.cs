namespace Gateway.Core.Storage.Rag;

/// <summary>
/// One file of a source as its last sync saw it: a later sync that finds another size or modification
/// time ingests it again, and one that does not find it removes its document.
/// </summary>
/// <param name="Path">Its path inside the sandbox root, with <c>/</c> between names.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Modified">When its content last changed, to the tick (100 ns) the file system reported.</param>
/// <param name="DocumentName">The name of the document it was ingested as.</param>
/// <param name="ContentHash">The content hash of that document when the sync was recorded, if the collection held it.</param>
public sealed record RagSourceFile(string Path, long Size, DateTimeOffset Modified, string DocumentName, string? ContentHash = null);
