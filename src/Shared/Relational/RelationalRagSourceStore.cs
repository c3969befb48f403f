using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using static Gateway.Storage.Relational.DbCommands;

namespace Gateway.Storage.Relational;

/// <summary>
/// <see cref="IRagSourceStore"/> on either engine: the same SQL, with each engine's way of storing and
/// reading an instant. A claim is one conditional UPDATE (on PostgreSQL the row lock makes a racing
/// replica's UPDATE re-read the claimed row and match nothing); starting and finishing a sync are each one
/// write transaction that first updates the source row on the condition that it is still in the expected
/// step, so a lost claim or a second finisher changes nothing. A file's modification time is kept as
/// ticks, which both engines hold exactly.
/// </summary>
internal sealed class RelationalRagSourceStore(
    IConnectionReads reads, IConnectionWrites writes, Func<DateTimeOffset, object> storeTime, StoredRows.TimeReader readTime, TimeProvider time)
    : IRagSourceStore
{
    private const string SourceColumns =
        "id, collection_id, root, path, include, exclude, created_at, last_synced_at, last_ingestion_id, sync_ingestion_id";

    private const string FileColumns = "path, size, modified_ticks, document_name, content_hash";

    private const string Insert = $"""
        INSERT INTO rag_sources (id, collection_id, root, path, include, exclude, created_at)
        SELECT @id, id, @root, @path, @include, @exclude, @now FROM rag_collections WHERE id = @collection
        RETURNING {SourceColumns}
        """;

    private const string ById = $"SELECT {SourceColumns} FROM rag_sources WHERE id = @id AND collection_id = @collection";

    private const string Files = $"SELECT {FileColumns} FROM rag_source_files WHERE source_id = @source ORDER BY path";

    private const string Claim = """
        UPDATE rag_sources SET sync_claim = @claim, sync_claimed_until = @until
        WHERE id = @id AND sync_ingestion_id IS NULL AND (sync_claim IS NULL OR sync_claimed_until < @now)
        """;

    private const string Started = """
        UPDATE rag_sources SET sync_ingestion_id = @ingestion, sync_claim = NULL, sync_claimed_until = NULL WHERE id = @id AND sync_claim = @claim
        """;

    private const string Released = """
        UPDATE rag_sources SET sync_claim = NULL, sync_claimed_until = NULL, last_synced_at = coalesce(@syncedAt, last_synced_at)
        WHERE id = @id AND sync_claim = @claim
        """;

    private const string Finished = $"""
        UPDATE rag_sources SET sync_ingestion_id = NULL, last_ingestion_id = @ingestion,
            last_synced_at = CASE WHEN @completed THEN @finishedAt ELSE last_synced_at END
        WHERE id = @id AND sync_ingestion_id = @ingestion
        RETURNING {SourceColumns}
        """;

    private const string MarkFailed = "UPDATE rag_source_changes SET failed = TRUE WHERE source_id = @id AND document_name = @name";

    private const string DropChangedFiles = """
        DELETE FROM rag_source_files
        WHERE source_id = @id AND path IN (SELECT path FROM rag_source_changes WHERE source_id = @id AND NOT failed)
        """;

    // The content hash is the document's as the ingestion left it, so the recorded state says what the collection holds.
    private const string KeepChangedFiles = """
        INSERT INTO rag_source_files (source_id, path, size, modified_ticks, document_name, content_hash)
        SELECT c.source_id, c.path, c.size, c.modified_ticks, c.document_name,
            (SELECT d.content_hash FROM rag_documents d WHERE d.collection_id = s.collection_id AND d.name = c.document_name)
        FROM rag_source_changes c JOIN rag_sources s ON s.id = c.source_id
        WHERE c.source_id = @id AND NOT c.removed AND NOT c.failed
        """;

    private const string DropChanges = "DELETE FROM rag_source_changes WHERE source_id = @id";

    // Rows of one multi-row INSERT: 7 parameters each stays far below either engine's parameter limit.
    private const int ChangesPerInsert = 200;

    /// <inheritdoc />
    public Task<RagSource> CreateSourceAsync(string collectionId, RagSourceDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        RagSourceRules.Validate(definition);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var rows = await ListAsync(connection, transaction, Insert, Read, ct,
                ("@id", SortableId.Create(time)), ("@collection", collectionId), ("@root", definition.Root), ("@path", definition.Path),
                ("@include", GlobsText(definition.Include)), ("@exclude", GlobsText(definition.Exclude)), ("@now", storeTime(time.GetUtcNow())))
                .ConfigureAwait(false);
            return rows.Count == 1 ? rows[0] : throw RagRules.CollectionNotFound(collectionId);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RagSource?> GetSourceAsync(string collectionId, string sourceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(sourceId);
        return reads.ReadAsync(async (connection, ct) =>
        {
            var rows = await ListAsync(connection, null, ById, Read, ct, ("@id", sourceId), ("@collection", collectionId)).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<RagSource>> ListSourcesAsync(RagSourceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ConversationStoreRules.CheckLimit(query.Limit);
        var after = query.Cursor is null ? string.Empty : StoreCursor.ReadSource(query.Cursor);
        (string Name, object? Value)[] parameters = [("@after", after), ("@take", query.Limit + 1)];
        var sql = query.CollectionId is null
            ? $"SELECT {SourceColumns} FROM rag_sources WHERE id > @after ORDER BY id LIMIT @take"
            : $"SELECT {SourceColumns} FROM rag_sources WHERE collection_id = @collection AND id > @after ORDER BY id LIMIT @take";
        return reads.ReadAsync(async (connection, ct) =>
        {
            var rows = await ListAsync(connection, null, sql, Read, ct,
                query.CollectionId is null ? parameters : [.. parameters, ("@collection", query.CollectionId)]).ConfigureAwait(false);
            if (rows.Count == 0 && query.CollectionId is { } collectionId
                && await ScalarAsync(connection, null, "SELECT 1 FROM rag_collections WHERE id = @id", ct, ("@id", collectionId)).ConfigureAwait(false) is null)
            {
                throw RagRules.CollectionNotFound(collectionId);
            }

            return StorePaging.ToPage(rows, query.Limit, source => StoreCursor.ForSource(source.Id));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteSourceAsync(string collectionId, string sourceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(sourceId);

        // Its files and pending changes go by ON DELETE CASCADE.
        return writes.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, "DELETE FROM rag_sources WHERE id = @id AND collection_id = @collection", ct,
                ("@id", sourceId), ("@collection", collectionId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RagSourceFile>> ListSourceFilesAsync(string sourceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        return reads.ReadAsync<IReadOnlyList<RagSourceFile>>(
            async (connection, ct) => await ListAsync(connection, null, Files, ReadFile, ct, ("@source", sourceId)).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryClaimSyncAsync(string sourceId, string claim, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentException.ThrowIfNullOrEmpty(claim);
        return writes.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, Claim, ct,
                ("@id", sourceId), ("@claim", claim), ("@until", storeTime(claimedUntil)), ("@now", storeTime(time.GetUtcNow()))).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> StartSyncAsync(
        string sourceId, string claim, string ingestionId, IReadOnlyList<RagSourceChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentException.ThrowIfNullOrEmpty(claim);
        ArgumentException.ThrowIfNullOrEmpty(ingestionId);
        ArgumentNullException.ThrowIfNull(changes);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ExecuteAsync(connection, transaction, Started, ct, ("@id", sourceId), ("@claim", claim), ("@ingestion", ingestionId))
                .ConfigureAwait(false) == 0)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, DropChanges, ct, ("@id", sourceId)).ConfigureAwait(false);
            for (var start = 0; start < changes.Count; start += ChangesPerInsert)
            {
                await InsertChangesAsync(connection, transaction, sourceId, changes.Skip(start).Take(ChangesPerInsert).ToArray(), ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseSyncClaimAsync(string sourceId, string claim, DateTimeOffset? syncedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentException.ThrowIfNullOrEmpty(claim);
        return writes.WriteAsync(
            (connection, transaction, ct) => ExecuteAsync(connection, transaction, Released, ct,
                ("@id", sourceId), ("@claim", claim), ("@syncedAt", syncedAt is { } at ? storeTime(at) : null)),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RagSource?> FinishSyncAsync(string sourceId, RagSourceSyncResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(result.IngestionId);
        ArgumentNullException.ThrowIfNull(result.FailedDocuments);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var rows = await ListAsync(connection, transaction, Finished, Read, ct,
                ("@id", sourceId), ("@ingestion", result.IngestionId), ("@completed", result.Completed), ("@finishedAt", storeTime(result.FinishedAt)))
                .ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return null;
            }

            if (result.Completed)
            {
                foreach (var name in result.FailedDocuments)
                {
                    await ExecuteAsync(connection, transaction, MarkFailed, ct, ("@id", sourceId), ("@name", name)).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, DropChangedFiles, ct, ("@id", sourceId)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, KeepChangedFiles, ct, ("@id", sourceId)).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, DropChanges, ct, ("@id", sourceId)).ConfigureAwait(false);
            return rows[0];
        }, cancellationToken);
    }

    private static Task<int> InsertChangesAsync(
        DbConnection connection, DbTransaction transaction, string sourceId, RagSourceChange[] changes, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("INSERT INTO rag_source_changes (source_id, path, size, modified_ticks, document_name, removed, failed) VALUES ");
        var parameters = new List<(string Name, object? Value)>(1 + (changes.Length * 5)) { ("@source", sourceId) };
        for (var i = 0; i < changes.Length; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"(@source, @p{n}, @s{n}, @m{n}, @d{n}, @r{n}, FALSE)");
            var file = changes[i].File;
            parameters.AddRange([("@p" + n, file.Path), ("@s" + n, file.Size), ("@m" + n, file.Modified.UtcTicks), ("@d" + n, file.DocumentName),
                ("@r" + n, changes[i].Removed)]);
        }

        return ExecuteAsync(connection, transaction, sql.ToString(), cancellationToken, [.. parameters]);
    }

    private RagSource Read(DbDataReader reader) => new(
        Id: reader.GetString(0),
        CollectionId: reader.GetString(1),
        Root: reader.GetString(2),
        Path: reader.GetString(3),
        Include: ParseGlobs(reader.GetString(4)),
        Exclude: ParseGlobs(reader.GetString(5)),
        CreatedAt: readTime(reader, 6),
        LastSyncedAt: reader.IsDBNull(7) ? null : readTime(reader, 7),
        LastIngestionId: reader.IsDBNull(8) ? null : reader.GetString(8),
        SyncIngestionId: reader.IsDBNull(9) ? null : reader.GetString(9));

    private static RagSourceFile ReadFile(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4));

    private static string GlobsText(IReadOnlyList<string> globs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var glob in globs)
            {
                writer.WriteStringValue(glob);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string[] ParseGlobs(string text)
    {
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.EnumerateArray().Select(glob => glob.GetString()!)];
    }
}
