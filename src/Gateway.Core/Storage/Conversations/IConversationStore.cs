using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// Conversations and their messages, one row per message. Every backend (SQLite, PostgreSQL) passes
/// the same conformance suite. Failures the caller can act on are <see cref="GatewayException"/>s:
/// <see cref="GatewayErrorCodes.ConversationNotFound"/>, <see cref="GatewayErrorCodes.MessageNotFound"/>,
/// <see cref="GatewayErrorCodes.InvalidCursor"/>, <see cref="GatewayErrorCodes.InvalidRequest"/> for a
/// limit out of range, and <see cref="GatewayErrorCodes.StorageBusy"/> when the database stayed
/// locked past every retry.
/// </summary>
public interface IConversationStore
{
    /// <summary>Creates a conversation with a new sortable id.</summary>
    Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken = default);

    /// <summary>The conversation, or <see langword="null"/> when there is none with this id.</summary>
    Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>A page of conversations, newest (by id) first, keyset-paginated.</summary>
    Task<Page<Conversation>> ListConversationsAsync(ConversationQuery query, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="patch"/>; <see langword="null"/> when the conversation does not exist.</summary>
    Task<Conversation?> UpdateConversationAsync(string conversationId, ConversationPatch patch, CancellationToken cancellationToken = default);

    /// <summary>Deletes the conversation, its messages and their search entries; <see langword="false"/> when it did not exist.</summary>
    Task<bool> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a message durably (committed when the task completes) and makes it the active leaf.
    /// </summary>
    Task<ConversationMessage> AppendMessageAsync(string conversationId, NewMessage message, CancellationToken cancellationToken = default);

    /// <summary>A page of messages, oldest first, of the branch <paramref name="query"/> names.</summary>
    Task<Page<ConversationMessage>> ListMessagesAsync(string conversationId, MessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every message of one branch, root first: the active branch, or the branch through
    /// <paramref name="messageId"/>. This is the history a chat turn sends upstream.
    /// </summary>
    Task<IReadOnlyList<ConversationMessage>> GetBranchAsync(string conversationId, string? messageId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a message and every message below it (its replies on every branch); <see langword="false"/>
    /// when the conversation has no such message. If the active leaf went with it, the parent becomes
    /// the active leaf.
    /// </summary>
    Task<bool> DeleteMessageAsync(string conversationId, string messageId, CancellationToken cancellationToken = default);
}
