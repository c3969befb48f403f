namespace Gateway.Core.Storage.Rag;

/// <summary>A top-k nearest-neighbour search over the chunks of one or more collections.</summary>
/// <param name="CollectionIds">The collections to search; all must share the query's dimensions.</param>
/// <param name="Vector">The query embedding (normalised by the store).</param>
/// <param name="K">How many hits at most, 1 to <see cref="RagRules.MaxK"/>.</param>
/// <param name="Filter">Only chunks it matches, or every chunk when <see langword="null"/>. A filtered search returns <paramref name="K"/> hits whenever that many chunks match.</param>
/// <param name="MinScore">Only hits whose cosine similarity is at least this, when set.</param>
public sealed record VectorSearchRequest(
    IReadOnlyList<string> CollectionIds,
    ReadOnlyMemory<float> Vector,
    int K,
    MetadataFilter? Filter = null,
    double? MinScore = null);
