namespace Gateway.Core.Storage.Conversations;

/// <summary>A conversation with all its messages, as exported and imported.</summary>
/// <param name="Conversation">The conversation; <see cref="Conversation.MessageCount"/> is recomputed on import.</param>
/// <param name="Messages">Every message, parents before their children.</param>
/// <param name="ContentHash">
/// A hash of the conversation's content, for data whose ids are not ours (another product's export):
/// importing the same content twice adds it once. <see langword="null"/> for our own exports, whose ids dedupe.
/// </param>
public sealed record ArchivedConversation(
    Conversation Conversation,
    IReadOnlyList<ConversationMessage> Messages,
    string? ContentHash = null);
