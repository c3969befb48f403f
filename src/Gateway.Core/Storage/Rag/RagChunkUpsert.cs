using System.Text.Json;

namespace Gateway.Core.Storage.Rag;

/// <summary>One chunk record written directly, with a key the caller chose (how vector-store abstractions write).</summary>
/// <param name="Id">The caller's key, 1 to <see cref="RagRules.MaxChunkIdLength"/> characters; an existing chunk with it is replaced.</param>
/// <param name="DocumentId">A document of the collection the chunk belongs to.</param>
/// <param name="Ordinal">Its position in the document.</param>
/// <param name="Text">Its text.</param>
/// <param name="Citation">Where the text sits in the document.</param>
/// <param name="Vector">Its embedding, with the collection's dimensions; the store keeps it L2-normalised.</param>
/// <param name="Metadata">What filters match against, or <see langword="null"/> for the document's metadata.</param>
public sealed record RagChunkUpsert(
    string Id,
    string DocumentId,
    int Ordinal,
    string Text,
    ChunkCitation Citation,
    ReadOnlyMemory<float> Vector,
    JsonElement? Metadata = null);
