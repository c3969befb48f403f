namespace Gateway.Rag.Documents;

/// <summary>How far embedding one document's chunks has come: reported before the first batch and after each one.</summary>
/// <param name="ChunksDone">The chunks embedded so far.</param>
/// <param name="ChunksTotal">The document's chunks.</param>
internal readonly record struct EmbeddingProgress(int ChunksDone, int ChunksTotal);
