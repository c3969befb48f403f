namespace Gateway.Core.Chat.Retrieval;

/// <summary>What one chat turn retrieves for.</summary>
/// <param name="Question">The text searched for: the turn's last user message.</param>
/// <param name="SpaceId">The space the turn runs in, whose collections are searched when <see cref="CollectionIds"/> is <see langword="null"/>.</param>
/// <param name="CollectionIds">The collections to search, or <see langword="null"/> for the space's.</param>
/// <param name="K">How many passages at most.</param>
/// <param name="Filter">Only chunks it matches, when set.</param>
/// <param name="MinScore">Only passages scoring at least this, when set.</param>
public sealed record ChatContextQuery(
    string Question,
    string? SpaceId,
    IReadOnlyList<string>? CollectionIds,
    int K,
    Storage.Rag.MetadataFilter? Filter,
    double? MinScore);
