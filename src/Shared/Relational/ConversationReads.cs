using System.Data.Common;
using System.Text;
using Gateway.Core.Storage.Conversations;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;

namespace Gateway.Storage.Relational;

/// <summary>
/// The reads of <see cref="IConversationStore"/>, the same on both engines but for the SQL of a
/// branch walk and how a snapshot begins. Conversations page by id (newest first), messages by
/// <c>seq</c> (oldest first, which is root-first on every branch); a page of messages is read in one
/// snapshot so the conversation check and the rows agree.
/// </summary>
internal sealed class ConversationReads(IConnectionReads database, ConversationReads.Dialect dialect)
{
    private const string SelectActiveMessage = "SELECT active_message_id FROM conversations WHERE id = @id";

    /// <summary>What differs between the engines' reads.</summary>
    /// <param name="ConversationColumns">The columns <see cref="ReadConversation"/> expects.</param>
    /// <param name="ReadConversation">Maps a conversation row.</param>
    /// <param name="ReadMessage">Maps a row of <see cref="StoredRows.MessageColumns"/>.</param>
    /// <param name="AllMessages">Every message of <c>@conversation</c> after <c>@after</c>, at most <c>@take</c>.</param>
    /// <param name="BranchMessages">The branch through <c>@message</c> (below it too when <c>@descend</c>) after <c>@after</c>, at most <c>@take</c>.</param>
    /// <param name="TakeAll">The <c>@take</c> that means no limit.</param>
    /// <param name="BeginSnapshot">Begins a read transaction that sees one snapshot.</param>
    public sealed record Dialect(
        string ConversationColumns,
        Func<DbDataReader, Conversation> ReadConversation,
        Func<DbDataReader, ConversationMessage> ReadMessage,
        string AllMessages,
        string BranchMessages,
        object? TakeAll,
        Func<DbConnection, CancellationToken, ValueTask<DbTransaction>> BeginSnapshot);

    /// <summary>The message of <c>@message</c> in <c>@conversation</c>: one row of its parent id, or none.</summary>
    public const string MessageInConversation = "SELECT parent_id FROM messages WHERE id = @message AND conversation_id = @conversation";

    public Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return database.ReadAsync((connection, ct) => GetAsync(connection, null, conversationId, ct), cancellationToken);
    }

    /// <summary>The conversation <paramref name="id"/> as stored, read on <paramref name="connection"/>.</summary>
    public async Task<Conversation?> GetAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, $"SELECT {dialect.ConversationColumns} FROM conversations WHERE id = @id", dialect.ReadConversation,
            cancellationToken, ("@id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<Page<Conversation>> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        var after = query.Cursor is null ? null : StoreCursor.ReadConversation(query.Cursor);

        // Only the filters the query sets become SQL, so each shape uses its index (archived, id) or (space_id, archived, id).
        var sql = new StringBuilder($"SELECT {dialect.ConversationColumns} FROM conversations WHERE true");
        var parameters = new List<(string, object?)> { ("@take", query.Limit + 1) };
        if (after is not null)
        {
            sql.Append(" AND id < @after");
            parameters.Add(("@after", after));
        }

        if (query.SpaceId is not null)
        {
            sql.Append(" AND space_id = @space");
            parameters.Add(("@space", query.SpaceId));
        }

        if (query.Archived is { } archived)
        {
            sql.Append(" AND archived = @archived");
            parameters.Add(("@archived", archived));
        }

        sql.Append(" ORDER BY id DESC LIMIT @take");
        return database.ReadAsync(async (connection, ct) =>
        {
            var rows = await ListAsync(connection, null, sql.ToString(), dialect.ReadConversation, ct, [.. parameters]).ConfigureAwait(false);
            return StorePaging.ToPage(rows, query.Limit, c => StoreCursor.ForConversation(c.Id));
        }, cancellationToken);
    }

    public Task<Page<ConversationMessage>> ListMessagesAsync(string conversationId, MessageQuery query, CancellationToken cancellationToken)
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

    public Task<IReadOnlyList<ConversationMessage>> GetBranchAsync(string conversationId, string? messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return ReadSnapshotAsync<IReadOnlyList<ConversationMessage>>(async (connection, transaction, ct) =>
        {
            var rows = await ReadBranchAsync(connection, transaction, conversationId, messageId, "messageId", 0, dialect.TakeAll, ct).ConfigureAwait(false);
            return rows.Select(row => row.Message).ToList();
        }, cancellationToken);
    }

    // Resolves which branch to read (null: the active one; "all"; or a message id) and reads up to take rows after seq `after`.
    private async Task<List<(long Seq, ConversationMessage Message)>> ReadBranchAsync(
        DbConnection connection, DbTransaction transaction, string conversationId, string? branch, string field, long after, object? take,
        CancellationToken cancellationToken)
    {
        var active = await ScalarAsync(connection, transaction, SelectActiveMessage, cancellationToken, ("@id", conversationId))
            .ConfigureAwait(false) ?? throw ConversationNotFound(conversationId);
        var readMessage = dialect.ReadMessage;
        (long, ConversationMessage) Read(DbDataReader reader) => (reader.GetInt64(0), readMessage(reader));
        if (branch == MessageQuery.AllBranches)
        {
            return await ListAsync(connection, transaction, dialect.AllMessages, Read, cancellationToken,
                ("@conversation", conversationId), ("@after", after), ("@take", take)).ConfigureAwait(false);
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
            if (await ScalarAsync(connection, transaction, MessageInConversation, cancellationToken, ("@message", branch), ("@conversation", conversationId))
                .ConfigureAwait(false) is null)
            {
                throw MessageNotFound(conversationId, branch, field);
            }

            message = branch;
        }

        return await ListAsync(connection, transaction, dialect.BranchMessages, Read, cancellationToken,
            ("@conversation", conversationId), ("@message", message), ("@descend", branch is not null),
            ("@after", after), ("@take", take)).ConfigureAwait(false);
    }

    private Task<T> ReadSnapshotAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            var transaction = await dialect.BeginSnapshot(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await read(connection, transaction, ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return result;
            }
        }, cancellationToken);
}
