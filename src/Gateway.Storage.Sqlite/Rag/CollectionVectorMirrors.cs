using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Gateway.Storage.Sqlite.Rag.Hnsw;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// The <see cref="CollectionVectorMirror"/>s of one database in this process, one per collection searched
/// so far, loaded on first use. A mirror is used only while its version is the collection's stored
/// <c>vector_version</c> (which every change to chunks raises, in whatever process), so a write made
/// elsewhere makes the next search reload. Writes of this process hand their <see cref="MirrorChange"/> in
/// after committing, and a mirror that was current before the change is brought forward instead of reloaded.
/// Searches without a filter go through the collection's HNSW index when <paramref name="indexes"/> has a
/// current one, else through the snapshot's quantised codes when <paramref name="settings"/> asks for them
/// (built on first use per snapshot), else exactly; the hits are rescored exactly either way. The mirrors
/// held take about <see cref="RagVectorSearchSettings.MirrorMaxBytes"/> at most: when a load or a write takes
/// them past it, the least recently used other mirrors are dropped until they fit (the one in use always
/// stays, however large), and a dropped collection is loaded again by its next search.
/// </summary>
internal sealed class CollectionVectorMirrors(RagVectorSearchSettings settings, CollectionHnswIndexes? indexes) : IDisposable
{
    private readonly ConcurrentDictionary<string, Held> _mirrors = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _clock;
    private readonly ConditionalWeakTable<CollectionVectorMirror, QuantizedRows> _codes = [];
    private readonly ConditionalWeakTable<CollectionVectorMirror, Dictionary<ulong, int>> _rowsByIndexKey = [];

    /// <summary>
    /// The mirror of the collection at <paramref name="version"/> with <paramref name="dimensions"/>, loaded
    /// in <paramref name="transaction"/> (the snapshot those were read in) when the one held is not it.
    /// </summary>
    public async Task<CollectionVectorMirror> GetAsync(
        SqliteConnection connection, SqliteTransaction transaction, string collectionId, int dimensions, long version, long chunkCount,
        CancellationToken cancellationToken)
    {
        if (_mirrors.TryGetValue(collectionId, out var held) && held.Mirror.Version == version && held.Mirror.Dimensions == dimensions)
        {
            Volatile.Write(ref held.LastUse, Interlocked.Increment(ref _clock));
            return held.Mirror;
        }

        var loaded = await CollectionVectorMirror.LoadAsync(connection, transaction, collectionId, dimensions, version, chunkCount, cancellationToken)
            .ConfigureAwait(false);
        lock (_gate)
        {
            if (!_mirrors.TryGetValue(collectionId, out var current) || current.Mirror.Version < loaded.Version || current.Mirror.Dimensions != dimensions)
            {
                _mirrors[collectionId] = new Held(loaded, Interlocked.Increment(ref _clock));
                FitInBound(collectionId);
            }
        }

        return loaded;
    }

    /// <summary>Whether the collection's mirror is held (at any version): what the memory bound drops.</summary>
    public bool Holds(string collectionId) => _mirrors.ContainsKey(collectionId);

    /// <summary>About how many bytes the mirrors held take together.</summary>
    public long HeldBytes => _mirrors.Values.Sum(held => held.Mirror.Bytes);

    /// <summary>Brings the collection's mirror forward by <paramref name="change"/> when it was current before it; drops it when it cannot be.</summary>
    public void Apply(string collectionId, MirrorChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!_mirrors.TryGetValue(collectionId, out var held) || held.Mirror.Version >= change.VersionAfter)
            {
                return;
            }

            var current = held.Mirror;
            if (current.Version == change.VersionBefore)
            {
                indexes?.Apply(collectionId, change.VersionBefore, change.VersionAfter, RemovedChunkIds(current, change), change.Written.Select(row => (row.ChunkId, row.Vector)));
            }

            if (current.Version == change.VersionBefore && current.Apply(change) is { } next)
            {
                _mirrors[collectionId] = new Held(next, Interlocked.Increment(ref _clock));
                FitInBound(collectionId);
            }
            else
            {
                _mirrors.TryRemove(collectionId, out _);
            }
        }
    }

    /// <summary>
    /// Drops the collection's mirror, keeping its index: every vector changed (a re-embedding was swapped in), so the
    /// next search loads the mirror again, and finds the index at an older version, so it is rebuilt in the background.
    /// </summary>
    public void Invalidate(string collectionId)
    {
        lock (_gate)
        {
            _mirrors.TryRemove(collectionId, out _);
        }
    }

    /// <summary>Drops the collection's mirror (it was deleted).</summary>
    public void Forget(string collectionId)
    {
        lock (_gate)
        {
            _mirrors.TryRemove(collectionId, out _);
        }

        indexes?.Forget(collectionId);
    }

    /// <summary>The <paramref name="k"/> rows of <paramref name="mirror"/> nearest <paramref name="query"/> among those <paramref name="filter"/> matches, best first, with exact scores.</summary>
    public ScoredRow[] Search(string collectionId, CollectionVectorMirror mirror, ReadOnlySpan<float> query, int k, MetadataFilter? filter)
    {
        if (filter is null && mirror.Count > 0)
        {
            if (indexes?.Current(collectionId, mirror) is { } index && SearchIndexed(mirror, index, query, k) is { } found)
            {
                return found;
            }

            if (settings.Quantization != VectorQuantization.None)
            {
                var codes = _codes.GetValue(mirror, m => QuantizedRows.Encode(settings.Quantization, m.Rows, m.Dimensions));
                return codes.TopK(mirror.Rows, query, k, settings.Oversampling ?? QuantizedRows.DefaultOversampling(settings.Quantization));
            }
        }

        return mirror.Search(query, k, filter);
    }

    /// <summary>The HNSW indexes, when this database keeps any.</summary>
    public CollectionHnswIndexes? Indexes => indexes;

    /// <summary>Saves the HNSW indexes changed since their last save.</summary>
    public void Dispose() => indexes?.Dispose();

    // The index's nearest keys as rows of this snapshot, rescored exactly; null (search exactly) if any key is
    // not a row of it or the index found fewer than k, so an index search is never short.
    private ScoredRow[]? SearchIndexed(CollectionVectorMirror mirror, CollectionHnswIndex index, ReadOnlySpan<float> query, int k)
    {
        var rowsByKey = _rowsByIndexKey.GetValue(mirror, static m =>
        {
            var map = new Dictionary<ulong, int>(m.Count);
            for (var row = 0; row < m.Count; row++)
            {
                map[HnswKey.Of(m.ChunkId(row))] = row;
            }

            return map;
        });
        var keys = index.Search(query.ToArray(), k);
        if (keys.Length < Math.Min(k, mirror.Count))
        {
            return null;
        }

        var rows = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            if (!rowsByKey.TryGetValue(keys[i], out rows[i]))
            {
                return null;
            }
        }

        return VectorMath.TopK(mirror.Rows, mirror.Dimensions, query, k, rows);
    }

    // Under _gate: drops the least recently used mirrors other than the one just held until all fit.
    private void FitInBound(string keep)
    {
        var total = HeldBytes;
        while (total > settings.MirrorMaxBytes)
        {
            (string Id, Held Held)? oldest = null;
            foreach (var (id, held) in _mirrors)
            {
                if (id != keep && (oldest is null || Volatile.Read(ref held.LastUse) < Volatile.Read(ref oldest.Value.Held.LastUse)))
                {
                    oldest = (id, held);
                }
            }

            if (oldest is not { } evicted)
            {
                return;
            }

            _mirrors.TryRemove(evicted.Id, out _);
            total -= evicted.Held.Mirror.Bytes;
        }
    }

    private static IEnumerable<string> RemovedChunkIds(CollectionVectorMirror current, MirrorChange change)
    {
        var removedDocuments = change.RemovedDocumentIds.ToHashSet(StringComparer.Ordinal);
        var ofDocuments = removedDocuments.Count == 0
            ? []
            : Enumerable.Range(0, current.Count).Where(row => removedDocuments.Contains(current.DocumentId(row))).Select(current.ChunkId);
        return change.RemovedChunkIds.Concat(ofDocuments);
    }

    /// <summary>A mirror held, and when it was last used (a tick of the mirrors' own clock, not time).</summary>
    private sealed class Held(CollectionVectorMirror mirror, long lastUse)
    {
        public CollectionVectorMirror Mirror { get; } = mirror;

        // Written by readers without the lock: the bound only needs an order that is about right.
        public long LastUse = lastUse;
    }
}
