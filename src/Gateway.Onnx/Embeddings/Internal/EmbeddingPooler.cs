using System.Numerics.Tensors;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>Turns one input's token vectors into its sentence vector, as sentence-transformers' Pooling and Normalize modules do.</summary>
internal static class EmbeddingPooler
{
    /// <summary>sentence-transformers' <c>F.normalize</c> floor, so an all-zero vector stays zero instead of NaN.</summary>
    private const float NormFloor = 1e-12f;

    /// <param name="tokenVectors">The row's token vectors, <paramref name="length"/> real tokens first, padding after.</param>
    /// <param name="length">The real tokens (attention mask ones), special tokens included.</param>
    /// <param name="pooling">Mean of the real tokens, or the first token.</param>
    /// <param name="normalize">Whether to scale the result to length 1.</param>
    /// <param name="destination">The sentence vector, one model dimension long.</param>
    public static void Pool(ReadOnlySpan<float> tokenVectors, int length, EmbeddingPooling pooling, bool normalize, Span<float> destination)
    {
        var dimensions = destination.Length;
        tokenVectors[..dimensions].CopyTo(destination);
        if (pooling == EmbeddingPooling.Mean)
        {
            for (var token = 1; token < length; token++)
            {
                TensorPrimitives.Add(destination, tokenVectors.Slice(token * dimensions, dimensions), destination);
            }

            TensorPrimitives.Divide(destination, length, destination);
        }

        Finish(normalize, destination);
    }

    /// <summary>Normalises an already pooled vector when asked.</summary>
    public static void Finish(bool normalize, Span<float> vector)
    {
        if (normalize)
        {
            TensorPrimitives.Divide(vector, MathF.Max(TensorPrimitives.Norm(vector), NormFloor), vector);
        }
    }
}
