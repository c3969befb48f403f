using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Relational;
using Npgsql;
using NpgsqlTypes;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;
using static Gateway.Storage.Relational.ArchiveImportRules;
using static Gateway.Storage.Relational.StoredRows;

namespace Gateway.Storage.Postgres.Conversations;

/// <summary>
/// <see cref="IConversationArchive"/> on PostgreSQL. An import is one transaction, attempted once (its
/// input is a stream that cannot be replayed). It reads the archive in chunks: for each chunk, a few
/// set-based queries find what is already stored (conversation ids, content hashes, message ids), then
/// the new rows go in with binary <c>COPY</c>, the fastest way into PostgreSQL. The search vector is a
/// generated column, so imported messages are searchable the moment the import commits. An export
/// reads one REPEATABLE READ snapshot, a page of conversations and their messages at a time.
/// </summary>
public sealed class PostgresConversationArchive : IConversationArchive
{
    private const int ExportPage = 100;
    private const int ChunkConversations = 1_000;
    private const int ChunkMessages = 20_000;

    private readonly PostgresDatabase _database;

    /// <summary>Creates the archive over <paramref name="database"/> (migrated to the newest version).</summary>
    public PostgresConversationArchive(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArchivedConversation> ExportAsync(
        IReadOnlyCollection<string>? conversationIds = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One snapshot for the whole export, even while writers go on.
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var wanted = conversationIds?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                var after = string.Empty;
                var offset = 0;
                while (true)
                {
                    List<(Conversation Conversation, string? Hash)> page;
                    if (wanted is null)
                    {
                        page = await DbCommands.ListAsync(connection, transaction,
                            $"SELECT {ConversationColumns}, content_hash FROM conversations WHERE id > @after ORDER BY id LIMIT @take",
                            ReadArchived, cancellationToken, ("after", after), ("take", ExportPage)).ConfigureAwait(false);
                    }
                    else
                    {
                        var ids = wanted.Skip(offset).Take(ExportPage).ToArray();
                        offset += ids.Length;
                        page = ids.Length == 0 ? [] : await DbCommands.ListAsync(connection, transaction,
                            $"SELECT {ConversationColumns}, content_hash FROM conversations WHERE id = ANY(@ids) ORDER BY id",
                            ReadArchived, cancellationToken, ("ids", ids)).ConfigureAwait(false);
                        if (page.Count == 0 && ids.Length > 0)
                        {
                            continue;
                        }
                    }

                    if (page.Count == 0)
                    {
                        yield break;
                    }

                    after = page[^1].Conversation.Id;
                    var messages = await ReadMessagesAsync(connection, transaction, page, cancellationToken).ConfigureAwait(false);
                    foreach (var (conversation, hash) in page)
                    {
                        yield return new ArchivedConversation(conversation, messages.TryGetValue(conversation.Id, out var list) ? list : [], hash);
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<ImportResult> ImportAsync(IAsyncEnumerable<ArchivedConversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        try
        {
            return await _database.WriteOnceAsync(async (connection, transaction, ct) =>
            {
                var writer = new ImportWriter(connection, transaction);
                var chunk = new List<(ArchivedConversation? Archived, int Index)>();
                var chunkIds = new HashSet<string>(StringComparer.Ordinal);
                var chunkHashes = new HashSet<string>(StringComparer.Ordinal);
                var chunkMessages = 0;
                var index = 0;
                await foreach (var archived in conversations.WithCancellation(ct).ConfigureAwait(false))
                {
                    var id = archived?.Conversation?.Id;
                    var hash = archived?.ContentHash;
                    if ((id is not null && chunkIds.Contains(id)) || (hash is not null && chunkHashes.Contains(hash)))
                    {
                        // The same conversation twice in one chunk: write the first, so the second is checked against it.
                        await writer.WriteAsync(chunk, ct).ConfigureAwait(false);
                        chunkMessages = 0;
                        chunk.Clear();
                        chunkIds.Clear();
                        chunkHashes.Clear();
                    }

                    chunk.Add((archived, index++));
                    if (id is not null)
                    {
                        chunkIds.Add(id);
                    }

                    if (hash is not null)
                    {
                        chunkHashes.Add(hash);
                    }

                    chunkMessages += archived?.Messages?.Count ?? 0;
                    if (chunk.Count >= ChunkConversations || chunkMessages >= ChunkMessages)
                    {
                        await writer.WriteAsync(chunk, ct).ConfigureAwait(false);
                        chunkMessages = 0;
                        chunk.Clear();
                        chunkIds.Clear();
                        chunkHashes.Clear();
                    }
                }

                await writer.WriteAsync(chunk, ct).ConfigureAwait(false);
                return writer.Result;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new GatewayException(
                GatewayErrorKind.Conflict,
                GatewayErrorCodes.StorageBusy,
                "Another writer stored some of the same conversations or messages while this import ran, so nothing was imported; run the import again (it skips what is already stored).",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = 1 },
                error);
        }
    }

    private static (Conversation, string?) ReadArchived(DbDataReader reader) =>
        (ReadConversation(reader), reader.IsDBNull(9) ? null : reader.GetString(9));

    private static async Task<Dictionary<string, List<ConversationMessage>>> ReadMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<(Conversation Conversation, string? Hash)> page, CancellationToken cancellationToken)
    {
        var ids = page.Where(c => c.Conversation.MessageCount > 0).Select(c => c.Conversation.Id).ToArray();
        var messages = new Dictionary<string, List<ConversationMessage>>(StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return messages;
        }

        var rows = await DbCommands.ListAsync(connection, transaction,
            $"SELECT {MessageColumns} FROM messages WHERE conversation_id = ANY(@ids) ORDER BY conversation_id, seq",
            ReadMessage, cancellationToken, ("ids", ids)).ConfigureAwait(false);
        foreach (var message in rows)
        {
            if (!messages.TryGetValue(message.ConversationId, out var list))
            {
                messages[message.ConversationId] = list = [];
            }

            list.Add(message);
        }

        return messages;
    }

    /// <summary>Writes the chunks of one import and counts what it wrote and skipped.</summary>
    private sealed class ImportWriter(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        private int _conversationsImported;
        private long _messagesImported;
        private long _duplicatesSkipped;

        public ImportResult Result => new(_conversationsImported, _messagesImported, _duplicatesSkipped);

        public async Task WriteAsync(List<(ArchivedConversation? Archived, int Index)> chunk, CancellationToken cancellationToken)
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var ids = chunk.Select(c => c.Archived?.Conversation?.Id).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            var hashes = chunk.Select(c => c.Archived?.ContentHash).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            var messageIds = chunk.SelectMany(c => c.Archived?.Messages ?? []).Select(m => m?.Id).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();

            // Existing conversations are locked: appends from other replicas wait until the import commits.
            var existing = (await DbCommands.ListAsync(connection, transaction,
                "SELECT id FROM conversations WHERE id = ANY(@ids) ORDER BY id FOR UPDATE", r => r.GetString(0), cancellationToken, ("ids", ids))
                .ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            var storedHashes = hashes.Length == 0 ? [] : (await DbCommands.ListAsync(connection, transaction,
                "SELECT content_hash FROM conversations WHERE content_hash = ANY(@hashes)", r => r.GetString(0), cancellationToken, ("hashes", hashes))
                .ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            // Every message of the stored conversations (new messages may reply to any of them), and any
            // message elsewhere that has an id of this chunk (it is skipped, as a duplicate).
            var stored = await DbCommands.ListAsync(connection, transaction,
                "SELECT id, conversation_id FROM messages WHERE conversation_id = ANY(@conversations) OR id = ANY(@ids)",
                r => (Id: r.GetString(0), Conversation: r.GetString(1)), cancellationToken,
                ("conversations", existing.ToArray()), ("ids", messageIds)).ConfigureAwait(false);
            var storedMessages = stored.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            var storedByConversation = stored.ToLookup(m => m.Conversation, m => m.Id, StringComparer.Ordinal);

            var newConversations = new List<(Conversation Conversation, string Metadata, string? Hash, int Count, string? Active)>();
            var newMessages = new List<ConversationMessage>();
            var finishes = new List<(string Id, long Added, string? Active, bool Adopt, DateTimeOffset Updated)>();
            var inChunk = new HashSet<string>(StringComparer.Ordinal);
            var known = new HashSet<string>(StringComparer.Ordinal);
            var added = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (archived, index) in chunk)
            {
                var path = $"conversations[{index}]";
                var conversation = CheckConversation(archived, path);

                known.Clear();
                added.Clear();
                var isNew = !existing.Contains(conversation.Id);
                if (isNew && archived.ContentHash is { } hash && storedHashes.Contains(hash))
                {
                    // The same content, exported elsewhere under other ids: already here.
                    _duplicatesSkipped += 1 + archived.Messages.Count;
                    continue;
                }

                string metadata = "{}";
                if (isNew)
                {
                    try
                    {
                        metadata = StorableMetadataText(conversation.Metadata, $"{path}.metadata");
                    }
                    catch (GatewayException error)
                    {
                        throw AsInvalidImport(error);
                    }
                }
                else
                {
                    _duplicatesSkipped++;
                    known.UnionWith(storedByConversation[conversation.Id]);
                }

                string? last = null;
                for (var i = 0; i < archived.Messages.Count; i++)
                {
                    var message = archived.Messages[i];
                    var messagePath = $"{path}.messages[{i}]";
                    if (IsKnownMessage(message, messagePath, conversation.Id, known))
                    {
                        _duplicatesSkipped++;
                        continue;
                    }

                    try
                    {
                        ValidateStorableMessage(message.Role, message.Content, message.InputTokens, message.OutputTokens, message.Status,
                            message.ToolCalls, message.ToolCallId, message.ToolName, message.Citations, messagePath);
                    }
                    catch (GatewayException error)
                    {
                        throw AsInvalidImport(error);
                    }

                    if (storedMessages.Contains(message.Id) || !inChunk.Add(message.Id))
                    {
                        // The id belongs to a message of another conversation; its replies cannot follow it here.
                        _duplicatesSkipped++;
                        continue;
                    }

                    newMessages.Add(message with { ConversationId = conversation.Id, CreatedAt = ToStored(message.CreatedAt) });
                    known.Add(message.Id);
                    added.Add(message.Id);
                    last = message.Id;
                }

                // The archive's active leaf wins when this import brought it (the archive is the newer state); otherwise the stored one stays.
                var wanted = conversation.ActiveMessageId;
                var adopt = wanted is not null && added.Contains(wanted);
                var active = wanted is not null && known.Contains(wanted) ? wanted : last;
                if (isNew)
                {
                    newConversations.Add((conversation, metadata, archived.ContentHash, added.Count, active));
                    _conversationsImported++;
                }
                else if (added.Count > 0)
                {
                    finishes.Add((conversation.Id, added.Count, active, adopt, ToStored(conversation.UpdatedAt)));
                }

                _messagesImported += added.Count;
            }

            await CopyConversationsAsync(newConversations, cancellationToken).ConfigureAwait(false);
            await CopyMessagesAsync(newMessages, cancellationToken).ConfigureAwait(false);
            await FinishAsync(finishes, cancellationToken).ConfigureAwait(false);
        }

        private async Task CopyConversationsAsync(
            List<(Conversation Conversation, string Metadata, string? Hash, int Count, string? Active)> rows, CancellationToken cancellationToken)
        {
            if (rows.Count == 0)
            {
                return;
            }

            var importer = await connection.BeginBinaryImportAsync(
                "COPY conversations (id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id, content_hash) FROM STDIN (FORMAT BINARY)",
                cancellationToken).ConfigureAwait(false);
            await using (importer.ConfigureAwait(false))
            {
                foreach (var (conversation, metadata, hash, count, active) in rows)
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(conversation.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(importer, string.IsNullOrEmpty(conversation.Title) ? null : conversation.Title, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(importer, string.IsNullOrEmpty(conversation.SpaceId) ? null : conversation.SpaceId, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(metadata, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(ToStored(conversation.CreatedAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(ToStored(conversation.UpdatedAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(conversation.Archived, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(count, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(importer, active, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(importer, hash, cancellationToken).ConfigureAwait(false);
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // COPY keeps the order of the rows, so seq (an identity) follows it: parents before their children.
        private async Task CopyMessagesAsync(List<ConversationMessage> rows, CancellationToken cancellationToken)
        {
            if (rows.Count == 0)
            {
                return;
            }

            var importer = await connection.BeginBinaryImportAsync(
                "COPY messages (id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at, tool_calls, tool_call_id, tool_name, citations) FROM STDIN (FORMAT BINARY)",
                cancellationToken).ConfigureAwait(false);
            await using (importer.ConfigureAwait(false))
            {
                foreach (var message in rows)
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(message.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(message.ConversationId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(importer, message.ParentId, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(message.Role, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(message.Content, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(importer, message.ModelKey, cancellationToken).ConfigureAwait(false);
                    await WriteLongAsync(importer, message.InputTokens, cancellationToken).ConfigureAwait(false);
                    await WriteLongAsync(importer, message.OutputTokens, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(StatusText(message.Status), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(message.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await WriteJsonAsync(importer, ToolCallsColumn.Format(message.ToolCalls), cancellationToken).ConfigureAwait(false);

                    await WriteTextAsync(importer, message.ToolCallId, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(importer, message.ToolName, cancellationToken).ConfigureAwait(false);
                    await WriteJsonAsync(importer, CitationsColumn.Format(message.Citations), cancellationToken).ConfigureAwait(false);
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task FinishAsync(List<(string Id, long Added, string? Active, bool Adopt, DateTimeOffset Updated)> rows, CancellationToken cancellationToken)
        {
            if (rows.Count == 0)
            {
                return;
            }

            var batch = new NpgsqlBatch(connection, transaction);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var (id, count, active, adopt, updated) in rows)
                {
                    DbCommands.Add(batch, """
                        UPDATE conversations SET
                            message_count = message_count + @added,
                            active_message_id = CASE WHEN @adopt THEN @active::text ELSE coalesce(active_message_id, @active::text) END,
                            updated_at = greatest(updated_at, @updated)
                        WHERE id = @id
                        """, ("id", id), ("added", (int)count), ("active", active), ("adopt", adopt), ("updated", updated));
                }

                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
            WriteOptionalAsync(importer, value, NpgsqlDbType.Text, cancellationToken);

        private static Task WriteJsonAsync(NpgsqlBinaryImporter importer, string? json, CancellationToken cancellationToken) =>
            WriteOptionalAsync(importer, json, NpgsqlDbType.Jsonb, cancellationToken);

        private static async Task WriteOptionalAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken)
        {
            if (value is null)
            {
                await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await importer.WriteAsync(value, type, cancellationToken).ConfigureAwait(false);
            }
        }

        private static async Task WriteLongAsync(NpgsqlBinaryImporter importer, long? value, CancellationToken cancellationToken)
        {
            if (value is { } present)
            {
                await importer.WriteAsync(present, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
