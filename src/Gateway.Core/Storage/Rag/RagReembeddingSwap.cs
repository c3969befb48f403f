namespace Gateway.Core.Storage.Rag;

/// <summary>What an attempt to swap a re-embedding's vectors in did.</summary>
/// <param name="Swapped">Whether the vectors, model and dimensions were replaced (the re-embedding is then over).</param>
/// <param name="ChunksMissing">How many chunks had no pending vector yet (chunks written meanwhile); nothing was changed while any did.</param>
/// <param name="Collection">The collection after the attempt.</param>
public sealed record RagReembeddingSwap(bool Swapped, long ChunksMissing, RagCollection Collection);
