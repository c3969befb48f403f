namespace Gateway.Core.Storage.Rag;

/// <summary>A full-text search over the chunks of one or more collections, most relevant match first (BM25 on SQLite, <c>ts_rank_cd</c> on PostgreSQL).</summary>
/// <param name="CollectionIds">The collections to search.</param>
/// <param name="Query">Free text; its words are matched with the same tokenizer and syntax as message search.</param>
/// <param name="K">How many hits at most, 1 to <see cref="RagRules.MaxK"/>.</param>
/// <param name="Filter">Only chunks it matches, or every chunk when <see langword="null"/>.</param>
public sealed record KeywordSearchRequest(IReadOnlyList<string> CollectionIds, string Query, int K, MetadataFilter? Filter = null);
