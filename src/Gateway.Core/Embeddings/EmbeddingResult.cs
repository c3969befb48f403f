using Microsoft.Extensions.AI;

namespace Gateway.Core.Embeddings;

/// <summary>The embeddings of one request, in the order of its inputs.</summary>
/// <param name="Model">The model that computed them.</param>
/// <param name="Embeddings">One vector per input, in input order.</param>
/// <param name="InputTokens">The tokens the model read, over all inputs, after truncation.</param>
public sealed record EmbeddingResult(EmbeddingModelInfo Model, IReadOnlyList<Embedding<float>> Embeddings, long InputTokens);
