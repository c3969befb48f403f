using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Chat.Retrieval;

/// <summary>
/// What a chat turn asks of retrieval (the <c>rag</c> member of <c>/api/chat</c>). A turn without one
/// retrieves from its space's collections when the space has any and <see cref="ChatContextOptions.FromSpace"/>
/// is on; <see cref="Off"/> retrieves nothing.
/// </summary>
/// <param name="Enabled">Whether the turn retrieves at all.</param>
/// <param name="CollectionIds">The collections to search; <see langword="null"/> for the turn's space's.</param>
/// <param name="K">How many passages at most (1 to <see cref="RagRules.MaxK"/>); <see cref="ChatContextOptions.DefaultK"/> when unset.</param>
/// <param name="Filter">Only chunks it matches, when set.</param>
/// <param name="MinScore">Only passages scoring at least this; <see cref="ChatContextOptions.MinScore"/> when unset.</param>
public sealed record ChatRetrievalRequest(
    bool Enabled = true,
    IReadOnlyList<string>? CollectionIds = null,
    int? K = null,
    MetadataFilter? Filter = null,
    double? MinScore = null)
{
    /// <summary>A turn that retrieves nothing, even in a space with collections (<c>"rag": false</c>).</summary>
    public static ChatRetrievalRequest Off { get; } = new(Enabled: false);
}
