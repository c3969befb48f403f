using Gateway.Core.Vectors;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// How the mirrors of one database search without a filter (a filtered search is always exact over the
/// matching rows): through a collection's HNSW index once it holds <paramref name="HnswMinChunks"/> chunks
/// (0: never) and the index is current, else by <paramref name="Quantization"/> codes with exact rescoring of
/// the best <c>k × </c><paramref name="Oversampling"/> (binary: at least those, see <see cref="QuantizedRows"/>), else exactly. The mirrors held at once take about
/// <paramref name="MirrorMaxBytes"/> at most: past it, the least recently searched are dropped (and loaded
/// again by their next search). From <see cref="SqliteStorageOptions"/>.
/// </summary>
internal sealed record RagVectorSearchSettings(
    int HnswMinChunks, VectorQuantization Quantization, int? Oversampling, long MirrorMaxBytes = RagVectorSearchSettings.DefaultMirrorMaxBytes)
{
    /// <summary>The default bound of the mirrors' memory: 2 GiB, a million 384-dimension chunks and some to spare.</summary>
    public const long DefaultMirrorMaxBytes = 2L << 30;

    /// <summary>The least bound accepted: 1 MiB.</summary>
    public const long MinMirrorMaxBytes = 1L << 20;

    /// <summary>Exact scans only: what a <see cref="SqliteDatabase"/> built without the storage options searches with.</summary>
    public static RagVectorSearchSettings Exact { get; } = new(0, VectorQuantization.None, null);
}
