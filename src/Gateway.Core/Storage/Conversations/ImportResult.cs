namespace Gateway.Core.Storage.Conversations;

/// <summary>What an import wrote.</summary>
/// <param name="ConversationsImported">Conversations added.</param>
/// <param name="MessagesImported">Messages added.</param>
/// <param name="DuplicatesSkipped">Conversations and messages already stored, skipped.</param>
public sealed record ImportResult(int ConversationsImported, long MessagesImported, long DuplicatesSkipped);
