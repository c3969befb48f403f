using System.Data.Common;
using System.Text;
using Gateway.Core.Storage.Conversations;
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
    private const string SelectConversation = $"SELECT {ConversationColumns} FROM conversations WHERE id = $id";

    // A new message's seq is past every stored row and every range still waiting for the search index,
    // so a seq freed by a delete is never reused inside a backlog range (the indexer would add it twice).
    private const string AppendMessage = """
        INSERT INTO messages (seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at)
        VALUES (
            max(coalesce((SELECT max(seq) FROM messages), 0), coalesce((SELECT max(last_seq) FROM search_backlog), 0)) + 1,
            $id, $conversation, $parent, $role, $content, $model, $input, $output, $status, $now);
        UPDATE conversations SET active_message_id = $id, message_count = message_count + 1, updated_at = $now WHERE id = $conversation;
        """;

    // The branch through $message: its ancestors (up), and when $descend, the chain of newest children
    // below it (down). Both walk single rows by index, so the cost is the depth of the branch.
    private const string BranchMessages = $"""
        WITH RECURSIVE
        up (seq, parent_id) AS (
            SELECT seq, parent_id FROM messages WHERE id = $message AND conversation_id = $conversation
            UNION ALL
            SELECT m.seq, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id
        ),
        down (seq, id) AS (
            SELECT seq, id FROM messages WHERE id = $message AND conversation_id = $conversation AND $descend
            UNION ALL
            SELECT c.seq, c.id FROM down JOIN messages c ON c.parent_id = down.id
            WHERE c.seq = (SELECT max(s.seq) FROM messages s WHERE s.parent_id = down.id)
        )
        SELECT {MessageColumns} FROM messages
        WHERE seq IN (SELECT seq FROM up UNION SELECT seq FROM down) AND seq > $after
        ORDER BY seq LIMIT $take
        """;

    private const string AllMessages = $"""
        SELECT {MessageColumns} FROM messages
        WHERE conversation_id = $conversation AND seq > $after
        ORDER BY seq LIMIT $take
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

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public SqliteConversationStore(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
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
            return await GetAsync(connection, transaction, id, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The conversation just written could not be read back.");
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return _database.ReadAsync((connection, ct) => GetAsync(connection, null, conversationId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Conversation>> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        var after = query.Cursor is null ? null : StoreCursor.ReadConversation(query.Cursor);

        // Only the filters the query sets become SQL, so each shape uses its index (archived, id) or (space_id, archived, id).
        var sql = new StringBuilder($"SELECT {ConversationColumns} FROM conversations WHERE 1 = 1");
        if (after is not null)
        {
            sql.Append(" AND id < $after");
        }

        if (query.SpaceId is not null)
        {
            sql.Append(" AND space_id = $space");
        }

        if (query.Archived is not null)
        {
            sql.Append(" AND archived = $archived");
        }

        sql.Append(" ORDER BY id DESC LIMIT $take");
        return _database.ReadAsync(async (connection, ct) =>
        {
            var rows = await ListAsync(connection, null, sql.ToString(), ReadConversation, ct,
                ("$after", after), ("$space", query.SpaceId), ("$archived", query.Archived is { } archived ? (archived ? 1 : 0) : null),
                ("$take", query.Limit + 1)).ConfigureAwait(false);
            return StorePaging.ToPage(rows, query.Limit, c => StoreCursor.ForConversation(c.Id));
        }, cancellationToken);
    }

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
            return await GetAsync(connection, transaction, conversationId, ct).ConfigureAwait(false);
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
    public Task<Page<ConversationMessage>> ListMessagesAsync(string conversationId, MessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        var after = query.Cursor is null ? 0 : StoreCursor.ReadMessage(query.Cursor);
        return ReadSnapshotAsync(async (connection, transaction, ct) =>
        {
            var rows = await ReadBranchAsync(connection, transaction, conversationId, query.Branch, "branch", after, query.Limit + 1, ct).ConfigureAwait(false);
            var page = StorePaging.ToPage(rows, query.Limit, row => StoreCursor.ForMessage(row.Seq));
            return new Page<ConversationMessage>(page.Items.Select(row => row.Message).ToList(), page.NextCursor);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationMessage>> GetBranchAsync(string conversationId, string? messageId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return ReadSnapshotAsync<IReadOnlyList<ConversationMessage>>(async (connection, transaction, ct) =>
        {
            var rows = await ReadBranchAsync(connection, transaction, conversationId, messageId, "messageId", 0, -1, ct).ConfigureAwait(false);
            return rows.Select(row => row.Message).ToList();
        }, cancellationToken);
    }

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
        var stored = new ConversationMessage(
            SortableId.Create(_time), conversationId, parent, message.Role, message.Content, message.ModelKey,
            message.InputTokens, message.OutputTokens, message.Status, now);
        batch.Execute(AppendMessage,
            ("$id", stored.Id), ("$conversation", conversationId), ("$parent", parent), ("$role", stored.Role),
            ("$content", stored.Content), ("$model", stored.ModelKey), ("$input", stored.InputTokens), ("$output", stored.OutputTokens),
            ("$status", status), ("$now", FormatTime(now)));

        // The record carries the instant as stored (to the tick), so it equals what a later read returns.
        return stored with { CreatedAt = ParseTime(FormatTime(now)) };
    }

    private static async Task<Conversation?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, SelectConversation, ReadConversation, cancellationToken, ("$id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    // Resolves which branch to read (null: the active one; "all"; or a message id) and reads up to take rows after seq `after`.
    private static async Task<List<(long Seq, ConversationMessage Message)>> ReadBranchAsync(
        SqliteConnection connection, SqliteTransaction transaction, string conversationId, string? branch, string field, long after, int take,
        CancellationToken cancellationToken)
    {
        var active = await ScalarAsync(connection, transaction, SelectActiveMessage, cancellationToken, ("$id", conversationId))
            .ConfigureAwait(false) ?? throw ConversationNotFound(conversationId);
        static (long, ConversationMessage) Read(DbDataReader reader) => (reader.GetInt64(0), ReadMessage(reader));
        if (branch == MessageQuery.AllBranches)
        {
            return await ListAsync(connection, transaction, AllMessages, Read, cancellationToken,
                ("$conversation", conversationId), ("$after", after), ("$take", take)).ConfigureAwait(false);
        }

        string message;
        if (branch is null)
        {
            if (active is not string leaf)
            {
                return [];
            }

            message = leaf;
        }
        else
        {
            if (await ScalarAsync(connection, transaction, MessageInConversation, cancellationToken, ("$message", branch), ("$conversation", conversationId))
                .ConfigureAwait(false) is null)
            {
                throw MessageNotFound(conversationId, branch, field);
            }

            message = branch;
        }

        return await ListAsync(connection, transaction, BranchMessages, Read, cancellationToken,
            ("$conversation", conversationId), ("$message", message), ("$descend", branch is not null),
            ("$after", after), ("$take", take)).ConfigureAwait(false);
    }

    // Reads in one deferred transaction: a snapshot, so the conversation check and the rows agree.
    private Task<T> ReadSnapshotAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        _database.ReadAsync(async (connection, ct) =>
        {
            var transaction = connection.BeginTransaction(deferred: true);
            await using (transaction.ConfigureAwait(false))
            {
                return await read(connection, transaction, ct).ConfigureAwait(false);
            }
        }, cancellationToken);
}
