using System.Text.Json;

namespace Gateway.Core.Storage.Rag;

/// <summary>A document to write into a collection, already split and embedded.</summary>
/// <param name="Name">Unique within the collection; an existing document of this name is replaced.</param>
/// <param name="ContentHash">The lowercase hex SHA-256 of the text (<see cref="RagRules.ContentHash"/>).</param>
/// <param name="CharacterCount">The length of the text in UTF-16 characters.</param>
/// <param name="Chunks">Its chunks in document order; the <c>i</c>-th gets ordinal <c>i</c>.</param>
/// <param name="Metadata">A JSON object, or <see langword="null"/> for <c>{}</c>.</param>
/// <param name="Text">
/// The text the chunks were cut from (its length is <paramref name="CharacterCount"/>), stored with the document so that a
/// citation's range can be read back (<see cref="IRagCollectionStore.ReadDocumentTextAsync"/>); <see langword="null"/> keeps none.
/// </param>
public sealed record RagDocumentWrite(
    string Name,
    string ContentHash,
    long CharacterCount,
    IReadOnlyList<NewRagChunk> Chunks,
    JsonElement? Metadata = null,
    string? Text = null);
