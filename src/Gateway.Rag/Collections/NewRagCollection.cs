namespace Gateway.Rag.Collections;

/// <summary>A collection to create.</summary>
/// <param name="Name">Unique among collections, case-insensitively.</param>
/// <param name="EmbeddingModel">A model of the gateway's embedding registry, or <see langword="null"/> for its default.</param>
/// <param name="Dimensions">The dimensions the caller expects, or <see langword="null"/> for the model's; another number is <c>embedding_model_mismatch</c>.</param>
/// <param name="Description">Free text for people.</param>
/// <param name="SpaceId">The space it belongs to, if any.</param>
public sealed record NewRagCollection(
    string Name,
    string? EmbeddingModel = null,
    int? Dimensions = null,
    string? Description = null,
    string? SpaceId = null);
