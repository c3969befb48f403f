using System.Text.Json;

namespace Gateway.Core.Storage.Rag;

/// <summary>One document of a collection: its name, what its text hashed to, and the metadata its chunks are filtered by.</summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="CollectionId">The collection that holds it.</param>
/// <param name="Name">Unique within its collection (ordinal, case-sensitive); writing a document with the same name replaces it.</param>
/// <param name="ContentHash">The lowercase hex SHA-256 of its text; the same name with the same hash is not written again.</param>
/// <param name="Metadata">A JSON object the caller owns; every chunk of the document is filtered by it.</param>
/// <param name="ChunkCount">How many chunks it was split into.</param>
/// <param name="CharacterCount">The length of its text in UTF-16 characters.</param>
/// <param name="CreatedAt">When a document of this name was first written.</param>
/// <param name="UpdatedAt">When its content last changed.</param>
public sealed record RagDocument(
    string Id,
    string CollectionId,
    string Name,
    string ContentHash,
    JsonElement Metadata,
    int ChunkCount,
    long CharacterCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
