namespace Gateway.Storage.Sqlite.Search;

/// <summary>One required term of a query as <see cref="Bm25Scorer"/> scores it: its tokens, whether the last is a prefix, and in how many rows of the index it occurs.</summary>
internal sealed record Bm25Phrase(IReadOnlyList<string> Tokens, bool IsPrefix, long DocumentFrequency);
