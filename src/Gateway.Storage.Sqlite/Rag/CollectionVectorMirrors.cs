using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// The <see cref="CollectionVectorMirror"/>s of one database in this process, one per collection searched
/// so far, loaded on first use. A mirror is used only while its version is the collection's stored
/// <c>vector_version</c> (which every change to chunks raises, in whatever process), so a write made
/// elsewhere makes the next search reload. Writes of this process hand their <see cref="MirrorChange"/> in
/// after committing, and a mirror that was current before the change is brought forward instead of reloaded.
/// </summary>
internal sealed class CollectionVectorMirrors
{
    private readonly ConcurrentDictionary<string, CollectionVectorMirror> _mirrors = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// The mirror of the collection at <paramref name="version"/> with <paramref name="dimensions"/>, loaded
    /// in <paramref name="transaction"/> (the snapshot those were read in) when the one held is not it.
    /// </summary>
    public async Task<CollectionVectorMirror> GetAsync(
        SqliteConnection connection, SqliteTransaction transaction, string collectionId, int dimensions, long version, long chunkCount,
        CancellationToken cancellationToken)
    {
        if (_mirrors.TryGetValue(collectionId, out var held) && held.Version == version && held.Dimensions == dimensions)
        {
            return held;
        }

        var loaded = await CollectionVectorMirror.LoadAsync(connection, transaction, collectionId, dimensions, version, chunkCount, cancellationToken)
            .ConfigureAwait(false);
        lock (_gate)
        {
            if (!_mirrors.TryGetValue(collectionId, out var current) || current.Version < loaded.Version || current.Dimensions != dimensions)
            {
                _mirrors[collectionId] = loaded;
            }
        }

        return loaded;
    }

    /// <summary>Brings the collection's mirror forward by <paramref name="change"/> when it was current before it; drops it when it cannot be.</summary>
    public void Apply(string collectionId, MirrorChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!_mirrors.TryGetValue(collectionId, out var current) || current.Version >= change.VersionAfter)
            {
                return;
            }

            if (current.Version == change.VersionBefore && current.Apply(change) is { } next)
            {
                _mirrors[collectionId] = next;
            }
            else
            {
                _mirrors.TryRemove(collectionId, out _);
            }
        }
    }

    /// <summary>Drops the collection's mirror (it was deleted).</summary>
    public void Forget(string collectionId)
    {
        lock (_gate)
        {
            _mirrors.TryRemove(collectionId, out _);
        }
    }
}
