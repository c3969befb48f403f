using System.Text.Json;

namespace Gateway.Rag.Ingestion;

/// <summary>An uploaded file to ingest: staged with the ingestion's job, so any replica that runs the job reads it.</summary>
/// <param name="Name">The document's name in the collection; its ending picks the extractor (<see cref="Extraction.DocumentExtraction.SupportedTypes"/>).</param>
/// <param name="Content">The file's bytes, at most <see cref="RagOptions.MaxDocumentBytes"/>.</param>
/// <param name="Metadata">A JSON object its chunks are filtered by, or <see langword="null"/> for <c>{}</c>.</param>
public sealed record IngestionUpload(string Name, ReadOnlyMemory<byte> Content, JsonElement? Metadata = null);
