using System.Data.Common;
using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.ArchiveImportRules;
using static Gateway.Storage.Relational.StoredRows;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;

namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>
/// <see cref="IConversationArchive"/> on SQLite. An import is one write transaction, attempted once
/// (its input is a stream that cannot be replayed), with one prepared command per kind of row reused
/// for every row. Search indexing is deferred for the import's rows: they are written at plain-insert
/// speed and their seq range is queued for <see cref="SqliteSearchIndexer"/>, which the import wakes
/// after it commits. An export reads one snapshot and holds one conversation in memory at a time.
/// </summary>
public sealed class SqliteConversationArchive : IConversationArchive
{
    private readonly SqliteDatabase _database;
    private readonly SqliteSearchIndexer? _indexer;

    /// <summary>Creates the archive over <paramref name="database"/> (migrated to the newest version).</summary>
    /// <param name="database">The database.</param>
    /// <param name="indexer">Woken after each import to index what it wrote; without one, call <see cref="SqliteSearchIndexer.CatchUpAsync"/> yourself.</param>
    public SqliteConversationArchive(SqliteDatabase database, SqliteSearchIndexer? indexer = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _indexer = indexer;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArchivedConversation> ExportAsync(
        IReadOnlyCollection<string>? conversationIds = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One deferred transaction: the whole export is one snapshot, even while writers go on.
            var transaction = connection.BeginTransaction(deferred: true);
            await using (transaction.ConfigureAwait(false))
            {
                var messages = DbCommands.Create(connection, transaction,
                    $"SELECT {MessageColumns} FROM messages WHERE conversation_id = $id ORDER BY seq", [("$id", null)]);
                await using (messages.ConfigureAwait(false))
                {
                    var byId = conversationIds is not null;
                    var conversations = DbCommands.Create(connection, transaction, byId
                        ? $"SELECT {ConversationColumns}, content_hash FROM conversations WHERE id = $id"
                        : $"SELECT {ConversationColumns}, content_hash FROM conversations ORDER BY id", [("$id", null)]);
                    await using (conversations.ConfigureAwait(false))
                    {
                        var keys = byId ? conversationIds!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : [string.Empty];
                        foreach (var key in keys)
                        {
                            conversations.Parameters[0].Value = key;
                            var reader = await conversations.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                            await using (reader.ConfigureAwait(false))
                            {
                                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                                {
                                    var conversation = ReadConversation(reader);
                                    var hash = reader.IsDBNull(9) ? null : reader.GetString(9);
                                    messages.Parameters[0].Value = conversation.Id;
                                    yield return new ArchivedConversation(conversation, await ReadMessagesAsync(messages, cancellationToken).ConfigureAwait(false), hash);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<ImportResult> ImportAsync(IAsyncEnumerable<ArchivedConversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var result = await _database.WriteOnceAsync(async (connection, transaction, ct) =>
        {
            var writer = new ImportWriter(connection, transaction);
            await using (writer.ConfigureAwait(false))
            {
                writer.Begin();
                var index = 0;
                await foreach (var archived in conversations.WithCancellation(ct).ConfigureAwait(false))
                {
                    writer.Write(archived, index++);
                }

                return writer.Finish();
            }
        }, cancellationToken).ConfigureAwait(false);

        if (result.MessagesImported > 0)
        {
            _indexer?.RequestCatchUp();
        }

        return result;
    }

    private static async Task<List<ConversationMessage>> ReadMessagesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var messages = new List<ConversationMessage>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                messages.Add(ReadMessage(reader));
            }

            return messages;
        }
    }

    /// <summary>
    /// The rows of one import. Its commands are prepared once and run synchronously per row:
    /// Microsoft.Data.Sqlite's asynchronous calls complete synchronously anyway, and skipping their task
    /// per row is a measurable share of a bulk import.
    /// </summary>
    private sealed class ImportWriter(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        private readonly List<SqliteCommand> _commands = [];
        private readonly HashSet<string> _known = new(StringComparer.Ordinal);
        private readonly HashSet<string> _added = new(StringComparer.Ordinal);
        private SqliteCommand _findConversation = null!;
        private SqliteCommand _findHash = null!;
        private SqliteCommand _storedIds = null!;
        private SqliteCommand _insertConversation = null!;
        private SqliteCommand _insertMessage = null!;
        private SqliteCommand _finishConversation = null!;
        private long _firstSeq;
        private long _nextSeq;
        private int _conversationsImported;
        private long _messagesImported;
        private long _duplicatesSkipped;

        public void Begin()
        {
            Execute("UPDATE search_index_state SET deferred = 1 WHERE id = 1");

            // Past every row and every range still queued, as an append does, so a queued range never holds a row twice.
            _firstSeq = _nextSeq = 1 + Convert.ToInt64(Command(
                "SELECT max(coalesce((SELECT max(seq) FROM messages), 0), coalesce((SELECT max(last_seq) FROM search_backlog), 0))")
                .ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            _findConversation = Command("SELECT 1 FROM conversations WHERE id = $id", "$id");
            _findHash = Command("SELECT 1 FROM conversations WHERE content_hash = $hash", "$hash");
            _storedIds = Command("SELECT id FROM messages WHERE conversation_id = $id", "$id");
            _insertConversation = Command("""
                INSERT INTO conversations (id, title, space_id, metadata, created_at, updated_at, archived, content_hash)
                VALUES ($id, $title, $space, $metadata, $created, $updated, $archived, $hash)
                """, "$id", "$title", "$space", "$metadata", "$created", "$updated", "$archived", "$hash");
            _insertMessage = Command("""
                INSERT INTO messages (seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at,
                                      tool_calls, tool_call_id, tool_name, citations)
                VALUES ($seq, $id, $conversation, $parent, $role, $content, $model, $input, $output, $status, $created, $toolCalls, $toolCallId, $toolName,
                        $citations)
                ON CONFLICT (id) DO NOTHING
                """, "$seq", "$id", "$conversation", "$parent", "$role", "$content", "$model", "$input", "$output", "$status", "$created",
                "$toolCalls", "$toolCallId", "$toolName", "$citations");
            _finishConversation = Command("""
                UPDATE conversations SET
                    message_count = message_count + $added,
                    active_message_id = CASE WHEN $adopt THEN $active ELSE coalesce(active_message_id, $active) END,
                    updated_at = max(updated_at, $updated)
                WHERE id = $id
                """, "$id", "$added", "$active", "$adopt", "$updated");
            foreach (var command in _commands)
            {
                command.Prepare();
            }
        }

        public void Write(ArchivedConversation? archived, int index)
        {
            var path = $"conversations[{index}]";
            var conversation = CheckConversation(archived, path);

            _known.Clear();
            _added.Clear();
            var isNew = Run(_findConversation, conversation.Id) is null;
            if (isNew && archived.ContentHash is { } hash && Run(_findHash, hash) is not null)
            {
                // The same content, exported elsewhere under other ids: already here.
                _duplicatesSkipped += 1 + archived.Messages.Count;
                return;
            }

            if (isNew)
            {
                string metadata;
                try
                {
                    metadata = MetadataText(conversation.Metadata, $"{path}.metadata");
                }
                catch (GatewayException error)
                {
                    throw AsInvalidImport(error);
                }

                Run(_insertConversation, conversation.Id, OptionalText(conversation.Title), OptionalText(conversation.SpaceId), metadata,
                    FormatTime(conversation.CreatedAt), FormatTime(conversation.UpdatedAt), conversation.Archived ? 1 : 0,
                    (object?)archived.ContentHash ?? DBNull.Value);
                _conversationsImported++;
            }
            else
            {
                _duplicatesSkipped++;
                using var reader = Reader(_storedIds, conversation.Id);
                while (reader.Read())
                {
                    _known.Add(reader.GetString(0));
                }
            }

            long added = 0;
            string? last = null;
            for (var i = 0; i < archived.Messages.Count; i++)
            {
                var message = archived.Messages[i];
                var messagePath = $"{path}.messages[{i}]";
                if (IsKnownMessage(message, messagePath, conversation.Id, _known))
                {
                    _duplicatesSkipped++;
                    continue;
                }

                try
                {
                    ValidateMessageFields(message.Role, message.Content, message.InputTokens, message.OutputTokens, message.Status, messagePath);
                    ValidateToolFields(message.Role, message.ToolCalls, message.ToolCallId, message.ToolName, messagePath);
                    ValidateCitations(message.Role, message.Citations, messagePath);
                }
                catch (GatewayException error)
                {
                    throw AsInvalidImport(error);
                }

                var inserted = Execute(_insertMessage, _nextSeq, message.Id, conversation.Id, (object?)message.ParentId ?? DBNull.Value, message.Role,
                    message.Content, (object?)message.ModelKey ?? DBNull.Value, Optional(message.InputTokens), Optional(message.OutputTokens),
                    StatusText(message.Status), FormatTime(message.CreatedAt),
                    ToolCallsColumn.ToColumn(message.ToolCalls), (object?)message.ToolCallId ?? DBNull.Value, (object?)message.ToolName ?? DBNull.Value,
                    CitationsColumn.ToColumn(message.Citations));
                if (inserted == 0)
                {
                    // The id belongs to a message of another conversation; its replies cannot follow it here.
                    _duplicatesSkipped++;
                    continue;
                }

                _nextSeq++;
                _known.Add(message.Id);
                _added.Add(message.Id);
                last = message.Id;
                added++;
            }

            if (added > 0 || isNew)
            {
                // The archive's active leaf wins when this import brought it (the archive is the newer state); otherwise the stored one stays.
                var wanted = conversation.ActiveMessageId;
                var adopt = wanted is not null && _added.Contains(wanted);
                var active = wanted is not null && _known.Contains(wanted) ? wanted : last;
                Execute(_finishConversation, conversation.Id, added, (object?)active ?? DBNull.Value, adopt, FormatTime(conversation.UpdatedAt));
                _messagesImported += added;
            }
        }

        public ImportResult Finish()
        {
            if (_nextSeq > _firstSeq)
            {
                Execute(Command("INSERT INTO search_backlog (first_seq, last_seq) VALUES ($first, $last)", "$first", "$last"), _firstSeq, _nextSeq - 1);
            }

            Execute("UPDATE search_index_state SET deferred = 0 WHERE id = 1");
            return new ImportResult(_conversationsImported, _messagesImported, _duplicatesSkipped);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        private SqliteCommand Command(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands.Add(command);
            return command;
        }

        private void Execute(string sql) => Execute(Command(sql));

        private static int Execute(SqliteCommand command, params ReadOnlySpan<object> values)
        {
            Bind(command, values);
            return command.ExecuteNonQuery();
        }

        private static object? Run(SqliteCommand command, params ReadOnlySpan<object> values)
        {
            Bind(command, values);
            return command.ExecuteScalar();
        }

        private static SqliteDataReader Reader(SqliteCommand command, params ReadOnlySpan<object> values)
        {
            Bind(command, values);
            return command.ExecuteReader();
        }

        private static void Bind(SqliteCommand command, ReadOnlySpan<object> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }
        }
    }
}
