using Gateway.Core.Vectors;
using Xunit.Abstractions;
using static Gateway.Core.Tests.Vectors.VectorTestData;

namespace Gateway.Core.Tests.Vectors;

public sealed class QuantizedRowsTests(ITestOutputHelper output)
{
    private const int Dimensions = 384;
    private const int K = 10;
    private static readonly Lazy<(float[] Rows, float[] Queries)> RecallSet =
        new(() => Clustered(seed: 13, rows: 20_000, queries: 100, Dimensions, clusters: 100));

    [Theory]
    [InlineData(VectorQuantization.Int8, 0.99)]
    [InlineData(VectorQuantization.Binary, 0.95)]
    public void TopK_DefaultOversamplingOnClusteredSet_ReachesRecallTarget(VectorQuantization kind, double target)
    {
        var (rows, queries) = RecallSet.Value;
        var codes = QuantizedRows.Encode(kind, rows, Dimensions);
        var oversampling = QuantizedRows.DefaultOversampling(kind);

        var recall = Recall(rows, queries, Dimensions, K, query => codes.TopK(rows, query, K, oversampling));
        var withoutRescoringRoom = Recall(rows, queries, Dimensions, K, query => codes.TopK(rows, query, K, 1));

        output.WriteLine($"{kind}: recall@{K} {recall:F4} at oversampling {oversampling}, {withoutRescoringRoom:F4} at 1");
        Assert.True(recall >= target, $"{kind} recall@{K} {recall:F4} < {target}");
    }

    [Fact]
    public void TopK_BinaryOnLargeTopics_ShortlistFollowsTheTopicAndKeepsRecall()
    {
        // 4,000 rows per topic, as a 400,000-row collection of 100 topics has: a fixed 160 candidates
        // (k × 16) found under half of the true top 10 here, the noise margin finds them.
        var (rows, queries) = Clustered(seed: 29, rows: 40_000, queries: 40, Dimensions, clusters: 10);
        var codes = QuantizedRows.Encode(VectorQuantization.Binary, rows, Dimensions);
        var half = Enumerable.Range(0, codes.Count).Where(r => r % 2 == 1).ToArray();

        var recall = Recall(rows, queries, Dimensions, K, query => codes.TopK(rows, query, K, QuantizedRows.DefaultOversampling(VectorQuantization.Binary)));
        var parallel = Recall(rows, queries, Dimensions, K, query => codes.TopKParallel(rows, query, K, QuantizedRows.DefaultOversampling(VectorQuantization.Binary), maxDegreeOfParallelism: 2));
        var filtered = FilteredRecall(rows, queries, half, query => codes.TopK(rows, query, K, QuantizedRows.DefaultOversampling(VectorQuantization.Binary), half));

        output.WriteLine($"Binary, 10 topics of 4,000 rows: recall@{K} {recall:F4} (parallel {parallel:F4}, over half the rows {filtered:F4})");
        Assert.True(recall >= 0.95, $"recall@{K} {recall:F4} < 0.95");
        Assert.Equal(recall, parallel);
        Assert.True(filtered >= 0.95, $"filtered recall@{K} {filtered:F4} < 0.95");
    }

    [Theory]
    [InlineData(VectorQuantization.Int8)]
    [InlineData(VectorQuantization.Binary)]
    public void TopK_Results_CarryExactScoresBestFirst(VectorQuantization kind)
    {
        var (rows, queries) = RecallSet.Value;
        var codes = QuantizedRows.Encode(kind, rows, Dimensions);
        var query = queries[..Dimensions];

        var result = codes.TopK(rows, query, K, QuantizedRows.DefaultOversampling(kind));

        Assert.Equal(K, result.Length);
        Assert.All(result, r => Assert.Equal(NaiveDot(rows.AsSpan(r.Row * Dimensions, Dimensions), query), r.Score, 1e-5));
        Assert.True(result.Zip(result.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(result, codes.TopKParallel(rows, query, K, QuantizedRows.DefaultOversampling(kind), maxDegreeOfParallelism: 2));
    }

    [Theory]
    [InlineData(VectorQuantization.Int8)]
    [InlineData(VectorQuantization.Binary)]
    public void TopK_CandidateRows_OnlyThoseAndExactWhenFew(VectorQuantization kind)
    {
        var (rows, queries) = RecallSet.Value;
        var codes = QuantizedRows.Encode(kind, rows, Dimensions);
        var query = queries[..Dimensions];
        var half = Enumerable.Range(0, codes.Count).Where(r => r % 2 == 0).ToArray();
        var few = half[..30];

        var fromHalf = codes.TopK(rows, query, K, 8, half);

        Assert.All(fromHalf, r => Assert.True(r.Row % 2 == 0));
        Assert.True(fromHalf.Select(r => r.Row).Intersect(VectorMath.TopK(rows, Dimensions, query, K, half).Select(r => r.Row)).Count() >= 8);
        Assert.Equal(VectorMath.TopK(rows, Dimensions, query, K, few), codes.TopK(rows, query, K, 4, few));
    }

    [Theory]
    [InlineData(VectorQuantization.Int8, 100)]
    [InlineData(VectorQuantization.Binary, 65)]
    public void AppendSetTruncate_KeepCodesInStepWithTheRows(VectorQuantization kind, int dimensions)
    {
        var rows = Gaussian(21, 200, dimensions);
        var codes = new QuantizedRows(kind, dimensions);
        codes.Append(rows.AsSpan(0, 150 * dimensions));
        codes.Append(rows.AsSpan(150 * dimensions));
        var query = rows.AsSpan(17 * dimensions, dimensions).ToArray();

        Assert.Equal(200, codes.Count);
        Assert.Equal(17, codes.TopK(rows, query, 1, 1)[0].Row);

        rows.AsSpan(199 * dimensions, dimensions).CopyTo(rows.AsSpan(17 * dimensions));
        codes.Set(17, rows.AsSpan(17 * dimensions, dimensions));
        codes.Truncate(199);
        var moved = rows.AsSpan(17 * dimensions, dimensions).ToArray();

        Assert.Equal(199, codes.Count);
        Assert.Equal(17, codes.TopK(rows.AsSpan(0, 199 * dimensions), moved, 1, 1)[0].Row);
        Assert.Throws<ArgumentException>(() => codes.TopK(rows, moved, 1, 1));
    }

    private static double FilteredRecall(float[] rows, float[] queries, int[] candidates, Func<float[], ScoredRow[]> search)
    {
        var found = 0;
        var count = queries.Length / Dimensions;
        for (var q = 0; q < count; q++)
        {
            var query = queries.AsSpan(q * Dimensions, Dimensions).ToArray();
            var exact = VectorMath.TopK(rows, Dimensions, query, K, candidates).Select(r => r.Row).ToHashSet();
            found += search(query).Count(r => exact.Contains(r.Row));
        }

        return (double)found / (count * K);
    }
}
