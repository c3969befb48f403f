using System.Text.Json;

namespace Gateway.Core.Storage.Conversations;

/// <summary>A stored conversation. Its messages are rows of their own, read through <see cref="IConversationStore"/>.</summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="Title">A title for people; may be absent.</param>
/// <param name="SpaceId">The workspace the conversation belongs to, if any.</param>
/// <param name="Metadata">A JSON object the caller owns; never interpreted by the gateway.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it or its messages last changed.</param>
/// <param name="Archived">Whether it is archived (hidden from the default listing).</param>
/// <param name="MessageCount">How many messages it holds, on every branch.</param>
/// <param name="ActiveMessageId">The leaf of the active branch: the default view ends here.</param>
public sealed record Conversation(
    string Id,
    string? Title,
    string? SpaceId,
    JsonElement Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool Archived,
    int MessageCount,
    string? ActiveMessageId);
