using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Postgres.Rag.Internal;
using Gateway.Storage.Relational;
using Npgsql;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;
using static Gateway.Storage.Postgres.Profiles.ProfileRows;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.RagRows;

namespace Gateway.Storage.Postgres.Rag;

/// <summary>
/// <see cref="IRagCollectionStore"/> on PostgreSQL, safe for many gateway replicas on one database. Every
/// write that changes a collection's documents or chunks locks the collection's row first
/// (<c>FOR NO KEY UPDATE</c>), so writers from any replica take turns per collection: two writes of one
/// document name cannot both create it, a replace swaps the old chunks for the new ones in one
/// transaction keeping the document id, and the document and chunk counts kept on the rows stay exact.
/// Deleting a collection or a document removes its chunks by <c>ON DELETE CASCADE</c>; a chunk's vector
/// and keyword entry are columns of its row, so they go in the same transaction. Creating the first
/// collection of a dimension count makes that count's HNSW index first (concurrently, so writers of other
/// collections go on meanwhile; see <see cref="PostgresVectorStore"/> and ADR 0019), which needs pgvector: without it, creating a collection is <c>not_ready</c> with the fix. Nothing is
/// cached in the process, so every replica reads what the others wrote.
/// </summary>
public sealed class PostgresRagCollectionStore : IRagCollectionStore
{
    private const string NameUnique = "rag_collections_name_unique";

    private const string InsertCollection = $"""
        INSERT INTO rag_collections (id, name, name_key, description, space_id, embedding_model, dimensions, created_at, updated_at)
        VALUES (@id, @name, @nameKey, @description::text, @space::text, @model, @dimensions, @now, @now)
        RETURNING {CollectionColumns}
        """;

    // greatest(): replicas' clocks differ a little; updated_at never moves backwards.
    private const string UpdateCollection = $"""
        UPDATE rag_collections SET
            name = @name, name_key = @nameKey, description = @description::text, space_id = @space::text, embedding_model = @model,
            dimensions = @dimensions, updated_at = greatest(updated_at, @now)
        WHERE id = @id
        RETURNING {CollectionColumns}
        """;

    private const string LockCollection = "SELECT dimensions FROM rag_collections WHERE id = @id FOR NO KEY UPDATE";

    private const string InsertDocument = """
        INSERT INTO rag_documents (id, collection_id, name, content_hash, metadata, chunk_count, character_count, created_at, updated_at)
        VALUES (@id, @collection, @name, @hash, @metadata::jsonb, @chunks, @characters, @now, @now)
        """;

    private const string ReplaceDocument = """
        UPDATE rag_documents SET content_hash = @hash, metadata = @metadata::jsonb, chunk_count = @chunks, character_count = @characters,
            updated_at = greatest(updated_at, @now)
        WHERE id = @id
        """;

    private const string InsertText = "INSERT INTO rag_document_texts (document_id, text_utf16) VALUES (@id, @text)";

    private const string CountDocumentWrite = """
        UPDATE rag_collections SET document_count = document_count + @documents, chunk_count = chunk_count + @chunks,
            updated_at = greatest(updated_at, @now)
        WHERE id = @id
        """;

    // The swap gives each chunk its pending vector and dimension count, which moves it to that count's partial HNSW index.
    private static readonly ReembeddingEngine Reembedding = new(
        LockRow: "FOR NO KEY UPDATE",
        StoreTime: static value => ToStored(value),
        ReadTime: ReadTime,
        StoreVector: static vector => vector,
        SwapVectors: """
            UPDATE rag_chunks c SET embedding = p.vector, dimensions = @dimensions FROM rag_pending_vectors p
            WHERE c.collection_id = @collection AND p.collection_id = c.collection_id AND p.chunk_id = c.id
            """);

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly RagReads _reads;
    private readonly RelationalReembeddings _reembeddings;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public PostgresRagCollectionStore(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        _reads = PostgresRagReads.Create(database);
        _reembeddings = new RelationalReembeddings(database.Reads, database.Writes, _reads, Reembedding, _time);
    }

    /// <inheritdoc />
    public async Task<RagCollection> CreateCollectionAsync(RagCollectionDefinition definition, CancellationToken cancellationToken = default)
    {
        RagRules.Validate(definition);
        await _database.EnsureVectorExtensionAsync(cancellationToken).ConfigureAwait(false);
        await HnswIndexes.EnsureAsync(_database, definition.Dimensions, cancellationToken).ConfigureAwait(false);
        return await _database.WriteAsync(
            (connection, transaction, ct) => WriteCollectionAsync(connection, transaction, InsertCollection, SortableId.Create(_time), definition, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<RagCollection?> GetCollectionAsync(string collectionId, CancellationToken cancellationToken = default) =>
        _reads.GetCollectionAsync(collectionId, cancellationToken);

    /// <inheritdoc />
    public Task<RagCollection?> FindCollectionByNameAsync(string name, CancellationToken cancellationToken = default) =>
        _reads.FindCollectionByNameAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<RagCollection>> ListCollectionsAsync(RagCollectionQuery query, CancellationToken cancellationToken = default) =>
        _reads.ListCollectionsAsync(query, cancellationToken);

    /// <inheritdoc />
    public async Task<RagCollection?> UpdateCollectionAsync(string collectionId, RagCollectionDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        RagRules.Validate(definition);
        await _database.EnsureVectorExtensionAsync(cancellationToken).ConfigureAwait(false);

        // Built before the transaction, which a concurrent build cannot run in; only for an empty collection taking
        // new dimensions (one with documents is refused below). Every dimension count a collection ever had has its index.
        if (await _reads.GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false) is { DocumentCount: 0 } before
            && before.Dimensions != definition.Dimensions)
        {
            await HnswIndexes.EnsureAsync(_database, definition.Dimensions, cancellationToken).ConfigureAwait(false);
        }

        return await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, LockCollection, ct, ("id", collectionId)).ConfigureAwait(false) is null
                || await _reads.FindCollectionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false) is not { } current)
            {
                return null;
            }

            var changesModel = !string.Equals(current.EmbeddingModel, definition.EmbeddingModel, StringComparison.OrdinalIgnoreCase)
                || current.Dimensions != definition.Dimensions;
            if (changesModel && current.DocumentCount > 0)
            {
                throw RagRules.EmbeddingModelLocked(current);
            }

            return await WriteCollectionAsync(connection, transaction, UpdateCollection, collectionId, definition, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);

        // Documents, chunks (their vectors and keyword entries are columns) and space links go by ON DELETE CASCADE.
        return _database.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, "DELETE FROM rag_collections WHERE id = @id", ct, ("id", collectionId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RagReembedding> BeginReembeddingAsync(string collectionId, RagReembeddingDefinition definition, CancellationToken cancellationToken = default) =>
        _reembeddings.BeginAsync(collectionId, definition, cancellationToken);

    /// <inheritdoc />
    public Task<RagReembedding?> GetReembeddingAsync(string collectionId, CancellationToken cancellationToken = default) =>
        _reembeddings.GetAsync(collectionId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RagChunk>> ListChunksToReembedAsync(
        string collectionId, string jobId, string? afterChunkId, int limit, CancellationToken cancellationToken = default) =>
        _reembeddings.ListToReembedAsync(collectionId, jobId, afterChunkId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<int> WritePendingVectorsAsync(string collectionId, string jobId, IReadOnlyList<PendingChunkVector> vectors, CancellationToken cancellationToken = default) =>
        _reembeddings.WritePendingAsync(collectionId, jobId, vectors, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The HNSW index of the new dimension count is made first when there is none (concurrently, outside the swap's
    /// transaction, as for a new collection), so searches go through an index as soon as the swap commits.
    /// </remarks>
    public async Task<RagReembeddingSwap> SwapReembeddingAsync(string collectionId, string jobId, CancellationToken cancellationToken = default)
    {
        if (await _reembeddings.GetAsync(collectionId, cancellationToken).ConfigureAwait(false) is { } reembedding && reembedding.JobId == jobId)
        {
            await _database.EnsureVectorExtensionAsync(cancellationToken).ConfigureAwait(false);
            await HnswIndexes.EnsureAsync(_database, reembedding.Dimensions, cancellationToken).ConfigureAwait(false);
        }

        return await _reembeddings.SwapAsync(collectionId, jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> CancelReembeddingAsync(string collectionId, string jobId, CancellationToken cancellationToken = default) =>
        _reembeddings.CancelAsync(collectionId, jobId, cancellationToken);

    /// <inheritdoc />
    public Task<RagDocumentWriteResult> WriteDocumentAsync(string collectionId, RagDocumentWrite document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(document);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var dimensions = await LockAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            RagRules.Validate(document, dimensions);
            var metadata = StorableMetadataText(document.Metadata);
            var existing = await _reads.FindDocumentByNameAsync(connection, transaction, collectionId, document.Name, ct).ConfigureAwait(false);
            if (existing is not null && existing.ContentHash == document.ContentHash)
            {
                return new RagDocumentWriteResult(existing, RagDocumentWriteOutcome.Unchanged);
            }

            var now = ToStored(_time.GetUtcNow());
            var documentId = existing?.Id ?? SortableId.Create(_time);
            (string, object?)[] fields =
            [
                ("id", documentId), ("collection", collectionId), ("name", document.Name), ("hash", document.ContentHash), ("metadata", metadata),
                ("chunks", document.Chunks.Count), ("characters", document.CharacterCount), ("now", now),
            ];
            if (existing is null)
            {
                await ExecuteAsync(connection, transaction, InsertDocument, ct, fields).ConfigureAwait(false);
            }
            else
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM rag_chunks WHERE document_id = @id", ct, ("id", documentId)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "DELETE FROM rag_document_texts WHERE document_id = @id", ct, ("id", documentId)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, ReplaceDocument, ct, fields).ConfigureAwait(false);
            }

            var writer = new ChunkRowWriter(collectionId, dimensions);
            var dates = MetadataDates.Of(ConversationStoreRules.ParseMetadata(metadata));
            for (var ordinal = 0; ordinal < document.Chunks.Count; ordinal++)
            {
                var chunk = document.Chunks[ordinal];
                writer.Add(SortableId.Create(_time), documentId, ordinal, chunk.Text, chunk.Citation, metadata, dates, chunk.Vector.Span);
            }

            await writer.WriteAsync(connection, transaction, ct).ConfigureAwait(false);
            if (document.Text is { } text)
            {
                await WriteTextAsync(connection, transaction, documentId, text, ct).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, CountDocumentWrite, ct,
                ("id", collectionId), ("documents", existing is null ? 1L : 0L), ("chunks", (long)(document.Chunks.Count - (existing?.ChunkCount ?? 0))), ("now", now))
                .ConfigureAwait(false);
            var stored = await _reads.FindDocumentAsync(connection, transaction, collectionId, documentId, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The document just written could not be read back.");
            return new RagDocumentWriteResult(stored, existing is null ? RagDocumentWriteOutcome.Created : RagDocumentWriteOutcome.Replaced);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RagDocument?> GetDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken = default) =>
        _reads.GetDocumentAsync(collectionId, documentId, cancellationToken);

    /// <inheritdoc />
    public Task<RagDocument?> FindDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
        _reads.FindDocumentAsync(documentId, cancellationToken);

    /// <inheritdoc />
    public Task<RagDocumentText?> ReadDocumentTextAsync(string documentId, int start = 0, int? end = null, CancellationToken cancellationToken = default) =>
        _reads.ReadDocumentTextAsync(documentId, start, end, cancellationToken);

    /// <inheritdoc />
    public Task<RagDocument?> FindDocumentByNameAsync(string collectionId, string name, CancellationToken cancellationToken = default) =>
        _reads.FindDocumentByNameAsync(collectionId, name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<RagDocument>> ListDocumentsAsync(string collectionId, RagDocumentQuery query, CancellationToken cancellationToken = default) =>
        _reads.ListDocumentsAsync(collectionId, query, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(documentId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, LockCollection, ct, ("id", collectionId)).ConfigureAwait(false) is null)
            {
                return false;
            }

            // Its chunks go by ON DELETE CASCADE.
            if (await ScalarAsync(connection, transaction, "DELETE FROM rag_documents WHERE id = @id AND collection_id = @collection RETURNING chunk_count", ct,
                ("id", documentId), ("collection", collectionId)).ConfigureAwait(false) is not int chunks)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, CountDocumentWrite, ct,
                ("id", collectionId), ("documents", -1L), ("chunks", -(long)chunks), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RagChunk>> ListDocumentChunksAsync(string collectionId, string documentId, CancellationToken cancellationToken = default) =>
        _reads.ListDocumentChunksAsync(collectionId, documentId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> LinkCollectionAsync(string spaceId, string collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        ArgumentNullException.ThrowIfNull(collectionId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            // Both rows held against a concurrent delete until the link commits (which then takes the link with it).
            await HoldSpaceAsync(connection, transaction, spaceId, ct).ConfigureAwait(false);
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM rag_collections WHERE id = @id FOR KEY SHARE", ct, ("id", collectionId))
                .ConfigureAwait(false) is null)
            {
                throw RagRules.CollectionNotFound(collectionId);
            }

            return await ExecuteAsync(connection, transaction,
                "INSERT INTO space_collections (space_id, collection_id) VALUES (@space, @collection) ON CONFLICT DO NOTHING", ct,
                ("space", spaceId), ("collection", collectionId)).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UnlinkCollectionAsync(string spaceId, string collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        ArgumentNullException.ThrowIfNull(collectionId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, "DELETE FROM space_collections WHERE space_id = @space AND collection_id = @collection", ct,
                ("space", spaceId), ("collection", collectionId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RagCollection>> ListSpaceCollectionsAsync(string spaceId, CancellationToken cancellationToken = default) =>
        _reads.ListSpaceCollectionsAsync(spaceId, cancellationToken);

    /// <summary>Locks the collection's row for a change to its documents or chunks; returns its dimensions, or <see cref="RagRules.CollectionNotFound"/>.</summary>
    internal static async Task<int> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string collectionId, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, transaction, LockCollection, cancellationToken, ("id", collectionId)).ConfigureAwait(false) is int dimensions
            ? dimensions
            : throw RagRules.CollectionNotFound(collectionId);

    // Npgsql sends the stream's bytes a buffer at a time: the text is not copied whole on its way to the server.
    private static async Task WriteTextAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string documentId, string text, CancellationToken cancellationToken)
    {
        using var source = new Utf16TextStream(text);
        var command = new NpgsqlCommand(InsertText, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("id", documentId);
            command.Parameters.Add(new NpgsqlParameter("text", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = source });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task HoldSpaceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string spaceId, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, transaction, "SELECT 1 FROM spaces WHERE id = @id FOR KEY SHARE", cancellationToken, ("id", spaceId))
            .ConfigureAwait(false) is null)
        {
            throw SpaceRules.SpaceNotFound(spaceId);
        }
    }

    // Runs the INSERT or UPDATE (of a collection that exists and is locked) with every field of the definition.
    private async Task<RagCollection> WriteCollectionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string id, RagCollectionDefinition definition, CancellationToken cancellationToken)
    {
        if (definition.SpaceId is { } spaceId)
        {
            await HoldSpaceAsync(connection, transaction, spaceId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var rows = await ListAsync(connection, transaction, sql, reader => ReadCollection(reader, ReadTime), cancellationToken,
                ("id", id), ("name", definition.Name), ("nameKey", ModelProfileRules.NameKey(definition.Name)),
                ("description", definition.Description), ("space", definition.SpaceId), ("model", definition.EmbeddingModel),
                ("dimensions", definition.Dimensions), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return rows[0];
        }
        catch (PostgresException error) when (IsUniqueViolation(error, NameUnique))
        {
            throw RagRules.NameTaken(definition.Name);
        }
    }
}
