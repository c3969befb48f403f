namespace Gateway.Core.Storage.Rag;

/// <summary>
/// A collection on its way to another embedding model: the new vectors are written beside the old ones
/// (pending), searches keep reading the old ones, and the swap replaces them all in one transaction.
/// </summary>
/// <param name="CollectionId">The collection being re-embedded.</param>
/// <param name="EmbeddingModel">The model its vectors are moving to.</param>
/// <param name="Dimensions">That model's dimensions.</param>
/// <param name="JobId">The job that owns the re-embedding: every write to it names this id.</param>
/// <param name="StartedAt">When it began.</param>
/// <param name="ChunksTotal">How many chunks the collection holds now.</param>
/// <param name="ChunksDone">How many of them have their pending vector.</param>
public sealed record RagReembedding(
    string CollectionId,
    string EmbeddingModel,
    int Dimensions,
    string JobId,
    DateTimeOffset StartedAt,
    long ChunksTotal,
    long ChunksDone);
