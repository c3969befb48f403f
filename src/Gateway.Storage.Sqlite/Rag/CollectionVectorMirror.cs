using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Microsoft.Data.Sqlite;
using Gateway.Storage.Sqlite.Rag.Hnsw;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// An immutable in-memory copy of one collection's vectors as of one <c>vector_version</c>: the
/// normalised rows in one contiguous <see cref="float"/> array (row <c>i</c> at <c>i × Dimensions</c>),
/// in chunk-key order so that <see cref="VectorMath.TopK(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int)"/>'s
/// "ties by lower row" is "ties by chunk id", each row's key, and the metadata filters match, parsed once
/// per document (rows of one document with the same metadata share one <see cref="Group"/>). A search
/// evaluates the filter once per group, then scores only the rows that match, so a filtered search
/// is exact and never short. Readers share a snapshot without locks; a change makes a new snapshot
/// (appending in place past the old one's rows when the new keys sort after every existing key).
/// </summary>
internal sealed class CollectionVectorMirror : IHnswSource
{
    // A chunk key as .NET holds it (about 36 UTF-16 characters for a UUID), its array slots and its row's group index.
    private const int BytesPerRowBesidesVector = 20 + (2 * 36) + 8 + 4;

    private const string LoadSql = "SELECT id, document_id, metadata, vector FROM rag_chunks WHERE collection_id = $collection ORDER BY id";

    private readonly float[] _rows;
    private readonly string[] _chunkIds;
    private readonly int[] _rowGroups;
    private readonly Group[] _groups;

    private CollectionVectorMirror(int dimensions, long version, int count, float[] rows, string[] chunkIds, int[] rowGroups, Group[] groups)
    {
        Dimensions = dimensions;
        Version = version;
        Count = count;
        _rows = rows;
        _chunkIds = chunkIds;
        _rowGroups = rowGroups;
        _groups = groups;
    }

    /// <summary>The length of every row.</summary>
    public int Dimensions { get; }

    /// <summary>The collection's <c>vector_version</c> this copy is of.</summary>
    public long Version { get; }

    /// <summary>How many rows (chunks) it holds.</summary>
    public int Count { get; }

    /// <summary>The rows, <see cref="Count"/> × <see cref="Dimensions"/> normalised components.</summary>
    public ReadOnlySpan<float> Rows => _rows.AsSpan(0, Count * Dimensions);

    /// <summary>About how many bytes of memory a row takes: its vector (<see cref="Dimensions"/> × 4) and its key and bookkeeping.</summary>
    public int BytesPerRow => (Dimensions * sizeof(float)) + BytesPerRowBesidesVector;

    /// <summary>About how many bytes of memory this copy holds: its arrays as allocated (room to append included) and their keys.</summary>
    public long Bytes => ((long)_rows.Length * sizeof(float)) + ((long)_chunkIds.Length * BytesPerRowBesidesVector);

    /// <summary>The key of the chunk in <paramref name="row"/>.</summary>
    public string ChunkId(int row) => _chunkIds[row];

    /// <summary>The document of the chunk in <paramref name="row"/>.</summary>
    public string DocumentId(int row) => _groups[_rowGroups[row]].DocumentId;

    /// <summary>Loads every chunk of the collection, read in <paramref name="transaction"/> (the snapshot <paramref name="version"/> was read in).</summary>
    public static async Task<CollectionVectorMirror> LoadAsync(
        SqliteConnection connection, SqliteTransaction transaction, string collectionId, int dimensions, long version, long expectedRows,
        CancellationToken cancellationToken)
    {
        var builder = new Builder(dimensions, (int)Math.Min(expectedRows, int.MaxValue / Math.Max(dimensions, 1)));
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = LoadSql;
            command.Parameters.AddWithValue("$collection", collectionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var bytes = new byte[dimensions * sizeof(float)];
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.GetBytes(3, 0, null, 0, 0) != bytes.Length)
                    {
                        throw new InvalidDataException($"Chunk '{reader.GetString(0)}' of collection '{collectionId}' has a vector that is not {dimensions} float32 components.");
                    }

                    reader.GetBytes(3, 0, bytes, 0, bytes.Length);
                    builder.Add(reader.GetString(0), reader.GetString(1), reader.GetString(2), bytes);
                }
            }
        }

        return builder.Build(version);
    }

    /// <summary>This copy with <paramref name="change"/> applied, as of <see cref="MirrorChange.VersionAfter"/>; <see langword="null"/> when the change does not fit it (other dimensions).</summary>
    public CollectionVectorMirror? Apply(MirrorChange change)
    {
        if (change.Written.Any(row => row.Vector.Length != Dimensions))
        {
            return null;
        }

        return change.RemovedDocumentIds.Count == 0 && change.RemovedChunkIds.Count == 0 && SortsAfterEveryRow(change.Written)
            ? Append(change)
            : Rebuild(change);
    }

    /// <summary>How many rows <paramref name="filter"/> matches (all when <see langword="null"/>).</summary>
    public long CountMatching(MetadataFilter? filter)
    {
        if (filter is null)
        {
            return Count;
        }

        var matches = GroupMatches(filter);
        var count = 0L;
        for (var row = 0; row < Count; row++)
        {
            count += matches[_rowGroups[row]] ? 1 : 0;
        }

        return count;
    }

    /// <summary>The <paramref name="k"/> rows nearest <paramref name="query"/> (normalised) among those <paramref name="filter"/> matches, best first, ties by chunk id.</summary>
    public ScoredRow[] Search(ReadOnlySpan<float> query, int k, MetadataFilter? filter)
    {
        if (Count == 0)
        {
            return [];
        }

        if (filter is null)
        {
            return VectorMath.TopK(Rows, Dimensions, query, k);
        }

        var candidates = MatchingRows(filter);
        return candidates.Count == Count
            ? VectorMath.TopK(Rows, Dimensions, query, k)
            : candidates.Count == 0 ? [] : VectorMath.TopK(Rows, Dimensions, query, k, CollectionsMarshal.AsSpan(candidates));
    }

    /// <summary>The rows <paramref name="filter"/> matches (every row when <see langword="null"/>), in chunk-key order.</summary>
    public List<int> MatchingRows(MetadataFilter? filter)
    {
        var matches = filter is null ? null : GroupMatches(filter);
        var rows = new List<int>(filter is null ? Count : 0);
        for (var row = 0; row < Count; row++)
        {
            if (matches is null || matches[_rowGroups[row]])
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private bool[] GroupMatches(MetadataFilter filter)
    {
        var matches = new bool[_groups.Length];
        for (var g = 0; g < _groups.Length; g++)
        {
            matches[g] = MetadataFilterEvaluator.Matches(filter, _groups[g].Metadata, _groups[g].DocumentId);
        }

        return matches;
    }

    private bool SortsAfterEveryRow(IReadOnlyList<MirrorRow> written)
    {
        var last = Count == 0 ? null : _chunkIds[Count - 1];
        foreach (var row in written)
        {
            if (last is not null && string.CompareOrdinal(row.ChunkId, last) <= 0)
            {
                return false;
            }

            last = row.ChunkId;
        }

        return true;
    }

    // New keys after every existing one: written past this copy's rows, in the same arrays while they
    // have room (this copy never reads past its own Count), else in arrays twice the size.
    private CollectionVectorMirror Append(MirrorChange change)
    {
        var count = Count + change.Written.Count;
        var rows = _rows.Length >= count * Dimensions ? _rows : Grow(_rows, Count * Dimensions, count * Dimensions);
        var chunkIds = _chunkIds.Length >= count ? _chunkIds : Grow(_chunkIds, Count, count);
        var rowGroups = _rowGroups.Length >= count ? _rowGroups : Grow(_rowGroups, Count, count);
        var groups = new List<Group>(_groups);
        var row = Count;
        foreach (var written in change.Written)
        {
            if (groups.Count == 0 || groups[^1].DocumentId != written.DocumentId || groups[^1].MetadataText != written.Metadata)
            {
                groups.Add(new Group(written.DocumentId, written.Metadata, ParseMetadata(written.Metadata)));
            }

            written.Vector.CopyTo(rows, row * Dimensions);
            chunkIds[row] = written.ChunkId;
            rowGroups[row] = groups.Count - 1;
            row++;
        }

        return new CollectionVectorMirror(Dimensions, change.VersionAfter, count, rows, chunkIds, rowGroups, [.. groups]);
    }

    private CollectionVectorMirror Rebuild(MirrorChange change)
    {
        var written = new Dictionary<string, MirrorRow>(StringComparer.Ordinal);
        foreach (var row in change.Written)
        {
            written[row.ChunkId] = row;
        }

        var removedDocuments = change.RemovedDocumentIds.ToHashSet(StringComparer.Ordinal);
        var removedChunks = change.RemovedChunkIds.ToHashSet(StringComparer.Ordinal);
        var builder = new Builder(Dimensions, Count + written.Count);
        for (var row = 0; row < Count; row++)
        {
            var group = _groups[_rowGroups[row]];
            var chunkId = _chunkIds[row];
            if (!removedDocuments.Contains(group.DocumentId) && !removedChunks.Contains(chunkId) && !written.ContainsKey(chunkId))
            {
                builder.Add(chunkId, group, _rows.AsSpan(row * Dimensions, Dimensions));
            }
        }

        foreach (var row in written.Values)
        {
            builder.Add(row.ChunkId, row.DocumentId, row.Metadata, row.Vector);
        }

        return builder.Build(change.VersionAfter);
    }

    private static T[] Grow<T>(T[] array, int used, int needed)
    {
        var grown = new T[Math.Max(needed, Math.Max(16, array.Length * 2))];
        Array.Copy(array, grown, used);
        return grown;
    }

    /// <summary>Rows that share a document and its metadata: what a filter is evaluated on.</summary>
    private sealed record Group(string DocumentId, string MetadataText, JsonElement Metadata);

    /// <summary>Collects rows in any order and lays them out in chunk-key order.</summary>
    private sealed class Builder(int dimensions, int expectedRows)
    {
        private readonly Dictionary<(string DocumentId, string Metadata), Group> _groupsByKey = [];
        private readonly List<string> _chunkIds = new(expectedRows);
        private readonly List<Group> _rowGroups = new(expectedRows);
        private float[] _rows = new float[Math.Max(expectedRows, 1) * dimensions];

        public void Add(string chunkId, string documentId, string metadata, ReadOnlySpan<byte> vector)
        {
            var row = Reserve(chunkId, GroupOf(documentId, metadata));
            VectorBlob.Decode(vector, _rows.AsSpan(row * dimensions, dimensions));
        }

        public void Add(string chunkId, string documentId, string metadata, ReadOnlySpan<float> vector) =>
            Add(chunkId, GroupOf(documentId, metadata), vector);

        public void Add(string chunkId, Group group, ReadOnlySpan<float> vector)
        {
            var row = Reserve(chunkId, _groupsByKey.TryAdd((group.DocumentId, group.MetadataText), group) ? group : _groupsByKey[(group.DocumentId, group.MetadataText)]);
            vector.CopyTo(_rows.AsSpan(row * dimensions, dimensions));
        }

        public CollectionVectorMirror Build(long version)
        {
            var count = _chunkIds.Count;
            var order = Enumerable.Range(0, count).ToArray();
            var ids = _chunkIds.ToArray();
            if (!IsSorted(ids))
            {
                Array.Sort(ids, order, StringComparer.Ordinal);
            }

            var groupIndex = new Dictionary<Group, int>(ReferenceEqualityComparer.Instance);
            var groups = new List<Group>();
            var rows = new float[Math.Max(count, 1) * dimensions];
            var rowGroups = new int[count];
            for (var row = 0; row < count; row++)
            {
                var source = order[row];
                _rows.AsSpan(source * dimensions, dimensions).CopyTo(rows.AsSpan(row * dimensions, dimensions));
                var group = _rowGroups[source];
                if (!groupIndex.TryGetValue(group, out var index))
                {
                    index = groups.Count;
                    groupIndex[group] = index;
                    groups.Add(group);
                }

                rowGroups[row] = index;
            }

            return new CollectionVectorMirror(dimensions, version, count, rows, ids, rowGroups, [.. groups]);
        }

        private static bool IsSorted(string[] ids)
        {
            for (var i = 1; i < ids.Length; i++)
            {
                if (string.CompareOrdinal(ids[i - 1], ids[i]) >= 0)
                {
                    return false;
                }
            }

            return true;
        }

        private Group GroupOf(string documentId, string metadata)
        {
            if (!_groupsByKey.TryGetValue((documentId, metadata), out var group))
            {
                group = new Group(documentId, metadata, ParseMetadata(metadata));
                _groupsByKey[(documentId, metadata)] = group;
            }

            return group;
        }

        private int Reserve(string chunkId, Group group)
        {
            var row = _chunkIds.Count;
            if ((row + 1) * dimensions > _rows.Length)
            {
                Array.Resize(ref _rows, Math.Max((row + 1) * dimensions, _rows.Length * 2));
            }

            _chunkIds.Add(chunkId);
            _rowGroups.Add(group);
            return row;
        }
    }
}
