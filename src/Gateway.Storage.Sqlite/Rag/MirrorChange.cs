namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// What one committed transaction did to a collection's chunks, for the mirrors of this process: the
/// collection's <c>vector_version</c> before and after it, the chunks that went (every chunk of
/// <paramref name="RemovedDocumentIds"/>, and <paramref name="RemovedChunkIds"/>) and the rows written
/// (inserted, or replacing the row of the same key).
/// </summary>
internal sealed record MirrorChange(
    long VersionBefore,
    long VersionAfter,
    IReadOnlyCollection<string> RemovedDocumentIds,
    IReadOnlyCollection<string> RemovedChunkIds,
    IReadOnlyList<MirrorRow> Written);
