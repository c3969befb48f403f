namespace Gateway.Core.Storage.Rag;

/// <summary>The document as stored after a write, and what the write did.</summary>
/// <param name="Document">The stored document.</param>
/// <param name="Outcome">Whether it was created, replaced or left as it was.</param>
public sealed record RagDocumentWriteResult(RagDocument Document, RagDocumentWriteOutcome Outcome);
