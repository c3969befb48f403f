using Gateway.Core.Tests.Vectors;

namespace Gateway.Benchmarks.Vectors;

/// <summary>
/// The benchmark matrices: the tests' clustered set (100 topics, unit vectors, 384 dimensions; see
/// <see cref="VectorTestData.Clustered"/>), one fixed seed per size, generated once per process.
/// </summary>
internal static class VectorBenchData
{
    public const int Dimensions = 384;
    public const int K = 10;
    public const int Queries = 16;

    private static readonly Dictionary<int, (float[] Rows, float[] Queries)> Sets = [];

    public static (float[] Rows, float[] Queries) Get(int rows)
    {
        lock (Sets)
        {
            if (!Sets.TryGetValue(rows, out var set))
            {
                set = VectorTestData.Clustered(seed: 42, rows, Queries, Dimensions, clusters: 100);
                Sets[rows] = set;
            }

            return set;
        }
    }
}
