using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.Retrieval;

/// <summary>One chunk a search found, with its scores.</summary>
/// <param name="Chunk">The chunk (without its vector), its citation and metadata.</param>
/// <param name="DocumentName">The name of its document.</param>
/// <param name="Score">
/// What the hits are ordered by, highest first: the cosine similarity (vector mode), the keyword score
/// (keyword mode), or the reciprocal rank fusion score <c>Σ 1/(RAG_RRF_K + rank)</c> over the vector and
/// keyword rankings the chunk appears in (hybrid mode; at most <c>2/(RAG_RRF_K + 1)</c>).
/// </param>
/// <param name="VectorScore">The cosine similarity of the chunk's embedding to the query's, -1 to 1 (vector and hybrid modes).</param>
/// <param name="KeywordScore">The store's keyword relevance of the chunk for the query's words (BM25 on SQLite, <c>ts_rank_cd</c> on PostgreSQL), higher is better, when the keyword ranking found it (keyword and hybrid modes).</param>
public sealed record RagSearchHit(RagChunk Chunk, string DocumentName, double Score, double? VectorScore, double? KeywordScore);
