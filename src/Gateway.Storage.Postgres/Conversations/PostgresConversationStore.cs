using System.Data;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Relational;
using Npgsql;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.StoredRows;

namespace Gateway.Storage.Postgres.Conversations;

/// <summary>
/// <see cref="IConversationStore"/> on PostgreSQL, safe for many gateway replicas writing at once. Every
/// write to a conversation locks its row first (<c>SELECT … FOR UPDATE</c>), so appends, deletes and
/// patches of one conversation from any replica run one after another: the message count, the active
/// leaf and <c>updated_at</c> are never lost, and within a conversation the write order (<c>seq</c>)
/// is the commit order. An append is one round trip: its statements go as one batch, which
/// PostgreSQL runs as one implicit transaction. Reads that check the conversation and then read rows
/// run in one REPEATABLE READ snapshot. Pages are keyset-paginated: conversations by id (newest first),
/// messages by <c>seq</c> (oldest first), which is root-first on every branch.
/// </summary>
public sealed class PostgresConversationStore : IConversationStore
{
    private const string LockConversation = "SELECT active_message_id FROM conversations WHERE id = @conversation FOR UPDATE";

    // The parent is the active leaf unless one is named, and a named one must belong to the conversation;
    // when it does not, nothing is inserted and the UPDATE after it finds no new message to count.
    private const string InsertMessage = """
        INSERT INTO messages (id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at,
                              tool_calls, tool_call_id, tool_name, citations)
        SELECT @id, c.id, CASE WHEN @parent::text IS NULL THEN c.active_message_id ELSE p.id END,
               @role, @content, @model::text, @input::bigint, @output::bigint, @status, @now,
               @toolCalls::jsonb, @toolCallId::text, @toolName::text, @citations::jsonb
        FROM conversations c LEFT JOIN messages p ON p.id = @parent::text AND p.conversation_id = c.id
        WHERE c.id = @conversation AND (@parent::text IS NULL OR p.id IS NOT NULL)
        RETURNING parent_id
        """;

    // greatest(): replicas' clocks differ a little; updated_at never moves backwards.
    private const string CountMessage = """
        UPDATE conversations SET active_message_id = @id, message_count = message_count + 1, updated_at = greatest(updated_at, @now)
        WHERE id = @conversation AND EXISTS (SELECT 1 FROM messages WHERE id = @id)
        """;

    // The branch through @message: its ancestors (up), and when @descend, the chain of newest children below it (down).
    private const string BranchMessages = $"""
        WITH RECURSIVE
        up (seq, parent_id) AS (
            SELECT seq, parent_id FROM messages WHERE id = @message AND conversation_id = @conversation
            UNION ALL
            SELECT m.seq, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id
        ),
        down (seq, id) AS (
            SELECT seq, id FROM messages WHERE id = @message AND conversation_id = @conversation AND @descend
            UNION ALL
            SELECT c.seq, c.id FROM down CROSS JOIN LATERAL (
                SELECT s.seq, s.id FROM messages s WHERE s.parent_id = down.id ORDER BY s.seq DESC LIMIT 1) c
        )
        SELECT {MessageColumns} FROM messages
        WHERE seq IN (SELECT seq FROM up UNION SELECT seq FROM down) AND seq > @after
        ORDER BY seq LIMIT @take::integer
        """;

    private const string AllMessages = $"""
        SELECT {MessageColumns} FROM messages
        WHERE conversation_id = @conversation AND seq > @after
        ORDER BY seq LIMIT @take::integer
        """;

    private const string DeleteSubtree = """
        WITH RECURSIVE subtree (id) AS (
            SELECT id FROM messages WHERE id = @message AND conversation_id = @conversation
            UNION ALL
            SELECT m.id FROM messages m JOIN subtree ON m.parent_id = subtree.id
        )
        DELETE FROM messages WHERE id IN (SELECT id FROM subtree)
        """;

    // After a delete: the active leaf stays if it survived; else the deleted message's parent; else the newest remaining message.
    private const string RepairAfterDelete = """
        UPDATE conversations SET
            message_count = (SELECT count(*) FROM messages WHERE conversation_id = @conversation),
            active_message_id = CASE
                WHEN EXISTS (SELECT 1 FROM messages WHERE id = conversations.active_message_id) THEN active_message_id
                WHEN @parent::text IS NOT NULL THEN @parent::text
                ELSE (SELECT id FROM messages WHERE conversation_id = @conversation ORDER BY seq DESC LIMIT 1)
            END,
            updated_at = greatest(updated_at, @now)
        WHERE id = @conversation
        """;

    private const string UpdateConversation = $"""
        UPDATE conversations SET
            title = CASE WHEN @setTitle THEN @title::text ELSE title END,
            space_id = CASE WHEN @setSpace THEN @space::text ELSE space_id END,
            metadata = coalesce(@metadata::jsonb, metadata),
            archived = coalesce(@archived::boolean, archived),
            active_message_id = coalesce(@active::text, active_message_id),
            updated_at = greatest(updated_at, @now)
        WHERE id = @id
        RETURNING {ConversationColumns}
        """;

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly ConversationReads _reads;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public PostgresConversationStore(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        _reads = new(database.Reads, new(
            ConversationColumns, ReadConversation, ReadMessage, AllMessages, BranchMessages, TakeAll: null,
            async (connection, ct) => await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false)));
    }

    /// <inheritdoc />
    public Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var metadata = StorableMetadataText(conversation.Metadata);
        return _database.ReadAsync(async (connection, ct) =>
        {
            // One statement is its own transaction: nothing to lock, nothing to retry.
            var rows = await ListAsync(connection, null, $"""
                INSERT INTO conversations (id, title, space_id, metadata, created_at, updated_at)
                VALUES (@id, @title, @space, @metadata::jsonb, @now, @now)
                RETURNING {ConversationColumns}
                """, ReadConversation, ct,
                ("id", SortableId.Create(_time)), ("title", OptionalText(conversation.Title)), ("space", OptionalText(conversation.SpaceId)),
                ("metadata", metadata), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return rows[0];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        _reads.GetConversationAsync(conversationId, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Conversation>> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default) =>
        _reads.ListConversationsAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<Conversation?> UpdateConversationAsync(string conversationId, ConversationPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(patch);
        var metadata = patch.Metadata is null ? null : StorableMetadataText(patch.Metadata);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM conversations WHERE id = @id FOR UPDATE", ct, ("id", conversationId))
                .ConfigureAwait(false) is null)
            {
                return null;
            }

            if (patch.ActiveMessageId is { } active
                && await ScalarAsync(connection, transaction, ConversationReads.MessageInConversation, ct, ("message", active), ("conversation", conversationId))
                    .ConfigureAwait(false) is null)
            {
                throw MessageNotFound(conversationId, active, "activeMessageId");
            }

            var rows = await ListAsync(connection, transaction, UpdateConversation, ReadConversation, ct,
                ("id", conversationId),
                ("setTitle", patch.Title is not null), ("title", OptionalText(patch.Title)),
                ("setSpace", patch.SpaceId is not null), ("space", OptionalText(patch.SpaceId)),
                ("metadata", metadata),
                ("archived", patch.Archived),
                ("active", patch.ActiveMessageId),
                ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);

        // Messages go by ON DELETE CASCADE; their search vectors are columns of their rows, so they go too.
        return _database.ReadAsync(async (connection, ct) =>
            await ExecuteAsync(connection, null, "DELETE FROM conversations WHERE id = @id", ct, ("id", conversationId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ConversationMessage> AppendMessageAsync(string conversationId, NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(message);
        ValidateStorableMessage(message.Role, message.Content, message.InputTokens, message.OutputTokens, message.Status,
            message.ToolCalls, message.ToolCallId, message.ToolName, message.Citations, "message");
        var status = StatusText(message.Status);
        return _database.WriteBatchAsync((connection, ct) => AppendCoreAsync(connection, conversationId, message, status, ct), cancellationToken);
    }

    private async Task<ConversationMessage> AppendCoreAsync(
        NpgsqlConnection connection, string conversationId, NewMessage message, string status, CancellationToken cancellationToken)
    {
        var now = ToStored(_time.GetUtcNow());
        var id = SortableId.Create(_time);

        // Lock, insert and count in one batch: one round trip, one implicit transaction (all or nothing).
        // Each statement sees what the ones before it wrote, and the lock makes concurrent appends queue.
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            Add(batch, LockConversation, ("conversation", conversationId));
            Add(batch, InsertMessage,
                ("id", id), ("conversation", conversationId), ("parent", message.ParentId), ("role", message.Role),
                ("content", message.Content), ("model", message.ModelKey), ("input", message.InputTokens), ("output", message.OutputTokens),
                ("status", status), ("now", now),
                ("toolCalls", ToolCallsColumn.ToColumn(message.ToolCalls)), ("toolCallId", message.ToolCallId), ("toolName", message.ToolName),
                ("citations", CitationsColumn.ToColumn(message.Citations)));
            Add(batch, CountMessage, ("id", id), ("conversation", conversationId), ("now", now));
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw ConversationNotFound(conversationId);
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw MessageNotFound(conversationId, message.ParentId!, "parentId");
                }

                return Stored(id, conversationId, reader.IsDBNull(0) ? null : reader.GetString(0), message, now);
            }
        }
    }

    /// <inheritdoc />
    public Task<Page<ConversationMessage>> ListMessagesAsync(string conversationId, MessageQuery query, CancellationToken cancellationToken = default) =>
        _reads.ListMessagesAsync(conversationId, query, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationMessage>> GetBranchAsync(string conversationId, string? messageId = null, CancellationToken cancellationToken = default) =>
        _reads.GetBranchAsync(conversationId, messageId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteMessageAsync(string conversationId, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(messageId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, LockConversation, ct, ("conversation", conversationId)).ConfigureAwait(false) is null)
            {
                return false;
            }

            // Read after the lock: a fresh snapshot that includes whatever the writer before us committed.
            var parent = await ScalarAsync(connection, transaction, ConversationReads.MessageInConversation, ct, ("message", messageId), ("conversation", conversationId))
                .ConfigureAwait(false);
            if (parent is null)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, DeleteSubtree, ct, ("message", messageId), ("conversation", conversationId)).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, RepairAfterDelete, ct,
                ("conversation", conversationId), ("parent", parent), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }
}
