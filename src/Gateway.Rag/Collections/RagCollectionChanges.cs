namespace Gateway.Rag.Collections;

/// <summary>
/// The fields of a collection to change; <see langword="null"/> leaves a field as it is, an empty
/// <see cref="Description"/> or <see cref="SpaceId"/> clears it.
/// </summary>
/// <param name="Name">The new name.</param>
/// <param name="Description">The new description, or empty to clear it.</param>
/// <param name="SpaceId">The space it now belongs to, or empty for none.</param>
/// <param name="EmbeddingModel">Another model of the registry; its dimensions come with it. A collection that holds documents is re-embedded with it by a job.</param>
/// <param name="Dimensions">The dimensions the caller expects of the (new) model; another number is <c>embedding_model_mismatch</c>.</param>
public sealed record RagCollectionChanges(
    string? Name = null,
    string? Description = null,
    string? SpaceId = null,
    string? EmbeddingModel = null,
    int? Dimensions = null);
