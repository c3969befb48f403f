namespace Gateway.Core.Storage.Rag;

/// <summary>A chunk's vector from the model a collection is being re-embedded with.</summary>
/// <param name="ChunkId">The chunk.</param>
/// <param name="Text">The text the vector was embedded from: it is kept only while the chunk still has this text.</param>
/// <param name="Vector">The embedding, with the re-embedding's dimensions; the store keeps it L2-normalised.</param>
public sealed record PendingChunkVector(string ChunkId, string Text, ReadOnlyMemory<float> Vector);
