using Gateway.Core.Vectors;

namespace Gateway.Core.Tests.Vectors;

/// <summary>Seeded vector sets for the exactness and recall tests.</summary>
internal static class VectorTestData
{
    /// <summary>Rows of independent standard-normal components, each normalised: no structure, every score distinct.</summary>
    public static float[] Gaussian(int seed, int rows, int dimensions)
    {
        var random = new Random(seed);
        var matrix = new float[rows * dimensions];
        for (var i = 0; i < matrix.Length; i++)
        {
            matrix[i] = NextGaussian(random);
        }

        NormalizeRows(matrix, dimensions);
        return matrix;
    }

    /// <summary>
    /// The recall set, shaped like sentence embeddings rather than noise: <paramref name="clusters"/> random
    /// unit centres (topics), each row a centre plus Gaussian noise whose norm is 0.9 of the centre's
    /// (so rows of one topic have cosine ≈ 0.55 with each other and ≈ 0 with other topics), then normalised.
    /// Queries are drawn the same way from the same centres (new points, not rows of the set), so each
    /// query's neighbours are a topic's rows and the top 10 must be told apart inside that topic.
    /// </summary>
    public static (float[] Rows, float[] Queries) Clustered(int seed, int rows, int queries, int dimensions, int clusters)
    {
        var random = new Random(seed);
        var centres = Gaussian(seed + 1, clusters, dimensions);
        var noise = 0.9f / MathF.Sqrt(dimensions);
        float[] Draw(int count)
        {
            var matrix = new float[count * dimensions];
            for (var r = 0; r < count; r++)
            {
                var centre = random.Next(clusters);
                for (var d = 0; d < dimensions; d++)
                {
                    matrix[(r * dimensions) + d] = centres[(centre * dimensions) + d] + (noise * NextGaussian(random));
                }
            }

            NormalizeRows(matrix, dimensions);
            return matrix;
        }

        return (Draw(rows), Draw(queries));
    }

    /// <summary>The exact top k by a double-precision dot product, best first, ties by lower row.</summary>
    public static (int Row, double Score)[] NaiveTopK(float[] rows, int dimensions, ReadOnlySpan<float> query, int k, IEnumerable<int>? candidates = null)
    {
        var scores = new List<(int Row, double Score)>();
        foreach (var row in candidates ?? Enumerable.Range(0, rows.Length / dimensions))
        {
            scores.Add((row, NaiveDot(rows.AsSpan(row * dimensions, dimensions), query)));
        }

        return [.. scores.OrderByDescending(s => s.Score).ThenBy(s => s.Row).Take(k)];
    }

    public static double NaiveDot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0d;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    /// <summary>The mean share of each query's exact top k that the approximate top k found.</summary>
    public static double Recall(float[] rows, float[] queries, int dimensions, int k, Func<float[], ScoredRow[]> search)
    {
        var found = 0;
        var count = queries.Length / dimensions;
        for (var q = 0; q < count; q++)
        {
            var query = queries.AsSpan(q * dimensions, dimensions).ToArray();
            var exact = VectorMath.TopK(rows, dimensions, query, k).Select(r => r.Row).ToHashSet();
            found += search(query).Count(r => exact.Contains(r.Row));
        }

        return (double)found / (count * k);
    }

    private static void NormalizeRows(float[] matrix, int dimensions)
    {
        for (var r = 0; r < matrix.Length / dimensions; r++)
        {
            VectorMath.Normalize(matrix.AsSpan(r * dimensions, dimensions));
        }
    }

    private static float NextGaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
