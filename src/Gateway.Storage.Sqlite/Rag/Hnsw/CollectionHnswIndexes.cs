using System.Collections.Concurrent;
using Cloud.Unum.USearch;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Sqlite.Rag.Hnsw;

/// <summary>
/// The HNSW indexes of one database's collections that hold at least <c>minChunks</c> chunks. A search asks
/// for the index of the snapshot it reads (<see cref="Current"/>): it gets one only when the index is at that
/// snapshot's <c>vector_version</c>; otherwise it searches exactly, and the index is brought up to date in the
/// background — loaded from beside the database file when the saved state matches, else built from the
/// snapshot and saved. Writes of this process are applied in place (<see cref="Apply"/>); a write by another
/// process moves the version on without them, so the index is stale and rebuilt. Indexes changed since their
/// last save are saved on <see cref="Dispose"/>; after a crash the saved state no longer matches and they are rebuilt.
/// </summary>
internal sealed partial class CollectionHnswIndexes(HnswIndexFiles? files, int minChunks, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _served;

    /// <summary>How many times <see cref="Current"/> handed out an index (searches that went through one).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>The index of <paramref name="source"/>'s collection at <paramref name="source"/>'s version, or <see langword="null"/> (search exactly) while there is none.</summary>
    public CollectionHnswIndex? Current(string collectionId, IHnswSource source)
    {
        if (minChunks <= 0 || source.Count < minChunks)
        {
            return null;
        }

        var entry = _entries.GetOrAdd(collectionId, static _ => new Entry());
        lock (entry)
        {
            if (entry.Index is { } index && index.Version == source.Version)
            {
                Interlocked.Increment(ref _served);
                return index;
            }

            if (entry.Building is null && entry.FailedVersion != source.Version)
            {
                entry.Building = Task.Run(() => Refresh(collectionId, entry, source));
            }

            return null;
        }
    }

    /// <summary>
    /// Applies a committed change of this process to the collection's index when it is at <paramref name="versionBefore"/>;
    /// <paramref name="removedChunkIds"/> lists every chunk that went (those of removed documents included).
    /// </summary>
    public void Apply(string collectionId, long versionBefore, long versionAfter, IEnumerable<string> removedChunkIds, IEnumerable<(string ChunkId, float[] Vector)> written)
    {
        if (_entries.TryGetValue(collectionId, out var entry) && entry.Index is { } index && index.Apply(versionBefore, versionAfter, removedChunkIds, written))
        {
            entry.Dirty = true;
        }
    }

    /// <summary>Drops a deleted collection's index and its files.</summary>
    public void Forget(string collectionId)
    {
        if (_entries.TryRemove(collectionId, out var entry))
        {
            lock (entry)
            {
                entry.Index?.Dispose();
                entry.Index = null;
            }
        }

        files?.Delete(collectionId);
    }

    /// <summary>Waits for the background work on the collection's index (tests and benchmarks).</summary>
    public Task WhenIdle(string collectionId) =>
        _entries.TryGetValue(collectionId, out var entry) ? entry.Building ?? Task.CompletedTask : Task.CompletedTask;

    public void Dispose()
    {
        foreach (var (collectionId, entry) in _entries)
        {
            entry.Building?.Wait();
            if (entry.Index is { } index)
            {
                if (entry.Dirty && files is not null)
                {
                    TrySave(collectionId, index);
                }

                index.Dispose();
            }
        }

        _entries.Clear();
    }

    private void Refresh(string collectionId, Entry entry, IHnswSource source)
    {
        CollectionHnswIndex? fresh = null;
        try
        {
            if (files is not null && files.IsCurrent(collectionId, source))
            {
                fresh = CollectionHnswIndex.Load(files.IndexPath(collectionId), source.Dimensions, source.Version);
                LogLoaded(logger, collectionId, source.Count);
            }
            else
            {
                var started = Environment.TickCount64;
                fresh = CollectionHnswIndex.Build(source, CancellationToken.None);
                LogBuilt(logger, collectionId, source.Count, Environment.TickCount64 - started);
                if (files is not null)
                {
                    TrySave(collectionId, fresh);
                }
            }

            if (fresh.Count != source.Count)
            {
                throw new InvalidDataException($"The HNSW index holds {fresh.Count} vectors, the collection {source.Count}.");
            }
        }
        catch (Exception exception) when (exception is USearchException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            fresh?.Dispose();
            fresh = null;
            LogFailed(logger, exception, collectionId);
        }

        lock (entry)
        {
            var old = entry.Index;
            entry.Index = fresh ?? old;
            entry.FailedVersion = fresh is null ? source.Version : null;
            entry.Dirty = false;
            entry.Building = null;
            if (fresh is not null && old is not null)
            {
                old.Dispose();
            }
        }
    }

    private void TrySave(string collectionId, CollectionHnswIndex index)
    {
        try
        {
            files!.Save(collectionId, index);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or USearchException)
        {
            LogSaveFailed(logger, exception, collectionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Built the HNSW index of collection {CollectionId}: {Count} vectors in {Milliseconds} ms.")]
    private static partial void LogBuilt(ILogger logger, string collectionId, int count, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the saved HNSW index of collection {CollectionId} ({Count} vectors).")]
    private static partial void LogLoaded(ILogger logger, string collectionId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The HNSW index of collection {CollectionId} could not be built or loaded; its searches stay exact.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string collectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The HNSW index of collection {CollectionId} could not be saved beside the database; it is rebuilt at the next start.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string collectionId);

    private sealed class Entry
    {
        public CollectionHnswIndex? Index { get; set; }

        public Task? Building { get; set; }

        /// <summary>The version whose index could not be built (not tried again until the collection changes).</summary>
        public long? FailedVersion { get; set; }

        public bool Dirty { get; set; }
    }
}
