namespace Gateway.Rag.Ingestion;

/// <summary>Why one document of an ingestion was not added; the other documents go on.</summary>
/// <param name="Document">The document's name.</param>
/// <param name="ErrorCode">The stable error code (<c>document_corrupt</c>, <c>unsupported_document_type</c>, <c>payload_too_large</c>…).</param>
/// <param name="Detail">A sentence for a human.</param>
public sealed record IngestionError(string Document, string ErrorCode, string Detail);
