using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.Retrieval;

/// <summary>A search over the chunks of some collections, or of a space's.</summary>
/// <param name="Query">What to look for, as free text.</param>
/// <param name="CollectionIds">The collections to search (all bound to one embedding model); or <see langword="null"/> with <paramref name="SpaceId"/>.</param>
/// <param name="SpaceId">A space whose collections (linked and its own) are searched, when <paramref name="CollectionIds"/> is <see langword="null"/>.</param>
/// <param name="K">How many hits at most, 1 to <see cref="RagRules.MaxK"/>; <see cref="RagOptions.DefaultK"/> when <see langword="null"/>.</param>
/// <param name="Filter">Only chunks it matches (see <see cref="MetadataFilterParser"/>).</param>
/// <param name="Mode">How chunks are ranked.</param>
/// <param name="MinScore">Only hits whose cosine similarity to the query (<see cref="RagSearchHit.VectorScore"/>) is at least this; not with <see cref="RagSearchMode.Keyword"/>.</param>
public sealed record RagSearchRequest(
    string Query,
    IReadOnlyList<string>? CollectionIds = null,
    string? SpaceId = null,
    int? K = null,
    MetadataFilter? Filter = null,
    RagSearchMode Mode = RagSearchMode.Hybrid,
    double? MinScore = null);
