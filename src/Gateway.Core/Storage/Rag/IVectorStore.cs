using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Rag;

/// <summary>
/// The chunks of collections as records with vectors: written, read and deleted by key, counted, and
/// searched by vector (exact or through an index, never short when a filter matches enough chunks) and
/// by keyword. Every backend passes the same conformance suite; a collection id that does not exist is
/// <see cref="GatewayErrorCodes.CollectionNotFound"/>, a vector of other dimensions
/// <see cref="GatewayErrorCodes.EmbeddingModelMismatch"/>.
/// </summary>
public interface IVectorStore
{
    /// <summary>
    /// Inserts or replaces chunk records by key, all or none; a <see cref="RagChunkUpsert.DocumentId"/>
    /// the collection does not hold is <see cref="GatewayErrorCodes.DocumentNotFound"/>.
    /// </summary>
    Task UpsertChunksAsync(string collectionId, IReadOnlyList<RagChunkUpsert> chunks, CancellationToken cancellationToken = default);

    /// <summary>The chunks with these keys that exist, in the order asked; vectors only when <paramref name="includeVectors"/>.</summary>
    Task<IReadOnlyList<RagChunk>> GetChunksAsync(
        string collectionId, IReadOnlyList<string> chunkIds, bool includeVectors = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the chunks <paramref name="filter"/> matches (all when <see langword="null"/>), ordered by
    /// chunk id: <paramref name="skip"/> of them passed over, then at most <paramref name="top"/>; vectors only when
    /// <paramref name="includeVectors"/>.
    /// </summary>
    Task<IReadOnlyList<RagChunk>> FindChunksAsync(
        string collectionId,
        MetadataFilter? filter,
        int top,
        int skip = 0,
        bool includeVectors = false,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes the chunks with these keys; returns how many existed.</summary>
    Task<int> DeleteChunksAsync(string collectionId, IReadOnlyList<string> chunkIds, CancellationToken cancellationToken = default);

    /// <summary>How many chunks of the collection <paramref name="filter"/> matches (all when <see langword="null"/>).</summary>
    Task<long> CountChunksAsync(string collectionId, MetadataFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>The nearest chunks, highest cosine similarity first; ties by chunk id.</summary>
    Task<IReadOnlyList<ChunkSearchHit>> SearchAsync(VectorSearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The best keyword matches, most relevant first; ties by chunk id. What the score is depends on the engine:
    /// BM25 on SQLite (FTS5's formula), cover density (<c>ts_rank_cd</c>, normalised by the log of the length) on
    /// PostgreSQL; higher is better either way, and a score is comparable only with others of the same search.
    /// A backend may rank a window of the matches rather than every one (both engines here do; see their README).
    /// </summary>
    Task<IReadOnlyList<ChunkSearchHit>> KeywordSearchAsync(KeywordSearchRequest request, CancellationToken cancellationToken = default);
}
