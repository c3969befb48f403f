namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// A message to append. Without <see cref="ParentId"/> it follows the leaf of the active branch;
/// with one it starts or extends the branch below that message. Either way it becomes the new
/// active leaf.
/// </summary>
/// <param name="Role">The chat role: <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The text.</param>
/// <param name="ParentId">The message it follows, or <see langword="null"/> for the active leaf.</param>
/// <param name="ModelKey">The route key that produced it, for model replies.</param>
/// <param name="InputTokens">Prompt tokens, if known.</param>
/// <param name="OutputTokens">Completion tokens, if known.</param>
/// <param name="Status">Whether it is complete.</param>
/// <param name="ToolCalls">For an <c>assistant</c> message, the tool calls it asks for (it may have no text then).</param>
/// <param name="ToolCallId">For a <c>tool</c> message, the id of the <see cref="StoredToolCall"/> whose result it holds.</param>
/// <param name="ToolName">For a <c>tool</c> message, the name of the function that ran, if known.</param>
/// <param name="Citations">For an <c>assistant</c> message answered from retrieved passages, their sources, numbered as the reply cites them.</param>
public sealed record NewMessage(
    string Role,
    string Content,
    string? ParentId = null,
    string? ModelKey = null,
    long? InputTokens = null,
    long? OutputTokens = null,
    MessageStatus Status = MessageStatus.Complete,
    IReadOnlyList<StoredToolCall>? ToolCalls = null,
    string? ToolCallId = null,
    string? ToolName = null,
    IReadOnlyList<MessageCitation>? Citations = null);
