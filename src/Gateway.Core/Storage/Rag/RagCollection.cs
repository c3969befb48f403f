namespace Gateway.Core.Storage.Rag;

/// <summary>
/// A set of documents searched together, bound to one embedding model and its dimension: every vector
/// stored in it came from <see cref="EmbeddingModel"/> and has <see cref="Dimensions"/> components.
/// </summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="Name">Unique among collections, case-insensitively.</param>
/// <param name="Description">Free text for people, if set.</param>
/// <param name="SpaceId">The space the collection belongs to, if any; spaces may also link collections they do not own.</param>
/// <param name="EmbeddingModel">The name of the embedding model its vectors come from.</param>
/// <param name="Dimensions">The length of every vector in it.</param>
/// <param name="DocumentCount">How many documents it holds.</param>
/// <param name="ChunkCount">How many chunks (each with one vector) it holds.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it, or any of its documents, last changed.</param>
public sealed record RagCollection(
    string Id,
    string Name,
    string? Description,
    string? SpaceId,
    string EmbeddingModel,
    int Dimensions,
    long DocumentCount,
    long ChunkCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
