using Gateway.Core.Vectors;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// How the mirrors of one database search without a filter (a filtered search is always exact over the
/// matching rows): through a collection's HNSW index once it holds <paramref name="HnswMinChunks"/> chunks
/// (0: never) and the index is current, else by <paramref name="Quantization"/> codes with exact rescoring of
/// the best <c>k × </c><paramref name="Oversampling"/>, else exactly. From <see cref="SqliteStorageOptions"/>.
/// </summary>
internal sealed record RagVectorSearchSettings(int HnswMinChunks, VectorQuantization Quantization, int? Oversampling)
{
    /// <summary>Exact scans only: what a <see cref="SqliteDatabase"/> built without the storage options searches with.</summary>
    public static RagVectorSearchSettings Exact { get; } = new(0, VectorQuantization.None, null);
}
