using Microsoft.Extensions.AI;

namespace Gateway.Core.Embeddings;

/// <summary>One registered embedding model: what it is, and the generator that computes its vectors.</summary>
/// <param name="Info">Its name, dimensions, limits and where it runs.</param>
/// <param name="Generator">Computes its embeddings; thread-safe, shared by every request.</param>
public sealed record EmbeddingModel(EmbeddingModelInfo Info, IEmbeddingGenerator<string, Embedding<float>> Generator);
