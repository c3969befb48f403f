using System.Text.Json;

namespace Gateway.Core.Storage.Rag;

/// <summary>One stored chunk: a piece of a document's text and its vector.</summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="CollectionId">The collection that holds it.</param>
/// <param name="DocumentId">The document it is a piece of.</param>
/// <param name="Ordinal">Its 0-based position in the document.</param>
/// <param name="Text">Its text.</param>
/// <param name="Citation">Where the text sits in the document.</param>
/// <param name="Metadata">The document's metadata, which filters match against.</param>
/// <param name="Vector">Its L2-normalised embedding, or <see langword="null"/> when the read did not ask for vectors.</param>
public sealed record RagChunk(
    string Id,
    string CollectionId,
    string DocumentId,
    int Ordinal,
    string Text,
    ChunkCitation Citation,
    JsonElement Metadata,
    ReadOnlyMemory<float>? Vector);
