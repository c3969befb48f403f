namespace Gateway.Core.Storage.Rag;

/// <summary>One chunk of a document being written, with its vector.</summary>
/// <param name="Text">The chunk's text.</param>
/// <param name="Citation">Where the text sits in the document.</param>
/// <param name="Vector">Its embedding, with the collection's dimensions; the store keeps it L2-normalised.</param>
public sealed record NewRagChunk(string Text, ChunkCitation Citation, ReadOnlyMemory<float> Vector);
