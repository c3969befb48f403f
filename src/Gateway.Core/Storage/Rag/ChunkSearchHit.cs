namespace Gateway.Core.Storage.Rag;

/// <summary>One chunk a search found, with the name of its document.</summary>
/// <param name="Chunk">The chunk (without its vector).</param>
/// <param name="DocumentName">The name of the document it belongs to.</param>
/// <param name="Score">For a vector search its cosine similarity to the query (higher is nearer); for a keyword search its BM25 score (higher is better).</param>
public sealed record ChunkSearchHit(RagChunk Chunk, string DocumentName, double Score);
