namespace Gateway.Core.Chat.Retrieval;

/// <summary>What a retrieval found for a chat turn.</summary>
/// <param name="CollectionIds">The collections searched.</param>
/// <param name="Passages">The passages found, best first; empty when nothing scored at least the minimum.</param>
public sealed record ChatContext(IReadOnlyList<string> CollectionIds, IReadOnlyList<ChatContextPassage> Passages);
