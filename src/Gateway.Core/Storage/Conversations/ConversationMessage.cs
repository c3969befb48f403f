namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// A stored message. <see cref="ParentId"/> makes a conversation a tree: a regenerated reply or an
/// edited prompt is a sibling of the message it replaces, and every branch stays retrievable.
/// </summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="ConversationId">The conversation it belongs to.</param>
/// <param name="ParentId">The message it answers or follows; <see langword="null"/> for a root.</param>
/// <param name="Role">The chat role: <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The text.</param>
/// <param name="ModelKey">The route key that produced it, for model replies.</param>
/// <param name="InputTokens">Prompt tokens the upstream reported, if any.</param>
/// <param name="OutputTokens">Completion tokens the upstream reported, if any.</param>
/// <param name="Status">Whether it is complete.</param>
/// <param name="CreatedAt">When it was written.</param>
public sealed record ConversationMessage(
    string Id,
    string ConversationId,
    string? ParentId,
    string Role,
    string Content,
    string? ModelKey,
    long? InputTokens,
    long? OutputTokens,
    MessageStatus Status,
    DateTimeOffset CreatedAt);
