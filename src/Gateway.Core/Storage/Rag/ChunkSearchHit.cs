namespace Gateway.Core.Storage.Rag;

/// <summary>One chunk a search found, with the name of its document.</summary>
/// <param name="Chunk">The chunk (without its vector).</param>
/// <param name="DocumentName">The name of the document it belongs to.</param>
/// <param name="Score">For a vector search its cosine similarity to the query (higher is nearer); for a keyword search the store's keyword relevance, higher is better: BM25 on SQLite, <c>ts_rank_cd</c> cover density on PostgreSQL (comparable only within one search).</param>
public sealed record ChunkSearchHit(RagChunk Chunk, string DocumentName, double Score);
