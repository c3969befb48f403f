using Gateway.Onnx.Embeddings;

namespace Gateway.Onnx.Tests.Infrastructure;

/// <summary>The bundled model, loaded once for the whole test run (a load takes about a second).</summary>
public static class MiniLM
{
    private static readonly Lazy<OnnxEmbeddingGenerator> Shared = new(() =>
        OnnxEmbeddingGenerator.Load(BundledEmbeddingModel.Name, BundledEmbeddingModel.Folder));

    public static OnnxEmbeddingGenerator Generator => Shared.Value;

    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    public static async Task<float[][]> EmbedAsync(this OnnxEmbeddingGenerator generator, params string[] texts)
    {
        var embeddings = await generator.GenerateAsync(texts);
        return [.. embeddings.Select(e => e.Vector.ToArray())];
    }
}
