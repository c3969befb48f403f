using System.Numerics.Tensors;
using Gateway.Core.Vectors.Internal;

namespace Gateway.Core.Vectors;

/// <summary>
/// Vector arithmetic the stores share: normalisation and exact top-k over a contiguous row-major matrix of
/// L2-normalised float32 vectors, where the dot product is the cosine similarity. The scans run at the
/// memory-bandwidth bound (Vector512 or Vector256 FMA, four rows at a time, one accumulator each); results
/// are best first with ties broken by the lower row, and every variant (one thread, all cores, candidate
/// list, batch) scores a row identically, so they agree exactly.
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

    /// <summary>The <paramref name="k"/> rows with the highest dot product with <paramref name="query"/>, best first, ties by lower row; on the calling thread.</summary>
    /// <param name="rows">The matrix, <c>rows.Length / dimensions</c> rows of <paramref name="dimensions"/> each.</param>
    /// <param name="dimensions">The length of each row and of the query.</param>
    /// <param name="query">The query vector.</param>
    /// <param name="k">How many rows at most.</param>
    public static ScoredRow[] TopK(ReadOnlySpan<float> rows, int dimensions, ReadOnlySpan<float> query, int k)
    {
        var count = CheckShape(rows, dimensions, query.Length, k);
        var heap = new TopKHeap(Math.Min(k, count));
        FloatScan.Rows(rows, dimensions, 0, count, query, heap);
        return heap.ToSortedArray();
    }

    /// <summary>Like <see cref="TopK(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int)"/>, over only the rows in <paramref name="candidateRows"/> (each listed once).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A candidate is not a row of the matrix.</exception>
    public static ScoredRow[] TopK(ReadOnlySpan<float> rows, int dimensions, ReadOnlySpan<float> query, int k, ReadOnlySpan<int> candidateRows)
    {
        var count = CheckShape(rows, dimensions, query.Length, k);
        CheckCandidates(candidateRows, count);
        var heap = new TopKHeap(Math.Min(k, candidateRows.Length));
        FloatScan.Candidates(rows, dimensions, candidateRows, query, heap);
        return heap.ToSortedArray();
    }

    /// <summary>
    /// Like <see cref="TopK(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int)"/>, with the rows split over
    /// up to <paramref name="maxDegreeOfParallelism"/> threads (0 or less: one per processor); small
    /// matrices stay on the calling thread. The result is the same as the one-thread scan's.
    /// </summary>
    public static ScoredRow[] TopKParallel(ReadOnlyMemory<float> rows, int dimensions, ReadOnlyMemory<float> query, int k, int maxDegreeOfParallelism = 0)
    {
        var count = CheckShape(rows.Span, dimensions, query.Length, k);
        var heaps = RowPartitions.Scan(count, Math.Min(k, count), 1, maxDegreeOfParallelism,
            (start, end, partition) => FloatScan.Rows(rows.Span, dimensions, start, end, query.Span, partition[0]));
        return heaps[0].ToSortedArray();
    }

    /// <summary>
    /// The top <paramref name="k"/> rows for each of several queries in one pass over the matrix (16 queries
    /// share each read of a row), on the calling thread: result <c>i</c> equals
    /// <see cref="TopK(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int)"/> for query <c>i</c>.
    /// </summary>
    /// <param name="rows">The matrix.</param>
    /// <param name="dimensions">The length of each row and each query.</param>
    /// <param name="queries">The queries, row-major: <c>queries.Length / dimensions</c> of them.</param>
    /// <param name="k">How many rows at most per query.</param>
    public static ScoredRow[][] TopKBatch(ReadOnlySpan<float> rows, int dimensions, ReadOnlySpan<float> queries, int k)
    {
        var count = CheckShape(rows, dimensions, dimensions, k);
        var heaps = RowPartitions.NewHeaps(CheckQueries(queries.Length, dimensions), Math.Min(k, count));
        FloatScan.Batch(rows, dimensions, 0, count, queries, heaps);
        return SortAll(heaps);
    }

    /// <summary>Like <see cref="TopKBatch"/>, with the rows split over up to <paramref name="maxDegreeOfParallelism"/> threads (0 or less: one per processor).</summary>
    public static ScoredRow[][] TopKBatchParallel(ReadOnlyMemory<float> rows, int dimensions, ReadOnlyMemory<float> queries, int k, int maxDegreeOfParallelism = 0)
    {
        var count = CheckShape(rows.Span, dimensions, dimensions, k);
        var heaps = RowPartitions.Scan(count, Math.Min(k, count), CheckQueries(queries.Length, dimensions), maxDegreeOfParallelism,
            (start, end, partition) => FloatScan.Batch(rows.Span, dimensions, start, end, queries.Span, partition));
        return SortAll(heaps);
    }

    internal static int CheckShape(ReadOnlySpan<float> rows, int dimensions, int queryLength, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (queryLength != dimensions || rows.Length % dimensions != 0)
        {
            throw new ArgumentException($"Expected a query of {dimensions} components and whole rows of {dimensions}.", "query");
        }

        return rows.Length / dimensions;
    }

    internal static void CheckCandidates(ReadOnlySpan<int> candidateRows, int rowCount)
    {
        foreach (var row in candidateRows)
        {
            if ((uint)row >= (uint)rowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(candidateRows), row, $"Candidate rows must be 0 to {rowCount - 1}.");
            }
        }
    }

    private static int CheckQueries(int length, int dimensions)
    {
        if (length % dimensions != 0)
        {
            throw new ArgumentException($"Expected whole queries of {dimensions} components.", "queries");
        }

        return length / dimensions;
    }

    private static ScoredRow[][] SortAll(TopKHeap[] heaps)
    {
        var results = new ScoredRow[heaps.Length][];
        for (var i = 0; i < heaps.Length; i++)
        {
            results[i] = heaps[i].ToSortedArray();
        }

        return results;
    }
}
