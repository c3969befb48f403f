using System.Data.Common;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;
using static Gateway.Storage.Sqlite.Profiles.ProfileRows;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// <see cref="IRagCollectionStore"/> on SQLite. Every write is one <c>BEGIN IMMEDIATE</c> transaction (see
/// <see cref="SqliteDatabase"/>): a document's old chunks, vectors and keyword entries are replaced with its
/// new ones all or nothing, and deleting a collection or a document takes its chunks with it (by
/// <c>ON DELETE CASCADE</c>; triggers keep the keyword index and the counts in step). Names are unique by
/// <see cref="ModelProfileRules.NameKey"/>, enforced by the UNIQUE index on <c>name_key</c>. Every change to
/// chunks is handed, after its commit, to the database's <see cref="CollectionVectorMirrors"/>, so searches
/// in this process see it without reloading the collection.
/// </summary>
public sealed class SqliteRagCollectionStore : IRagCollectionStore
{
    private const string InsertCollection = """
        INSERT INTO rag_collections (id, name, name_key, description, space_id, embedding_model, dimensions, created_at, updated_at)
        VALUES ($id, $name, $nameKey, $description, $space, $model, $dimensions, $now, $now)
        """;

    private const string UpdateCollection = """
        UPDATE rag_collections SET
            name = $name, name_key = $nameKey, description = $description, space_id = $space, embedding_model = $model,
            dimensions = $dimensions, updated_at = $now
        WHERE id = $id
        """;

    private const string InsertDocument = """
        INSERT INTO rag_documents (id, collection_id, name, content_hash, metadata, character_count, created_at, updated_at)
        VALUES ($id, $collection, $name, $hash, $metadata, $characters, $now, $now)
        """;

    private const string ReplaceDocument = """
        UPDATE rag_documents SET content_hash = $hash, metadata = $metadata, character_count = $characters, updated_at = $now WHERE id = $id
        """;

    private const string TouchCollection = "UPDATE rag_collections SET updated_at = $now WHERE id = $id";

    private const string InsertText = "INSERT INTO rag_document_texts (document_id, text_utf16) VALUES ($id, zeroblob($bytes)) RETURNING rowid";

    // The swap gives each chunk its pending vector; only the vector-version trigger fires (migration 10), not the keyword one.
    private static readonly ReembeddingEngine Reembedding = new(
        LockRow: string.Empty,
        StoreTime: static value => FormatTime(value),
        ReadTime: ReadTime,
        StoreVector: static vector => VectorBlob.Encode(vector),
        SwapVectors: """
            UPDATE rag_chunks SET vector = p.vector FROM rag_pending_vectors p
            WHERE rag_chunks.collection_id = @collection AND p.collection_id = rag_chunks.collection_id AND p.chunk_id = rag_chunks.id
            """);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly RagReads _reads;
    private readonly RelationalReembeddings _reembeddings;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public SqliteRagCollectionStore(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        _reads = SqliteRagReads.Create(database);
        _reembeddings = new RelationalReembeddings(database.Reads, database.Writes, _reads, Reembedding, _time);
    }

    /// <inheritdoc />
    public Task<RagCollection> CreateCollectionAsync(RagCollectionDefinition definition, CancellationToken cancellationToken = default)
    {
        RagRules.Validate(definition);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = SortableId.Create(_time);
            await WriteCollectionAsync(connection, transaction, InsertCollection, id, definition, ct).ConfigureAwait(false);
            return await _reads.RequireCollectionAsync(connection, transaction, id, ct).ConfigureAwait(false);
        }, cancellationToken);
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
    public Task<RagCollection?> UpdateCollectionAsync(string collectionId, RagCollectionDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        RagRules.Validate(definition);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await _reads.FindCollectionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false) is not { } current)
            {
                return null;
            }

            var changesModel = !string.Equals(current.EmbeddingModel, definition.EmbeddingModel, StringComparison.OrdinalIgnoreCase)
                || current.Dimensions != definition.Dimensions;
            if (changesModel && current.DocumentCount > 0)
            {
                throw RagRules.EmbeddingModelLocked(current);
            }

            await WriteCollectionAsync(connection, transaction, UpdateCollection, collectionId, definition, ct).ConfigureAwait(false);
            return await _reads.FindCollectionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);

        // Documents, chunks and space links go by ON DELETE CASCADE, keyword entries by the rag_chunks_delete trigger.
        var deleted = await _database.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, "DELETE FROM rag_collections WHERE id = $id", ct, ("$id", collectionId)).ConfigureAwait(false) > 0,
            cancellationToken).ConfigureAwait(false);
        _database.VectorMirrors.Forget(collectionId);
        return deleted;
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
    /// <remarks>After the swap commits, this process's in-memory mirror of the collection is dropped (loaded again, with the new dimensions, by the next search) and its HNSW index is rebuilt.</remarks>
    public async Task<RagReembeddingSwap> SwapReembeddingAsync(string collectionId, string jobId, CancellationToken cancellationToken = default)
    {
        var swap = await _reembeddings.SwapAsync(collectionId, jobId, cancellationToken).ConfigureAwait(false);
        if (swap.Swapped)
        {
            _database.VectorMirrors.Invalidate(collectionId);
        }

        return swap;
    }

    /// <inheritdoc />
    public Task<bool> CancelReembeddingAsync(string collectionId, string jobId, CancellationToken cancellationToken = default) =>
        _reembeddings.CancelAsync(collectionId, jobId, cancellationToken);

    /// <inheritdoc />
    public async Task<RagDocumentWriteResult> WriteDocumentAsync(string collectionId, RagDocumentWrite document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(document);
        var (result, change) = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var collection = await _reads.RequireCollectionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            RagRules.Validate(document, collection.Dimensions);
            var existing = await _reads.FindDocumentByNameAsync(connection, transaction, collectionId, document.Name, ct).ConfigureAwait(false);
            if (existing is not null && existing.ContentHash == document.ContentHash)
            {
                return (new RagDocumentWriteResult(existing, RagDocumentWriteOutcome.Unchanged), (MirrorChange?)null);
            }

            var before = await VectorVersionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            var now = FormatTime(_time.GetUtcNow());
            var metadata = MetadataText(document.Metadata);
            var documentId = existing?.Id ?? SortableId.Create(_time);
            if (existing is null)
            {
                await ExecuteAsync(connection, transaction, InsertDocument, ct,
                    ("$id", documentId), ("$collection", collectionId), ("$name", document.Name), ("$hash", document.ContentHash),
                    ("$metadata", metadata), ("$characters", document.CharacterCount), ("$now", now)).ConfigureAwait(false);
            }
            else
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM rag_chunks WHERE document_id = $id", ct, ("$id", documentId)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "DELETE FROM rag_document_texts WHERE document_id = $id", ct, ("$id", documentId)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, ReplaceDocument, ct,
                    ("$id", documentId), ("$hash", document.ContentHash), ("$metadata", metadata), ("$characters", document.CharacterCount), ("$now", now))
                    .ConfigureAwait(false);
            }

            var rows = new List<MirrorRow>(document.Chunks.Count);
            var writer = new ChunkRowWriter(connection, transaction, collectionId);
            await using (writer.ConfigureAwait(false))
            {
                for (var ordinal = 0; ordinal < document.Chunks.Count; ordinal++)
                {
                    var chunk = document.Chunks[ordinal];
                    var chunkId = SortableId.Create(_time);
                    var vector = await writer.WriteAsync(chunkId, documentId, ordinal, chunk.Text, chunk.Citation, metadata, chunk.Vector, ct).ConfigureAwait(false);
                    rows.Add(new MirrorRow(chunkId, documentId, metadata, vector));
                }
            }

            if (document.Text is { } text)
            {
                await WriteTextAsync(connection, transaction, documentId, text, ct).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, TouchCollection, ct, ("$id", collectionId), ("$now", now)).ConfigureAwait(false);
            var after = await VectorVersionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            var stored = await _reads.FindDocumentAsync(connection, transaction, collectionId, documentId, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The document just written could not be read back.");
            var removed = existing is null ? [] : new[] { documentId };
            return (
                new RagDocumentWriteResult(stored, existing is null ? RagDocumentWriteOutcome.Created : RagDocumentWriteOutcome.Replaced),
                new MirrorChange(before, after, removed, [], rows));
        }, cancellationToken).ConfigureAwait(false);

        if (change is not null)
        {
            _database.VectorMirrors.Apply(collectionId, change);
        }

        return result;
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
    public async Task<bool> DeleteDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(documentId);
        var change = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var before = await VectorVersionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);

            // Its chunks go by ON DELETE CASCADE, their keyword entries and the counts by triggers.
            if (await ExecuteAsync(connection, transaction, "DELETE FROM rag_documents WHERE id = $id AND collection_id = $collection", ct,
                ("$id", documentId), ("$collection", collectionId)).ConfigureAwait(false) == 0)
            {
                return null;
            }

            await ExecuteAsync(connection, transaction, TouchCollection, ct, ("$id", collectionId), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
            var after = await VectorVersionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            return new MirrorChange(before, after, [documentId], [], []);
        }, cancellationToken).ConfigureAwait(false);

        if (change is null)
        {
            return false;
        }

        _database.VectorMirrors.Apply(collectionId, change);
        return true;
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
            await RequireSpaceAsync(connection, transaction, spaceId, ct).ConfigureAwait(false);
            await _reads.RequireCollectionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            return await ExecuteAsync(connection, transaction,
                "INSERT INTO space_collections (space_id, collection_id) VALUES ($space, $collection) ON CONFLICT DO NOTHING", ct,
                ("$space", spaceId), ("$collection", collectionId)).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UnlinkCollectionAsync(string spaceId, string collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        ArgumentNullException.ThrowIfNull(collectionId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, "DELETE FROM space_collections WHERE space_id = $space AND collection_id = $collection", ct,
                ("$space", spaceId), ("$collection", collectionId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RagCollection>> ListSpaceCollectionsAsync(string spaceId, CancellationToken cancellationToken = default) =>
        _reads.ListSpaceCollectionsAsync(spaceId, cancellationToken);

    /// <summary>The collection's <c>vector_version</c>, raised by every change to its chunks; 0 when it does not exist.</summary>
    internal static async Task<long> VectorVersionAsync(DbConnection connection, DbTransaction transaction, string collectionId, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, transaction, "SELECT vector_version FROM rag_collections WHERE id = $id", cancellationToken, ("$id", collectionId))
            .ConfigureAwait(false) as long? ?? 0;

    // The row is made with a blob of the text's size, then filled through incremental blob I/O a buffer at a time.
    private static async Task WriteTextAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, string text, CancellationToken cancellationToken)
    {
        using var source = new Utf16TextStream(text);
        var rowid = (long)(await ScalarAsync(connection, transaction, InsertText, cancellationToken, ("$id", documentId), ("$bytes", source.Length)).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The text row just inserted has no rowid."));
        using var blob = new SqliteBlob(connection, "rag_document_texts", "text_utf16", rowid);
        await source.CopyToAsync(blob, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RequireSpaceAsync(SqliteConnection connection, SqliteTransaction transaction, string spaceId, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, transaction, "SELECT 1 FROM spaces WHERE id = $id", cancellationToken, ("$id", spaceId)).ConfigureAwait(false) is null)
        {
            throw SpaceRules.SpaceNotFound(spaceId);
        }
    }

    // Runs the INSERT or UPDATE (of a collection that exists) with every field of the definition.
    private async Task WriteCollectionAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, string id, RagCollectionDefinition definition, CancellationToken cancellationToken)
    {
        if (definition.SpaceId is { } spaceId)
        {
            await RequireSpaceAsync(connection, transaction, spaceId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await ExecuteAsync(connection, transaction, sql, cancellationToken,
                ("$id", id), ("$name", definition.Name), ("$nameKey", ModelProfileRules.NameKey(definition.Name)),
                ("$description", definition.Description), ("$space", definition.SpaceId), ("$model", definition.EmbeddingModel),
                ("$dimensions", definition.Dimensions), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
        }
        catch (SqliteException error) when (IsUniqueViolation(error, "rag_collections.name_key"))
        {
            throw RagRules.NameTaken(definition.Name);
        }
    }
}
