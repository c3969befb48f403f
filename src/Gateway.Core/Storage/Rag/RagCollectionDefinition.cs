namespace Gateway.Core.Storage.Rag;

/// <summary>What a caller supplies to create a collection or to replace its fields wholesale.</summary>
/// <param name="Name">Unique among collections, case-insensitively.</param>
/// <param name="EmbeddingModel">The embedding model its vectors come from.</param>
/// <param name="Dimensions">The length of that model's vectors, 1 to <see cref="RagRules.MaxDimensions"/>.</param>
/// <param name="Description">Free text for people, at most <see cref="RagRules.MaxDescriptionLength"/> characters.</param>
/// <param name="SpaceId">The space it belongs to, if any.</param>
public sealed record RagCollectionDefinition(
    string Name,
    string EmbeddingModel,
    int Dimensions,
    string? Description = null,
    string? SpaceId = null);
