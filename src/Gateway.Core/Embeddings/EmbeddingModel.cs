using Microsoft.Extensions.AI;

namespace Gateway.Core.Embeddings;

/// <summary>One registered embedding model: what it is, and the generator that computes its vectors.</summary>
/// <param name="Info">Its name, dimensions, limits and where it runs.</param>
/// <param name="Generator">Computes its embeddings; thread-safe, shared by every request.</param>
public sealed record EmbeddingModel(EmbeddingModelInfo Info, IEmbeddingGenerator<string, Embedding<float>> Generator)
{
    /// <summary>The model's own tokenizer, when its source exposes it; text is then chunked by real token counts.</summary>
    public IEmbeddingTokenizer? Tokenizer { get; init; }
}
