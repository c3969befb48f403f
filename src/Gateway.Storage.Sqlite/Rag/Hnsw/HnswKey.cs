namespace Gateway.Storage.Sqlite.Rag.Hnsw;

/// <summary>
/// The 64-bit key a chunk has in an HNSW index: FNV-1a over its key's UTF-16 code units. It stays the same
/// while rows move (the mirror keeps rows in key order, so an insert or delete shifts them), which is what
/// lets a delete or replace be applied to the index in place. Two keys with the same hash make the build
/// fail, and that collection is then searched exactly.
/// </summary>
internal static class HnswKey
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Of(string chunkId)
    {
        var hash = OffsetBasis;
        foreach (var unit in chunkId)
        {
            hash = (hash ^ unit) * Prime;
        }

        return hash;
    }
}
