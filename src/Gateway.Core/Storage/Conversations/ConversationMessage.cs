using System.Text.Json.Serialization;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// A stored message. <see cref="ParentId"/> makes a conversation a tree: a regenerated reply or an
/// edited prompt is a sibling of the message it replaces, and every branch stays retrievable. Two
/// messages are equal when every member is, <see cref="ToolCalls"/> and <see cref="Citations"/> compared item by item.
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
/// <param name="ToolCalls">For an <c>assistant</c> message, the tool calls it asked for; <see langword="null"/> when none.</param>
/// <param name="ToolCallId">For a <c>tool</c> message, the id of the tool call whose result it holds; <see langword="null"/> when not known.</param>
/// <param name="ToolName">For a <c>tool</c> message, the name of the function that ran, if known.</param>
/// <param name="Citations">For an <c>assistant</c> message answered from retrieved passages, those passages' sources, numbered as the reply cites them; <see langword="null"/> when none.</param>
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
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StoredToolCall>? ToolCalls = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ToolCallId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ToolName = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MessageCitation>? Citations = null)
{
    /// <inheritdoc />
    public bool Equals(ConversationMessage? other) =>
        other is not null
        && Id == other.Id
        && ConversationId == other.ConversationId
        && ParentId == other.ParentId
        && Role == other.Role
        && Content == other.Content
        && ModelKey == other.ModelKey
        && InputTokens == other.InputTokens
        && OutputTokens == other.OutputTokens
        && Status == other.Status
        && CreatedAt == other.CreatedAt
        && ToolCallId == other.ToolCallId
        && ToolName == other.ToolName
        && (ToolCalls ?? []).SequenceEqual(other.ToolCalls ?? [])
        && (Citations ?? []).SequenceEqual(other.Citations ?? []);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, ConversationId, Role, Content, CreatedAt, ToolCallId, ToolCalls?.Count ?? 0);
}
