using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.Documents;

/// <summary>A document as stored after adding it, what adding it did, and its chunks.</summary>
/// <param name="Document">The stored document.</param>
/// <param name="Outcome">Created, replaced (same id, new chunks) or unchanged (same text: nothing embedded or written, metadata included).</param>
/// <param name="Chunks">Its chunks in order, without vectors.</param>
public sealed record RagDocumentIngestion(RagDocument Document, RagDocumentWriteOutcome Outcome, IReadOnlyList<RagChunk> Chunks);
