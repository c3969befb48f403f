using System.Text.Json;

namespace Gateway.Rag.Ingestion.Internal;

/// <summary>An upload or a text of an ingestion's payload: its document name and the job attachment holding its bytes.</summary>
/// <param name="Attachment">The attachment's name within the job.</param>
/// <param name="Name">The document's name.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Metadata">Its chunks' metadata, or <see langword="null"/> for <c>{}</c>.</param>
internal sealed record StagedDocument(string Attachment, string Name, long Bytes, JsonElement? Metadata);
