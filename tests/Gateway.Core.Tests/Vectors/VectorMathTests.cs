using Gateway.Core.Vectors;
using static Gateway.Core.Tests.Vectors.VectorTestData;

namespace Gateway.Core.Tests.Vectors;

public sealed class VectorMathTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 50, 5 },
        { 7, 300, 10 },
        { 16, 257, 10 },
        { 17, 1_001, 25 },
        { 100, 999, 10 },
        { 384, 2_003, 10 },
        { 385, 501, 7 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TopK_RandomRows_MatchesNaiveReference(int dimensions, int rowCount, int k)
    {
        var rows = Gaussian(dimensions, rowCount, dimensions);
        var query = Gaussian(dimensions + 1, 1, dimensions);

        AssertExact(rows, dimensions, query, k, VectorMath.TopK(rows, dimensions, query, k), candidates: null);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TopK_CandidateRows_MatchesNaiveReferenceOverThem(int dimensions, int rowCount, int k)
    {
        var rows = Gaussian(dimensions, rowCount, dimensions);
        var query = Gaussian(dimensions + 1, 1, dimensions);
        var candidates = Enumerable.Range(0, rowCount).Where(r => r % 3 != 1).Reverse().ToArray();

        var result = VectorMath.TopK(rows, dimensions, query, k, candidates);

        AssertExact(rows, dimensions, query, k, result, candidates);
    }

    [Fact]
    public void TopK_KLargerThanRows_ReturnsEveryRowSorted()
    {
        var rows = Gaussian(3, 6, 10);
        var query = Gaussian(4, 1, 10);

        var result = VectorMath.TopK(rows, 10, query, 50);

        Assert.Equal(6, result.Length);
        Assert.Equal(NaiveTopK(rows, 10, query, 50).Select(r => r.Row), result.Select(r => r.Row));
        Assert.Empty(VectorMath.TopK(rows, 10, query, 5, []));
    }

    [Fact]
    public void TopK_EqualRows_TieByLowerRowInEveryVariant()
    {
        const int Dimensions = 33;
        var distinct = Gaussian(5, 3, Dimensions);
        var rows = new float[11 * Dimensions];
        int[] copyOf = [2, 0, 1, 0, 2, 0, 1, 2, 0, 1, 0];
        for (var r = 0; r < copyOf.Length; r++)
        {
            distinct.AsSpan(copyOf[r] * Dimensions, Dimensions).CopyTo(rows.AsSpan(r * Dimensions));
        }

        var query = distinct[..Dimensions];
        int[] expected = [1, 3, 5, 8, 10, 2, 6];

        Assert.Equal(expected, VectorMath.TopK(rows, Dimensions, query, 7).Select(r => r.Row));
        Assert.Equal(expected, VectorMath.TopK(rows, Dimensions, query, 7, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]).Select(r => r.Row));
        Assert.Equal(expected, VectorMath.TopKParallel(rows, Dimensions, query, 7, maxDegreeOfParallelism: 4).Select(r => r.Row));
        Assert.Equal(expected, VectorMath.TopKBatch(rows, Dimensions, query, 7)[0].Select(r => r.Row));
        var best = VectorMath.TopK(rows, Dimensions, query, 7);
        Assert.Equal(best[0].Score, best[4].Score);
    }

    [Theory]
    [InlineData(384, 20_000, 10, 1)]
    [InlineData(384, 25_001, 10, 16)]
    [InlineData(385, 20_003, 12, 19)]
    [InlineData(20, 40_000, 3, 40)]
    public void ParallelAndBatched_AnyRowsAndQueries_EqualTheOneThreadScanExactly(int dimensions, int rowCount, int k, int queryCount)
    {
        var rows = Gaussian(7, rowCount, dimensions);
        var queries = Gaussian(8, queryCount, dimensions);

        var single = Enumerable.Range(0, queryCount)
            .Select(q => VectorMath.TopK(rows, dimensions, queries.AsSpan(q * dimensions, dimensions), k)).ToArray();

        Assert.Equal(single, VectorMath.TopKBatch(rows, dimensions, queries, k));
        Assert.Equal(single, VectorMath.TopKBatchParallel(rows, dimensions, queries, k, maxDegreeOfParallelism: 3));
        for (var q = 0; q < queryCount; q++)
        {
            Assert.Equal(single[q], VectorMath.TopKParallel(rows, dimensions, queries.AsMemory(q * dimensions, dimensions), k, maxDegreeOfParallelism: 3));
        }
    }

    [Fact]
    public void TopK_CandidateOutsideTheMatrix_Throws()
    {
        var rows = Gaussian(9, 4, 8);
        var query = Gaussian(10, 1, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.TopK(rows, 8, query, 2, [0, 4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.TopK(rows, 8, query, 2, [-1]));
        Assert.Throws<ArgumentException>(() => VectorMath.TopK(rows, 8, query[..7], 2));
        Assert.Throws<ArgumentException>(() => VectorMath.TopKBatch(rows, 8, query[..7], 2));
    }

    private static void AssertExact(float[] rows, int dimensions, float[] query, int k, ScoredRow[] result, int[]? candidates)
    {
        var reference = NaiveTopK(rows, dimensions, query, k, candidates);
        Assert.Equal(reference.Length, result.Length);
        for (var i = 0; i < result.Length; i++)
        {
            Assert.Equal(reference[i].Score, result[i].Score, Tolerance);
            Assert.Equal(NaiveDot(rows.AsSpan(result[i].Row * dimensions, dimensions), query), result[i].Score, Tolerance);
        }

        Assert.Equal(result.Length, result.Select(r => r.Row).Distinct().Count());
        Assert.All(result, r => Assert.True(candidates is null || candidates.Contains(r.Row)));
        Assert.True(result.Zip(result.Skip(1)).All(p => p.First.Score > p.Second.Score || (p.First.Score == p.Second.Score && p.First.Row < p.Second.Row)));
    }
}
