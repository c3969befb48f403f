using Gateway.Storage.Sqlite.Rag.Hnsw;

namespace Gateway.Storage.Sqlite.Tests.Rag.Hnsw;

/// <summary>A snapshot of rows with keys <c>c000000</c>, <c>c000001</c>, … (or the ones given).</summary>
internal sealed class ArraySource(float[] rows, int dimensions, long version, string[]? chunkIds = null) : IHnswSource
{
    private readonly string[] _chunkIds = chunkIds ?? [.. Enumerable.Range(0, rows.Length / dimensions).Select(Key)];

    public long Version => version;

    public int Dimensions => dimensions;

    public int Count => rows.Length / dimensions;

    public ReadOnlySpan<float> Rows => rows;

    public static string Key(int row) => $"c{row:D6}";

    public string ChunkId(int row) => _chunkIds[row];
}
