namespace Gateway.Rag.Retrieval;

/// <summary>What a search found, and where its time went.</summary>
/// <param name="CollectionIds">The collections searched (a space's, when the request named a space); empty when the space has none.</param>
/// <param name="Hits">The hits, best first (ties by chunk id).</param>
/// <param name="QueryEmbeddingTime">The time spent embedding the query (zero in keyword mode).</param>
/// <param name="SearchTime">The time spent in the stores and ranking, the query's embedding excluded.</param>
public sealed record RagSearchResult(
    IReadOnlyList<string> CollectionIds, IReadOnlyList<RagSearchHit> Hits, TimeSpan QueryEmbeddingTime, TimeSpan SearchTime);
