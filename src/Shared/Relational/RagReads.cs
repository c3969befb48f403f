using System.Data.Common;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.RagRows;

namespace Gateway.Storage.Relational;

/// <summary>
/// The reads of <see cref="IRagCollectionStore"/> that are the same SQL on both engines: collections by
/// id, pages of them, a space's collections, documents and their chunks. A read of several statements
/// runs in one snapshot, so an existence check and the rows agree. Each engine passes how it reads an
/// instant back and how it begins a snapshot.
/// </summary>
internal sealed class RagReads(
    IConnectionReads database,
    StoredRows.TimeReader readTime,
    Func<DbConnection, CancellationToken, ValueTask<DbTransaction>> beginSnapshot,
    RagReads.TextSliceReader readTextSlice)
{
    private const string CollectionById = $"SELECT {CollectionColumns} FROM rag_collections WHERE id = @id";

    private const string CollectionByNameKey = $"SELECT {CollectionColumns} FROM rag_collections WHERE name_key = @nameKey";

    private const string CollectionPage = $"SELECT {CollectionColumns} FROM rag_collections WHERE id > @after ORDER BY id LIMIT @take";

    private const string OwnedCollectionPage =
        $"SELECT {CollectionColumns} FROM rag_collections WHERE space_id = @space AND id > @after ORDER BY id LIMIT @take";

    private const string SpaceCollections = $"""
        SELECT {CollectionColumns} FROM rag_collections
        WHERE space_id = @space OR id IN (SELECT collection_id FROM space_collections WHERE space_id = @space)
        ORDER BY id
        """;

    private const string DocumentById = $"SELECT {DocumentColumns} FROM rag_documents WHERE collection_id = @collection AND id = @id";

    private const string DocumentAnywhere = $"SELECT {DocumentColumns} FROM rag_documents WHERE id = @id";

    // length() of a stored blob is its size in the row header on both engines: the text itself is not read.
    private const string DocumentWithTextLength = $"""
        SELECT {DocumentColumns}, CAST(length(t.text_utf16) AS bigint) FROM rag_documents
        LEFT JOIN rag_document_texts t ON t.document_id = rag_documents.id
        WHERE rag_documents.id = @id
        """;

    private const string DocumentByName = $"SELECT {DocumentColumns} FROM rag_documents WHERE collection_id = @collection AND name = @name";

    private const string DocumentPage =
        $"SELECT {DocumentColumns} FROM rag_documents WHERE collection_id = @collection AND id > @after ORDER BY id LIMIT @take";

    private const string DocumentChunks = $"SELECT {ChunkColumns} FROM rag_chunks WHERE document_id = @document ORDER BY ordinal, id";

    public Task<RagCollection?> GetCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        return database.ReadAsync((connection, ct) => FindCollectionAsync(connection, null, collectionId, ct), cancellationToken);
    }

    /// <summary>The collection, or <see langword="null"/>; inside <paramref name="transaction"/> when one is given.</summary>
    public async Task<RagCollection?> FindCollectionAsync(
        DbConnection connection, DbTransaction? transaction, string collectionId, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, CollectionById, ReadCollection, cancellationToken, ("@id", collectionId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The collection whose name folds to the same <see cref="ModelProfileRules.NameKey"/>, or <see langword="null"/>; a name no collection could have is <see langword="null"/>.</summary>
    public Task<RagCollection?> FindCollectionByNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ModelProfileRules.IsValidName(name)
            ? database.ReadAsync(async (connection, ct) =>
            {
                var rows = await ListAsync(connection, null, CollectionByNameKey, ReadCollection, ct, ("@nameKey", ModelProfileRules.NameKey(name)))
                    .ConfigureAwait(false);
                return rows.Count == 0 ? null : rows[0];
            }, cancellationToken)
            : Task.FromResult<RagCollection?>(null);
    }

    /// <summary>The collection, or <see cref="RagRules.CollectionNotFound"/>.</summary>
    public async Task<RagCollection> RequireCollectionAsync(
        DbConnection connection, DbTransaction? transaction, string collectionId, CancellationToken cancellationToken) =>
        await FindCollectionAsync(connection, transaction, collectionId, cancellationToken).ConfigureAwait(false)
            ?? throw RagRules.CollectionNotFound(collectionId);

    public Task<Page<RagCollection>> ListCollectionsAsync(RagCollectionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        var after = query.Cursor is null ? string.Empty : StoreCursor.ReadCollection(query.Cursor);
        return database.ReadAsync(async (connection, ct) =>
        {
            var rows = query.SpaceId is { } spaceId
                ? await ListAsync(connection, null, OwnedCollectionPage, ReadCollection, ct, ("@space", spaceId), ("@after", after), ("@take", query.Limit + 1))
                    .ConfigureAwait(false)
                : await ListAsync(connection, null, CollectionPage, ReadCollection, ct, ("@after", after), ("@take", query.Limit + 1)).ConfigureAwait(false);
            return StorePaging.ToPage(rows, query.Limit, collection => StoreCursor.ForCollection(collection.Id));
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RagCollection>> ListSpaceCollectionsAsync(string spaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        return ReadSnapshotAsync<IReadOnlyList<RagCollection>>(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM spaces WHERE id = @space", ct, ("@space", spaceId)).ConfigureAwait(false) is null)
            {
                throw SpaceRules.SpaceNotFound(spaceId);
            }

            return await ListAsync(connection, transaction, SpaceCollections, ReadCollection, ct, ("@space", spaceId)).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<RagDocument?> GetDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(documentId);
        return database.ReadAsync((connection, ct) => FindDocumentAsync(connection, null, DocumentById, collectionId, ("@id", documentId), ct), cancellationToken);
    }

    /// <summary>Reads the characters <c>[start, start + count)</c> of a document's stored text inside <paramref name="transaction"/>.</summary>
    public delegate Task<string> TextSliceReader(
        DbConnection connection, DbTransaction transaction, string documentId, int start, int count, CancellationToken cancellationToken);

    public Task<RagDocument?> FindDocumentAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        return database.ReadAsync(async (connection, ct) =>
        {
            var rows = await ListAsync(connection, null, DocumentAnywhere, ReadDocument, ct, ("@id", documentId)).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }, cancellationToken);
    }

    /// <summary>The document and a range of its stored text, in one snapshot; see <see cref="IRagCollectionStore.ReadDocumentTextAsync"/>.</summary>
    public Task<RagDocumentText?> ReadDocumentTextAsync(string documentId, int start, int? end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        return ReadSnapshotAsync<RagDocumentText?>(async (connection, transaction, ct) =>
        {
            var rows = await ListAsync(connection, transaction, DocumentWithTextLength,
                reader => (Document: ReadDocument(reader), Bytes: reader.IsDBNull(RagRows.DocumentColumnCount) ? (long?)null : reader.GetInt64(RagRows.DocumentColumnCount)),
                ct, ("@id", documentId)).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return null;
            }

            var (document, bytes) = rows[0];
            if (bytes is not { } size)
            {
                throw RagRules.DocumentTextUnavailable(document);
            }

            var length = (int)(size / 2);
            var (from, to) = RagRules.TextRange(start, end, length);
            var text = to == from ? string.Empty : await readTextSlice(connection, transaction, documentId, from, to - from, ct).ConfigureAwait(false);
            return new RagDocumentText(document, from, to, length, text);
        }, cancellationToken);
    }

    public Task<RagDocument?> FindDocumentByNameAsync(string collectionId, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(name);
        return database.ReadAsync((connection, ct) => FindDocumentByNameAsync(connection, null, collectionId, name, ct), cancellationToken);
    }

    /// <summary>The collection's document of this name, or <see langword="null"/>; inside <paramref name="transaction"/> when one is given.</summary>
    public Task<RagDocument?> FindDocumentByNameAsync(
        DbConnection connection, DbTransaction? transaction, string collectionId, string name, CancellationToken cancellationToken) =>
        FindDocumentAsync(connection, transaction, DocumentByName, collectionId, ("@name", name), cancellationToken);

    /// <summary>The collection's document with this id, or <see langword="null"/>; inside <paramref name="transaction"/> when one is given.</summary>
    public Task<RagDocument?> FindDocumentAsync(
        DbConnection connection, DbTransaction? transaction, string collectionId, string documentId, CancellationToken cancellationToken) =>
        FindDocumentAsync(connection, transaction, DocumentById, collectionId, ("@id", documentId), cancellationToken);

    public Task<Page<RagDocument>> ListDocumentsAsync(string collectionId, RagDocumentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        var after = query.Cursor is null ? string.Empty : StoreCursor.ReadDocument(query.Cursor);
        return ReadSnapshotAsync(async (connection, transaction, ct) =>
        {
            await RequireCollectionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            var rows = await ListAsync(connection, transaction, DocumentPage, ReadDocument, ct,
                ("@collection", collectionId), ("@after", after), ("@take", query.Limit + 1)).ConfigureAwait(false);
            return StorePaging.ToPage(rows, query.Limit, document => StoreCursor.ForDocument(document.Id));
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RagChunk>> ListDocumentChunksAsync(string collectionId, string documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(documentId);
        return ReadSnapshotAsync<IReadOnlyList<RagChunk>>(async (connection, transaction, ct) =>
        {
            if (await FindDocumentAsync(connection, transaction, collectionId, documentId, ct).ConfigureAwait(false) is null)
            {
                throw RagRules.DocumentNotFound(collectionId, documentId);
            }

            return await ListAsync(connection, transaction, DocumentChunks, static reader => ReadChunk(reader), ct, ("@document", documentId))
                .ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> in one snapshot of the database.</summary>
    public Task<T> ReadSnapshotAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            var transaction = await beginSnapshot(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await read(connection, transaction, ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return result;
            }
        }, cancellationToken);

    private RagCollection ReadCollection(DbDataReader reader) => RagRows.ReadCollection(reader, readTime);

    private RagDocument ReadDocument(DbDataReader reader) => RagRows.ReadDocument(reader, readTime);

    private async Task<RagDocument?> FindDocumentAsync(
        DbConnection connection, DbTransaction? transaction, string sql, string collectionId, (string Name, object? Value) key, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, sql, ReadDocument, cancellationToken, ("@collection", collectionId), key).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
