using Gateway.Core.Embeddings;
using Microsoft.Extensions.AI;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// An embedding model that answers each known query with its precomputed vector and does no other work, so
/// a search benchmark times the store and the ranking without the query's embedding (timed apart with the
/// real model). Any other text is refused: the corpus is written with its vectors, not through a model.
/// </summary>
internal sealed class PrecomputedQueryEmbeddings(IReadOnlyDictionary<string, float[]> vectors) : IEmbeddingModelSource
{
    public const string ModelName = "bench-precomputed-384";

    public IReadOnlyList<EmbeddingModel> LoadModels() =>
        [new EmbeddingModel(new EmbeddingModelInfo(ModelName, RagSearchCorpus.Dimensions, 512, "bench", "cpu", "precomputed"), new Generator(vectors))];

    private sealed class Generator(IReadOnlyDictionary<string, float[]> vectors) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(value => vectors.TryGetValue(value, out var vector)
                ? new Embedding<float>(vector)
                : throw new InvalidOperationException($"No precomputed vector for '{value}'."))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
