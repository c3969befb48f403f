using System.Numerics.Tensors;

namespace Gateway.Core.Vectors;

/// <summary>
/// Vector arithmetic the stores share: normalisation and exact top-k over a row-major matrix of
/// L2-normalised float32 vectors, where the dot product is the cosine similarity.
/// </summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="vector"/> to unit length in place; an all-zero vector is left as it is.</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm((ReadOnlySpan<float>)vector);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>A unit-length copy of <paramref name="vector"/>.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        Normalize(copy);
        return copy;
    }

    /// <summary>The <paramref name="k"/> rows with the highest dot product with <paramref name="query"/>, best first, ties by lower row.</summary>
    /// <param name="rows">The matrix, <c>rows.Length / dimensions</c> rows of <paramref name="dimensions"/> each.</param>
    /// <param name="dimensions">The length of each row and of the query.</param>
    /// <param name="query">The query vector.</param>
    /// <param name="k">How many rows at most.</param>
    public static ScoredRow[] TopK(ReadOnlySpan<float> rows, int dimensions, ReadOnlySpan<float> query, int k)
    {
        CheckShape(rows, dimensions, query, k);
        var heap = new TopKHeap(k);
        var count = rows.Length / dimensions;
        for (var row = 0; row < count; row++)
        {
            heap.Offer(row, TensorPrimitives.Dot(rows.Slice(row * dimensions, dimensions), query));
        }

        return heap.ToSortedArray();
    }

    /// <summary>Like <see cref="TopK(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int)"/>, over only the rows in <paramref name="candidateRows"/>.</summary>
    public static ScoredRow[] TopK(ReadOnlySpan<float> rows, int dimensions, ReadOnlySpan<float> query, int k, ReadOnlySpan<int> candidateRows)
    {
        CheckShape(rows, dimensions, query, k);
        var heap = new TopKHeap(k);
        foreach (var row in candidateRows)
        {
            heap.Offer(row, TensorPrimitives.Dot(rows.Slice(row * dimensions, dimensions), query));
        }

        return heap.ToSortedArray();
    }

    private static void CheckShape(ReadOnlySpan<float> rows, int dimensions, ReadOnlySpan<float> query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (query.Length != dimensions || rows.Length % dimensions != 0)
        {
            throw new ArgumentException($"Expected a query of {dimensions} components and whole rows of {dimensions}.", nameof(query));
        }
    }
}
