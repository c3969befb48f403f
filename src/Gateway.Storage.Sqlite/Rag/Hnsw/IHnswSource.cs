namespace Gateway.Storage.Sqlite.Rag.Hnsw;

/// <summary>
/// An immutable snapshot of one collection's vectors that an HNSW index is built from and checked against:
/// its <c>vector_version</c> (which every change to the collection's chunks raises, in any process), its
/// rows and each row's chunk key.
/// </summary>
internal interface IHnswSource
{
    long Version { get; }

    int Dimensions { get; }

    int Count { get; }

    ReadOnlySpan<float> Rows { get; }

    string ChunkId(int row);
}
