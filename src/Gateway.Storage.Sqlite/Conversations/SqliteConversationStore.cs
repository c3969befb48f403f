using System.Data.Common;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.StoredRows;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;

namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>
/// <see cref="IConversationStore"/> on SQLite. Every write is one <c>BEGIN IMMEDIATE</c> transaction
/// (see <see cref="SqliteDatabase"/>), or for appends one savepoint of a group-committed transaction,
/// so a message, its conversation's count and active leaf change together; reads run in a snapshot so a page never mixes two states. Pages are keyset-paginated:
/// conversations by id (newest first), messages by their write order (<c>seq</c>, oldest first), which
/// is root-first on every branch because a parent is always written before its children.
/// </summary>
public sealed class SqliteConversationStore : IConversationStore
{
    // A new message's seq is past every stored row and every range still waiting for the search index,
    // so a seq freed by a delete is never reused inside a backlog range (the indexer would add it twice).
    private const string AppendMessage = """
        INSERT INTO messages (seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at,
                              tool_calls, tool_call_id, tool_name, citations)
        VALUES (
            max(coalesce((SELECT max(seq) FROM messages), 0), coalesce((SELECT max(last_seq) FROM search_backlog), 0)) + 1,
            $id, $conversation, $parent, $role, $content, $model, $input, $output, $status, $now, $toolCalls, $toolCallId, $toolName, $citations);
        UPDATE conversations SET active_message_id = $id, message_count = message_count + 1, updated_at = $now WHERE id = $conversation;
        """;

    // The branch through $message: its ancestors (up), and when $descend, the chain of newest children
    // below it (down). Both walk single rows by index, so the cost is the depth of the branch.
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
            SELECT c.seq, c.id FROM down JOIN messages c ON c.parent_id = down.id
            WHERE c.seq = (SELECT max(s.seq) FROM messages s WHERE s.parent_id = down.id)
        )
        SELECT {MessageColumns} FROM messages
        WHERE seq IN (SELECT seq FROM up UNION SELECT seq FROM down) AND seq > @after
        ORDER BY seq LIMIT @take
        """;

    private const string AllMessages = $"""
        SELECT {MessageColumns} FROM messages
        WHERE conversation_id = @conversation AND seq > @after
        ORDER BY seq LIMIT @take
        """;

    private const string SelectActiveMessage = "SELECT active_message_id FROM conversations WHERE id = $id";

    private const string MessageInConversation = "SELECT parent_id FROM messages WHERE id = $message AND conversation_id = $conversation";

    private const string DeleteSubtree = """
        WITH RECURSIVE subtree (id) AS (
            SELECT id FROM messages WHERE id = $message AND conversation_id = $conversation
            UNION ALL
            SELECT m.id FROM messages m JOIN subtree ON m.parent_id = subtree.id
        )
        DELETE FROM messages WHERE id IN (SELECT id FROM subtree)
        """;

    // After a delete: the active leaf stays if it survived; else the deleted message's parent; else the newest remaining message.
    private const string RepairAfterDelete = """
        UPDATE conversations SET
            message_count = (SELECT count(*) FROM messages WHERE conversation_id = $conversation),
            active_message_id = CASE
                WHEN EXISTS (SELECT 1 FROM messages WHERE id = conversations.active_message_id) THEN active_message_id
                WHEN $parent IS NOT NULL THEN $parent
                ELSE (SELECT id FROM messages WHERE conversation_id = $conversation ORDER BY seq DESC LIMIT 1)
            END,
            updated_at = $now
        WHERE id = $conversation
        """;

    private const string UpdateConversation = """
        UPDATE conversations SET
            title = CASE WHEN $setTitle THEN $title ELSE title END,
            space_id = CASE WHEN $setSpace THEN $space ELSE space_id END,
            metadata = coalesce($metadata, metadata),
            archived = coalesce($archived, archived),
            active_message_id = coalesce($active, active_message_id),
            updated_at = $now
        WHERE id = $id
        """;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ConversationReads _reads;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public SqliteConversationStore(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;

        // A deferred transaction reads one snapshot from its first statement on; LIMIT -1 is no limit.
        _reads = new(database.Reads, new(
            ConversationColumns, ReadConversation, ReadMessage, AllMessages, BranchMessages, TakeAll: -1,
            (connection, _) => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true))));
    }

    /// <inheritdoc />
    public Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var metadata = MetadataText(conversation.Metadata);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var now = _time.GetUtcNow();
            var id = SortableId.Create(_time);
            await ExecuteAsync(connection, transaction, """
                INSERT INTO conversations (id, title, space_id, metadata, created_at, updated_at)
                VALUES ($id, $title, $space, $metadata, $now, $now)
                """, ct,
                ("$id", id), ("$title", OptionalText(conversation.Title)), ("$space", OptionalText(conversation.SpaceId)),
                ("$metadata", metadata), ("$now", FormatTime(now))).ConfigureAwait(false);
            return await _reads.GetAsync(connection, transaction, id, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The conversation just written could not be read back.");
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
        var metadata = patch.Metadata is null ? null : MetadataText(patch.Metadata);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM conversations WHERE id = $id", ct, ("$id", conversationId)).ConfigureAwait(false) is null)
            {
                return null;
            }

            if (patch.ActiveMessageId is { } active
                && await ScalarAsync(connection, transaction, MessageInConversation, ct, ("$message", active), ("$conversation", conversationId)).ConfigureAwait(false) is null)
            {
                throw MessageNotFound(conversationId, active, "activeMessageId");
            }

            await ExecuteAsync(connection, transaction, UpdateConversation, ct,
                ("$id", conversationId),
                ("$setTitle", patch.Title is not null), ("$title", OptionalText(patch.Title)),
                ("$setSpace", patch.SpaceId is not null), ("$space", OptionalText(patch.SpaceId)),
                ("$metadata", metadata),
                ("$archived", patch.Archived is { } archived ? (archived ? 1 : 0) : null),
                ("$active", patch.ActiveMessageId),
                ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
            return await _reads.GetAsync(connection, transaction, conversationId, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);

        // Messages go by ON DELETE CASCADE, their search entries by the messages_fts_delete trigger.
        return _database.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, "DELETE FROM conversations WHERE id = $id", ct, ("$id", conversationId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Appends go through the database's group-commit writer: appends queued while a commit runs share
    /// the next transaction, each in its own savepoint, so concurrent appenders share the cost of a
    /// commit and its search-index segment. The parent (when not given) is the conversation's active
    /// leaf as the write is applied, so appends to one conversation in one batch chain in queue order.
    /// The task completes after COMMIT; <paramref name="cancellationToken"/> only cancels an append that
    /// is still queued.
    /// </remarks>
    public Task<ConversationMessage> AppendMessageAsync(string conversationId, NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ValidateMessage(message);
        var status = StatusText(message.Status);
        return _database.WriteGroupedAsync(batch => Append(batch, conversationId, message, status), cancellationToken);
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
            var parent = await ScalarAsync(connection, transaction, MessageInConversation, ct, ("$message", messageId), ("$conversation", conversationId))
                .ConfigureAwait(false);
            if (parent is null)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, DeleteSubtree, ct, ("$message", messageId), ("$conversation", conversationId)).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, RepairAfterDelete, ct,
                ("$conversation", conversationId), ("$parent", parent), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    // Runs on the group-commit writer, inside the item's savepoint: synchronous, with prepared commands.
    private ConversationMessage Append(GroupCommitBatch batch, string conversationId, NewMessage message, string status)
    {
        var active = batch.Scalar(SelectActiveMessage, ("$id", conversationId)) ?? throw ConversationNotFound(conversationId);
        var parent = active as string;
        if (message.ParentId is not null)
        {
            if (batch.Scalar(MessageInConversation, ("$message", message.ParentId), ("$conversation", conversationId)) is null)
            {
                throw MessageNotFound(conversationId, message.ParentId, "parentId");
            }

            parent = message.ParentId;
        }

        var now = _time.GetUtcNow();
        var stored = Stored(SortableId.Create(_time), conversationId, parent, message, now);
        batch.Execute(AppendMessage,
            ("$id", stored.Id), ("$conversation", conversationId), ("$parent", parent), ("$role", stored.Role),
            ("$content", stored.Content), ("$model", stored.ModelKey), ("$input", stored.InputTokens), ("$output", stored.OutputTokens),
            ("$status", status), ("$now", FormatTime(now)),
            ("$toolCalls", ToolCallsColumn.ToColumn(stored.ToolCalls)), ("$toolCallId", stored.ToolCallId), ("$toolName", stored.ToolName),
            ("$citations", CitationsColumn.ToColumn(stored.Citations)));

        // The record carries the instant as stored (to the tick), so it equals what a later read returns.
        return stored with { CreatedAt = ParseTime(FormatTime(now)) };
    }
}
