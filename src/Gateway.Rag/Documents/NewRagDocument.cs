using System.Text.Json;

namespace Gateway.Rag.Documents;

/// <summary>A document to add to a collection as text.</summary>
/// <param name="Name">Unique within the collection; a document of this name is replaced, or left alone when its text is the same.</param>
/// <param name="Text">The whole text, at least one word, at most <see cref="RagOptions.MaxDocumentCharacters"/> characters.</param>
/// <param name="Metadata">A JSON object its chunks are filtered by, or <see langword="null"/> for <c>{}</c>.</param>
public sealed record NewRagDocument(string Name, string Text, JsonElement? Metadata = null);
