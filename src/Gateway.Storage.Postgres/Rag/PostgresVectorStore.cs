using System.Data.Common;
using System.Globalization;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Gateway.Storage.Postgres.Rag.Internal;
using Gateway.Storage.Postgres.Search;
using Npgsql;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.RagRows;

namespace Gateway.Storage.Postgres.Rag;

/// <summary>
/// <see cref="IVectorStore"/> on PostgreSQL with pgvector (0.8 or later), safe for many gateway replicas
/// on one database. Vectors are <c>real[]</c> columns of the chunk rows, searched through the partial
/// HNSW index of their dimension count (<c>vector_cosine_ops</c> on <c>embedding::vector(N)</c>). Filters
/// are translated to SQL on the <c>jsonb</c> metadata (parameterised, with <see cref="MetadataFilterEvaluator"/>'s
/// meaning) and applied during the index scan: pgvector's iterative scan (<c>hnsw.iterative_scan =
/// relaxed_order</c>, <c>hnsw.ef_search</c> at least <see cref="MinEfSearch"/> and twice k) keeps walking
/// the graph until k rows pass the filter, and the hits are put in exact distance order afterwards. When
/// the index still returns fewer than k rows (a filter so selective that the scan gave up), the search
/// runs again exactly, ordering every matching row by its distance, so a filtered search is never short
/// while k chunks match. Scores are cosine similarities (1 − cosine distance). Keyword search is the
/// generated <c>tsvector</c> column and its GIN index, ranked like message search: of the matches in the
/// searched collections that the filter accepts, the <c>keywordCandidateLimit</c> with the highest chunk ids
/// (the newest, for the time-ordered ids of document chunks) are ranked with <c>ts_rank_cd</c>, so a word in
/// every chunk is not ranked in every chunk.
/// </summary>
public sealed class PostgresVectorStore : IVectorStore
{
    /// <summary>The least <c>hnsw.ef_search</c> a search runs with (pgvector's default is 40).</summary>
    public const int MinEfSearch = 100;

    private static readonly string ChunkColumnsOfC = string.Join(", ", ChunkColumns.Split(", ").Select(column => "c." + column));

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly int _keywordCandidateLimit;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    /// <param name="database">The migrated database.</param>
    /// <param name="time">The clock of writes; the system clock when absent.</param>
    /// <param name="keywordCandidateLimit">
    /// How many keyword matches (in the searched collections, accepted by the filter; highest chunk ids first) a keyword
    /// search ranks; <see cref="PostgresStorageOptions.SearchCandidateLimit"/> when registered by <c>AddPostgresStorage</c>.
    /// </param>
    public PostgresVectorStore(PostgresDatabase database, TimeProvider? time = null, int keywordCandidateLimit = PostgresMessageSearch.DefaultCandidateLimit)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(keywordCandidateLimit, 1);
        _database = database;
        _time = time ?? TimeProvider.System;
        _keywordCandidateLimit = keywordCandidateLimit;
    }

    /// <inheritdoc />
    public Task UpsertChunksAsync(string collectionId, IReadOnlyList<RagChunkUpsert> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(chunks);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var dimensions = await PostgresRagCollectionStore.LockAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            for (var i = 0; i < chunks.Count; i++)
            {
                RagRules.Validate(chunks[i], dimensions, $"chunks[{i}]");
            }

            // A key written twice in one call: the last one wins, as if written one after the other.
            var last = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < chunks.Count; i++)
            {
                last[chunks[i].Id] = i;
            }

            var documentIds = chunks.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal).ToArray();
            var documents = await DocumentMetadataAsync(connection, transaction, collectionId, documentIds, ct).ConfigureAwait(false);
            var ids = last.Keys.ToArray();
            var previous = await ListAsync(connection, transaction,
                "SELECT DISTINCT document_id FROM rag_chunks WHERE collection_id = @collection AND id = ANY(@ids)", reader => reader.GetString(0), ct,
                ("collection", collectionId), ("ids", ids)).ConfigureAwait(false);

            var writer = new ChunkRowWriter(collectionId, dimensions);
            foreach (var index in last.Values.Order())
            {
                var chunk = chunks[index];
                if (!documents.TryGetValue(chunk.DocumentId, out var documentMetadata))
                {
                    throw RagRules.DocumentNotFound(collectionId, chunk.DocumentId, $"chunks[{index}].documentId");
                }

                var metadata = chunk.Metadata is { } own ? StorableMetadataText(own, $"chunks[{index}].metadata") : documentMetadata;
                writer.Add(chunk.Id, chunk.DocumentId, chunk.Ordinal, chunk.Text, chunk.Citation, metadata,
                    MetadataDates.Of(ConversationStoreRules.ParseMetadata(metadata)), chunk.Vector.Span);
            }

            var inserted = await writer.WriteAsync(connection, transaction, ct).ConfigureAwait(false);
            await RecountAsync(connection, transaction, collectionId, [.. documentIds, .. previous], inserted, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RagChunk>> GetChunksAsync(
        string collectionId, IReadOnlyList<string> chunkIds, bool includeVectors = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(chunkIds);
        var sql = $"SELECT {ChunkColumns}{(includeVectors ? ", embedding" : string.Empty)} FROM rag_chunks WHERE collection_id = @collection AND id = ANY(@ids)";
        return _database.ReadAsync<IReadOnlyList<RagChunk>>(async (connection, ct) =>
        {
            await RequireCollectionsAsync(connection, [collectionId], "collectionId", ct).ConfigureAwait(false);
            var rows = await ListAsync(connection, null, sql,
                reader => ReadChunkRow(reader, includeVectors), ct,
                ("collection", collectionId), ("ids", chunkIds.ToArray())).ConfigureAwait(false);
            var byId = rows.ToDictionary(chunk => chunk.Id, StringComparer.Ordinal);
            return [.. chunkIds.Where(byId.ContainsKey).Select(id => byId[id])];
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

        return _database.ReadAsync<IReadOnlyList<RagChunk>>(async (connection, ct) =>
        {
            await RequireCollectionsAsync(connection, [collectionId], "collectionId", ct).ConfigureAwait(false);
            var command = new NpgsqlCommand { Connection = connection };
            await using (command.ConfigureAwait(false))
            {
                var condition = ChunkFilterSql.Translate(filter, command.Parameters);
                command.CommandText = $"""
                    SELECT {ChunkColumnsOfC}{(includeVectors ? ", c.embedding" : string.Empty)} FROM rag_chunks c
                    WHERE c.collection_id = @collection AND {condition}
                    ORDER BY c.id LIMIT @top OFFSET @skip
                    """;
                command.Parameters.AddWithValue("collection", collectionId);
                command.Parameters.AddWithValue("top", top);
                command.Parameters.AddWithValue("skip", skip);
                var chunks = new List<RagChunk>();
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        chunks.Add(ReadChunkRow(reader, includeVectors));
                    }
                }

                return chunks;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteChunksAsync(string collectionId, IReadOnlyList<string> chunkIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(chunkIds);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            await PostgresRagCollectionStore.LockAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            var documents = await ListAsync(connection, transaction,
                "DELETE FROM rag_chunks WHERE collection_id = @collection AND id = ANY(@ids) RETURNING document_id", reader => reader.GetString(0), ct,
                ("collection", collectionId), ("ids", chunkIds.Distinct(StringComparer.Ordinal).ToArray())).ConfigureAwait(false);
            if (documents.Count > 0)
            {
                await RecountAsync(connection, transaction, collectionId, [.. documents.Distinct(StringComparer.Ordinal)], -documents.Count, ct)
                    .ConfigureAwait(false);
            }

            return documents.Count;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> CountChunksAsync(string collectionId, MetadataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        return _database.ReadAsync(async (connection, ct) =>
        {
            var command = new NpgsqlCommand { Connection = connection };
            await using (command.ConfigureAwait(false))
            {
                var condition = ChunkFilterSql.Translate(filter, command.Parameters);
                command.CommandText = $"""
                    SELECT CASE WHEN EXISTS (SELECT 1 FROM rag_collections WHERE id = @collection)
                        THEN (SELECT count(*) FROM rag_chunks c WHERE c.collection_id = @collection AND {condition}) END
                    """;
                command.Parameters.AddWithValue("collection", collectionId);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long count ? count : throw RagRules.CollectionNotFound(collectionId);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChunkSearchHit>> SearchAsync(VectorSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RagRules.ValidateSearch(request.CollectionIds, request.K);
        await _database.EnsureVectorExtensionAsync(cancellationToken).ConfigureAwait(false);
        var hits = await _database.ReadAsync(async (connection, ct) =>
        {
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var dimensions = await RequireCollectionsAsync(connection, request.CollectionIds, "collectionIds", ct).ConfigureAwait(false);
                foreach (var stored in dimensions.Distinct())
                {
                    RagRules.CheckVector(request.Vector.Span, stored, "vector");
                }

                var query = VectorMath.Normalized(request.Vector.Span);
                var ef = Math.Clamp(2 * request.K, MinEfSearch, 1_000).ToString(CultureInfo.InvariantCulture);
                await ExecuteAsync(connection, transaction,
                    "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', @ef, true)", ct, ("ef", ef))
                    .ConfigureAwait(false);
                var found = await NearestAsync(connection, transaction, request, query, exact: false, ct).ConfigureAwait(false);
                if (found.Count < request.K)
                {
                    found = await NearestAsync(connection, transaction, request, query, exact: true, ct).ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return found;
            }
        }, cancellationToken).ConfigureAwait(false);
        return request.MinScore is { } minScore ? [.. hits.Where(hit => hit.Score >= minScore)] : hits;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChunkSearchHit>> KeywordSearchAsync(KeywordSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RagRules.ValidateSearch(request.CollectionIds, request.K);
        var tsquery = TsQueryRenderer.Render(SearchQuerySyntax.Parse(request.Query));
        return _database.ReadAsync<IReadOnlyList<ChunkSearchHit>>(async (connection, ct) =>
        {
            await RequireCollectionsAsync(connection, request.CollectionIds, "collectionIds", ct).ConfigureAwait(false);
            var command = new NpgsqlCommand { Connection = connection };
            await using (command.ConfigureAwait(false))
            {
                var condition = ChunkFilterSql.Translate(request.Filter, command.Parameters, "m");

                // The window takes the matches' keys only; ts_rank_cd, which reads each tsvector, runs on the window.
                command.CommandText = $"""
                    SELECT {ChunkColumnsOfC}, ts_rank_cd(c.search, {tsquery.Sql}, 1) AS rank, d.name
                    FROM (SELECT m.collection_id, m.id FROM rag_chunks m
                          WHERE m.collection_id = ANY(@collections) AND m.search @@ {tsquery.Sql} AND {condition}
                          ORDER BY m.id DESC LIMIT @window) w
                    JOIN rag_chunks c ON c.collection_id = w.collection_id AND c.id = w.id
                    JOIN rag_documents d ON d.id = c.document_id
                    ORDER BY rank DESC, c.id, c.collection_id
                    LIMIT @k
                    """;
                command.Parameters.AddWithValue("collections", request.CollectionIds.ToArray());
                command.Parameters.AddWithValue("window", _keywordCandidateLimit);
                command.Parameters.AddWithValue("k", request.K);
                if (tsquery.Web is not null)
                {
                    command.Parameters.AddWithValue("web", tsquery.Web);
                }

                if (tsquery.Prefix is not null)
                {
                    command.Parameters.AddWithValue("prefix", tsquery.Prefix);
                }

                return await ReadHitsAsync(command, static score => score, ct).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    // The k nearest matching chunks in exact distance order: through the index (iterative scan, then re-ordered), or exactly.
    private static async Task<List<ChunkSearchHit>> NearestAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, VectorSearchRequest request, float[] query, bool exact, CancellationToken cancellationToken)
    {
        var dimensions = query.Length;
        var distance = $"{HnswIndexes.Embedding(dimensions, "c")} <=> @query::real[]::vector({dimensions.ToString(CultureInfo.InvariantCulture)})";
        var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        await using (command.ConfigureAwait(false))
        {
            var condition = ChunkFilterSql.Translate(request.Filter, command.Parameters);

            // "+ 0" and the second key keep the exact search off the index's approximate order.
            command.CommandText = $"""
                WITH nearest AS MATERIALIZED (
                    SELECT {ChunkColumnsOfC}, {distance} AS distance
                    FROM rag_chunks c
                    WHERE c.dimensions = {dimensions.ToString(CultureInfo.InvariantCulture)} AND c.collection_id = ANY(@collections) AND {condition}
                    ORDER BY {(exact ? $"({distance}) + 0, c.id, c.collection_id" : "distance")}
                    LIMIT @k)
                SELECT n.*, d.name FROM nearest n JOIN rag_documents d ON d.id = n.document_id
                ORDER BY n.distance, n.id, n.collection_id
                """;
            command.Parameters.AddWithValue("query", query);
            command.Parameters.AddWithValue("collections", request.CollectionIds.ToArray());
            command.Parameters.AddWithValue("k", request.K);
            return await ReadHitsAsync(command, static distance => 1 - distance, cancellationToken).ConfigureAwait(false);
        }
    }

    // A row of ChunkColumns, and the embedding after them when it was selected.
    private static RagChunk ReadChunkRow(DbDataReader reader, bool withVector) =>
        ReadChunk(reader, withVector ? reader.GetFieldValue<float[]>(ChunkColumnCount) : (ReadOnlyMemory<float>?)null);

    // Rows of ChunkColumns, then the raw score, then the document's name.
    private static async Task<List<ChunkSearchHit>> ReadHitsAsync(NpgsqlCommand command, Func<double, double> score, CancellationToken cancellationToken)
    {
        var hits = new List<ChunkSearchHit>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                hits.Add(new ChunkSearchHit(ReadChunk(reader), reader.GetString(ChunkColumnCount + 1), score(Convert.ToDouble(reader.GetValue(ChunkColumnCount), CultureInfo.InvariantCulture))));
            }
        }

        return hits;
    }

    // The dimensions of each collection asked for, or collection_not_found for the first that does not exist.
    private static async Task<List<int>> RequireCollectionsAsync(
        NpgsqlConnection connection, IReadOnlyList<string> collectionIds, string field, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, null, "SELECT id, dimensions FROM rag_collections WHERE id = ANY(@ids)",
            reader => (Id: reader.GetString(0), Dimensions: reader.GetInt32(1)), cancellationToken, ("ids", collectionIds.ToArray())).ConfigureAwait(false);
        var byId = rows.ToDictionary(row => row.Id, row => row.Dimensions, StringComparer.Ordinal);
        return [.. collectionIds.Select(id => byId.TryGetValue(id, out var dimensions) ? dimensions : throw RagRules.CollectionNotFound(id, field))];
    }

    private static async Task<Dictionary<string, string>> DocumentMetadataAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string collectionId, string[] documentIds, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction,
            "SELECT id, metadata::text FROM rag_documents WHERE collection_id = @collection AND id = ANY(@ids) FOR KEY SHARE",
            reader => (Id: reader.GetString(0), Metadata: reader.GetString(1)), cancellationToken,
            ("collection", collectionId), ("ids", documentIds)).ConfigureAwait(false);
        return rows.ToDictionary(row => row.Id, row => row.Metadata, StringComparer.Ordinal);
    }

    // The chunk counts of the documents whose chunks changed, and the collection's by how many chunks it gained.
    private async Task RecountAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string collectionId, string[] documentIds, int gained, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction,
            "UPDATE rag_documents d SET chunk_count = (SELECT count(*) FROM rag_chunks c WHERE c.document_id = d.id) WHERE d.id = ANY(@ids)",
            cancellationToken, ("ids", documentIds.Distinct(StringComparer.Ordinal).ToArray())).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "UPDATE rag_collections SET chunk_count = chunk_count + @gained, updated_at = greatest(updated_at, @now) WHERE id = @id", cancellationToken,
            ("id", collectionId), ("gained", (long)gained), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
    }
}
