using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// <see cref="IVectorStore"/> on SQLite. Vectors are float32 BLOBs next to their chunk rows; a vector search
/// is exact: it scores the query against every chunk the filter matches in an in-memory copy of the
/// collection's normalised vectors (<see cref="CollectionVectorMirror"/>, loaded on first search and kept in
/// step with every write of this process; a write from another process makes the next search reload it), so
/// a filtered search is never short. Keyword search is BM25 over the chunks' FTS5 index, ranking the newest
/// matches up to a window as message search does (<see cref="ChunkKeywordSearch"/>, ADR 0008). Writes are one <c>BEGIN IMMEDIATE</c> transaction each, all or nothing.
/// </summary>
public sealed class SqliteVectorStore : IVectorStore
{
    private const string CollectionStateSql = "SELECT dimensions, vector_version, chunk_count FROM rag_collections WHERE id = $id";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly RagReads _reads;
    private readonly ChunkKeywordSearch _keywords;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    /// <param name="database">The migrated database.</param>
    /// <param name="time">The clock of writes and of the cached document frequencies; the system clock when absent.</param>
    /// <param name="keywordCandidateLimit">
    /// How many of the newest keyword matches (in the searched collections, accepted by the filter) a keyword search
    /// ranks; <see cref="SqliteStorageOptions.SearchCandidateLimit"/> when registered by <c>AddSqliteStorage</c>.
    /// </param>
    public SqliteVectorStore(SqliteDatabase database, TimeProvider? time = null, int keywordCandidateLimit = SqliteMessageSearch.DefaultCandidateLimit)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(keywordCandidateLimit, 1);
        _database = database;
        _time = time ?? TimeProvider.System;
        _reads = SqliteRagReads.Create(database);
        _keywords = new ChunkKeywordSearch(_time, keywordCandidateLimit);
    }

    /// <inheritdoc />
    public async Task UpsertChunksAsync(string collectionId, IReadOnlyList<RagChunkUpsert> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(chunks);
        var change = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var state = await RequireStateAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            for (var i = 0; i < chunks.Count; i++)
            {
                RagRules.Validate(chunks[i], state.Dimensions, $"chunks[{i}]");
            }

            var documentMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < chunks.Count; i++)
            {
                var documentId = chunks[i].DocumentId;
                if (!documentMetadata.ContainsKey(documentId))
                {
                    documentMetadata[documentId] = await ScalarAsync(connection, transaction,
                        "SELECT metadata FROM rag_documents WHERE id = $id AND collection_id = $collection", ct,
                        ("$id", documentId), ("$collection", collectionId)).ConfigureAwait(false) as string
                        ?? throw RagRules.DocumentNotFound(collectionId, documentId, $"chunks[{i}].documentId");
                }
            }

            var rows = new List<MirrorRow>(chunks.Count);
            var writer = new ChunkRowWriter(connection, transaction, collectionId);
            await using (writer.ConfigureAwait(false))
            {
                foreach (var chunk in chunks)
                {
                    var metadata = chunk.Metadata is null ? documentMetadata[chunk.DocumentId] : MetadataText(chunk.Metadata);
                    var vector = await writer.WriteAsync(chunk.Id, chunk.DocumentId, chunk.Ordinal, chunk.Text, chunk.Citation, metadata, chunk.Vector, ct)
                        .ConfigureAwait(false);
                    rows.Add(new MirrorRow(chunk.Id, chunk.DocumentId, metadata, vector));
                }
            }

            return await FinishAsync(connection, transaction, collectionId, state.Version, [], rows, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        _database.VectorMirrors.Apply(collectionId, change);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RagChunk>> GetChunksAsync(
        string collectionId, IReadOnlyList<string> chunkIds, bool includeVectors = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(chunkIds);
        return _reads.ReadSnapshotAsync<IReadOnlyList<RagChunk>>(async (connection, transaction, ct) =>
        {
            var (sqlite, snapshot) = ((SqliteConnection)connection, (SqliteTransaction)transaction);
            var state = await RequireStateAsync(sqlite, snapshot, collectionId, ct).ConfigureAwait(false);
            var found = await ChunkHitRows.ReadAsync(sqlite, snapshot, collectionId, state.Dimensions, chunkIds, includeVectors, ct).ConfigureAwait(false);
            return [.. chunkIds.Where(found.ContainsKey).Select(id => found[id].Chunk)];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RagChunk>> FindChunksAsync(
        string collectionId, MetadataFilter? filter, int top, int skip = 0, bool includeVectors = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        if (top < 1)
        {
            throw GatewayException.InvalidField("top", "expected at least 1.");
        }

        if (skip < 0)
        {
            throw GatewayException.InvalidField("skip", "expected 0 or more.");
        }

        return _reads.ReadSnapshotAsync<IReadOnlyList<RagChunk>>(async (connection, transaction, ct) =>
        {
            var (sqlite, snapshot) = ((SqliteConnection)connection, (SqliteTransaction)transaction);
            var state = await RequireStateAsync(sqlite, snapshot, collectionId, ct).ConfigureAwait(false);
            var mirror = await MirrorAsync(sqlite, snapshot, collectionId, state, ct).ConfigureAwait(false);
            var page = mirror.MatchingRows(filter).Skip(skip).Take(top).Select(mirror.ChunkId).ToList();
            var found = await ChunkHitRows.ReadAsync(sqlite, snapshot, collectionId, state.Dimensions, page, includeVectors, ct).ConfigureAwait(false);
            return [.. page.Where(found.ContainsKey).Select(id => found[id].Chunk)];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> DeleteChunksAsync(string collectionId, IReadOnlyList<string> chunkIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(chunkIds);
        var (deleted, change) = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var state = await RequireStateAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            var deleted = 0;
            var keys = chunkIds.Distinct(StringComparer.Ordinal).ToList();
            foreach (var batch in keys.Chunk(ChunkHitRows.BatchSize))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    var sql = new StringBuilder("DELETE FROM rag_chunks WHERE collection_id = $collection AND id IN (");
                    for (var i = 0; i < batch.Length; i++)
                    {
                        sql.Append(i == 0 ? "$k" : ", $k").Append(i);
                        command.Parameters.AddWithValue("$k" + i, batch[i]);
                    }

                    command.CommandText = sql.Append(')').ToString();
                    command.Parameters.AddWithValue("$collection", collectionId);
                    deleted += await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }

            return deleted == 0
                ? (0, (MirrorChange?)null)
                : (deleted, await FinishAsync(connection, transaction, collectionId, state.Version, keys, [], ct).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);

        if (change is not null)
        {
            _database.VectorMirrors.Apply(collectionId, change);
        }

        return deleted;
    }

    /// <inheritdoc />
    public Task<long> CountChunksAsync(string collectionId, MetadataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        return _reads.ReadSnapshotAsync(async (connection, transaction, ct) =>
        {
            var (sqlite, snapshot) = ((SqliteConnection)connection, (SqliteTransaction)transaction);
            var state = await RequireStateAsync(sqlite, snapshot, collectionId, ct).ConfigureAwait(false);
            if (filter is null)
            {
                return state.ChunkCount;
            }

            var mirror = await MirrorAsync(sqlite, snapshot, collectionId, state, ct).ConfigureAwait(false);
            return mirror.CountMatching(filter);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChunkSearchHit>> SearchAsync(VectorSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RagRules.ValidateSearch(request.CollectionIds, request.K);
        var query = VectorMath.Normalized(request.Vector.Span);
        var collectionIds = request.CollectionIds.Distinct(StringComparer.Ordinal).ToList();
        return _reads.ReadSnapshotAsync<IReadOnlyList<ChunkSearchHit>>(async (connection, transaction, ct) =>
        {
            var (sqlite, snapshot) = ((SqliteConnection)connection, (SqliteTransaction)transaction);
            var best = new List<(string CollectionId, int Dimensions, string ChunkId, float Score)>();
            foreach (var collectionId in collectionIds)
            {
                var state = await RequireStateAsync(sqlite, snapshot, collectionId, ct, "collectionIds").ConfigureAwait(false);
                RagRules.CheckVector(request.Vector.Span, state.Dimensions, "vector");
                var mirror = await MirrorAsync(sqlite, snapshot, collectionId, state, ct).ConfigureAwait(false);
                foreach (var (row, score) in _database.VectorMirrors.Search(collectionId, mirror, query, request.K, request.Filter))
                {
                    if (request.MinScore is not { } minimum || score >= minimum)
                    {
                        best.Add((collectionId, state.Dimensions, mirror.ChunkId(row), score));
                    }
                }
            }

            best.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score)
                : string.CompareOrdinal(a.ChunkId, b.ChunkId) is var byId and not 0 ? byId
                : string.CompareOrdinal(a.CollectionId, b.CollectionId));
            var top = best.Take(request.K).ToList();
            var hits = new List<ChunkSearchHit>(top.Count);
            foreach (var group in top.GroupBy(hit => hit.CollectionId))
            {
                var rows = await ChunkHitRows.ReadAsync(sqlite, snapshot, group.Key, group.First().Dimensions, group.Select(hit => hit.ChunkId), false, ct)
                    .ConfigureAwait(false);
                hits.AddRange(group.Where(hit => rows.ContainsKey(hit.ChunkId))
                    .Select(hit => new ChunkSearchHit(rows[hit.ChunkId].Chunk, rows[hit.ChunkId].DocumentName, hit.Score)));
            }

            hits.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score)
                : string.CompareOrdinal(a.Chunk.Id, b.Chunk.Id) is var byId and not 0 ? byId
                : string.CompareOrdinal(a.Chunk.CollectionId, b.Chunk.CollectionId));
            return hits;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChunkSearchHit>> KeywordSearchAsync(KeywordSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RagRules.ValidateSearch(request.CollectionIds, request.K);
        var collectionIds = request.CollectionIds.Distinct(StringComparer.Ordinal).ToList();
        return _reads.ReadSnapshotAsync(async (connection, transaction, ct) =>
        {
            var (sqlite, snapshot) = ((SqliteConnection)connection, (SqliteTransaction)transaction);
            foreach (var collectionId in collectionIds)
            {
                await RequireStateAsync(sqlite, snapshot, collectionId, ct, "collectionIds").ConfigureAwait(false);
            }

            return await _keywords.SearchAsync(sqlite, snapshot, collectionIds, request, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static async Task<CollectionState> RequireStateAsync(
        SqliteConnection connection, SqliteTransaction transaction, string collectionId, CancellationToken cancellationToken, string field = "collectionId")
    {
        var rows = await ListAsync(connection, transaction, CollectionStateSql,
            static reader => new CollectionState(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken, ("$id", collectionId))
            .ConfigureAwait(false);
        return rows.Count == 0 ? throw RagRules.CollectionNotFound(collectionId, field) : rows[0];
    }

    private Task<CollectionVectorMirror> MirrorAsync(
        SqliteConnection connection, SqliteTransaction transaction, string collectionId, CollectionState state, CancellationToken cancellationToken) =>
        _database.VectorMirrors.GetAsync(connection, transaction, collectionId, state.Dimensions, state.Version, state.ChunkCount, cancellationToken);

    // Marks the collection changed and says what changed, for the mirrors once the transaction commits.
    private async Task<MirrorChange> FinishAsync(
        SqliteConnection connection, SqliteTransaction transaction, string collectionId, long before,
        IReadOnlyCollection<string> removedChunkIds, IReadOnlyList<MirrorRow> written, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "UPDATE rag_collections SET updated_at = $now WHERE id = $id", cancellationToken,
            ("$id", collectionId), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
        var after = await SqliteRagCollectionStore.VectorVersionAsync(connection, transaction, collectionId, cancellationToken).ConfigureAwait(false);
        return new MirrorChange(before, after, [], removedChunkIds, written);
    }

    private readonly record struct CollectionState(int Dimensions, long Version, long ChunkCount);
}
