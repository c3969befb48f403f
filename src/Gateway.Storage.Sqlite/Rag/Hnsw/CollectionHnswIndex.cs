using Cloud.Unum.USearch;

namespace Gateway.Storage.Sqlite.Rag.Hnsw;

/// <summary>
/// One collection's HNSW graph (USearch, cosine, float32; M = 16, ef_construction = 128, ef_search = 64),
/// keyed by <see cref="HnswKey"/>, as of one <c>vector_version</c>. Writes of this process are applied in
/// place (a delete removes its key, a write replaces it), moving <see cref="Version"/> forward; searches
/// run concurrently with each other and wait for a write in progress.
/// </summary>
internal sealed class CollectionHnswIndex : IDisposable
{
    public const int Connectivity = 16;
    public const int ExpansionAdd = 128;
    public const int ExpansionSearch = 64;
    private const int AddBatch = 4_096;

    private readonly USearchIndex _index;
    private readonly ReaderWriterLockSlim _lock = new();

    private CollectionHnswIndex(USearchIndex index, int dimensions, long version)
    {
        _index = index;
        Dimensions = dimensions;
        Version = version;
    }

    public int Dimensions { get; }

    /// <summary>The <c>vector_version</c> of the collection this index reflects.</summary>
    public long Version { get; private set; }

    /// <summary>How many vectors the graph holds.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return (int)_index.Size();
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Builds the graph of every row of <paramref name="source"/>.</summary>
    public static CollectionHnswIndex Build(IHnswSource source, CancellationToken cancellationToken)
    {
        var index = new USearchIndex(MetricKind.Cos, ScalarKind.Float32, (ulong)source.Dimensions, Connectivity, ExpansionAdd, ExpansionSearch);
        try
        {
            for (var start = 0; start < source.Count; start += AddBatch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(AddBatch, source.Count - start);
                var keys = new ulong[count];
                var vectors = new float[count][];
                for (var i = 0; i < count; i++)
                {
                    keys[i] = HnswKey.Of(source.ChunkId(start + i));
                    vectors[i] = source.Rows.Slice((start + i) * source.Dimensions, source.Dimensions).ToArray();
                }

                index.Add(keys, vectors);
            }

            return new CollectionHnswIndex(index, source.Dimensions, source.Version);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Loads a saved graph (the caller has checked that its state file matches).</summary>
    public static CollectionHnswIndex Load(string path, int dimensions, long version)
    {
        var index = new USearchIndex(path);
        if ((int)index.Dimensions() != dimensions)
        {
            index.Dispose();
            throw new InvalidDataException($"The HNSW index '{path}' has {index.Dimensions()} dimensions, not {dimensions}.");
        }

        return new CollectionHnswIndex(index, dimensions, version);
    }

    /// <summary>The keys of about the <paramref name="count"/> nearest vectors, nearest first.</summary>
    public ulong[] Search(float[] query, int count)
    {
        _lock.EnterReadLock();
        try
        {
            _index.Search(query, count, out var keys, out _);
            return keys;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Applies one committed change when this index is at <paramref name="versionBefore"/>: removes the keys of
    /// <paramref name="removedChunkIds"/> and of every written chunk, adds the written ones. Returns whether it applied.
    /// </summary>
    public bool Apply(long versionBefore, long versionAfter, IEnumerable<string> removedChunkIds, IEnumerable<(string ChunkId, float[] Vector)> written)
    {
        _lock.EnterWriteLock();
        try
        {
            if (Version != versionBefore)
            {
                return false;
            }

            foreach (var chunkId in removedChunkIds)
            {
                _index.Remove(HnswKey.Of(chunkId));
            }

            foreach (var (chunkId, vector) in written)
            {
                var key = HnswKey.Of(chunkId);
                _index.Remove(key);
                _index.Add(key, vector);
            }

            Version = versionAfter;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Writes the graph to <paramref name="path"/>; the version and count it had then come back, read under the same lock.</summary>
    public void SaveTo(string path, out long version, out int count)
    {
        _lock.EnterReadLock();
        try
        {
            _index.Save(path);
            version = Version;
            count = (int)_index.Size();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _index.Dispose();
        _lock.Dispose();
    }
}
