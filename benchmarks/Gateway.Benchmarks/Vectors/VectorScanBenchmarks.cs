using BenchmarkDotNet.Attributes;
using Gateway.Core.Tests.Vectors;
using Gateway.Core.Vectors;

namespace Gateway.Benchmarks.Vectors;

/// <summary>
/// Top-10 over a 384-dimension matrix of 100,000 and of 1,000,000 rows (153.6 MB and 1.5 GB), on one thread
/// (<c>Threads = 1</c>) and on every core (<c>Threads = 0</c>), each against the bandwidth bound of the same
/// bytes: exact float32, int8 and 1-bit codes with float rescoring (their default oversampling; the setup
/// prints their recall@10), a filter first (1 % and 50 % of the rows as a candidate list), and 16 queries
/// scored one at a time vs in one pass (per-query times: <c>OperationsPerInvoke = 16</c>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(VectorBenchConfig))]
public class VectorScanBenchmarks
{
    private const int Dimensions = VectorBenchData.Dimensions;
    private const int K = VectorBenchData.K;
    private float[] _rows = null!;
    private float[] _queries = null!;
    private float[] _query = null!;
    private QuantizedRows _int8 = null!;
    private QuantizedRows _binary = null!;
    private int[] _onePercent = null!;
    private int[] _half = null!;

    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    /// <summary>1: the calling thread; 0: one thread per processor.</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_rows, _queries) = VectorBenchData.Get(Rows);
        _query = _queries[..Dimensions];
        _int8 = QuantizedRows.Encode(VectorQuantization.Int8, _rows, Dimensions);
        _binary = QuantizedRows.Encode(VectorQuantization.Binary, _rows, Dimensions);
        _onePercent = [.. Enumerable.Range(0, Rows).Where(r => r % 100 == 7)];
        _half = [.. Enumerable.Range(0, Rows).Where(r => r % 2 == 1)];
        if (Threads == 1)
        {
            var int8 = VectorTestData.Recall(_rows, _queries, Dimensions, K, q => _int8.TopK(_rows, q, K, QuantizedRows.DefaultOversampling(VectorQuantization.Int8)));
            var binary = VectorTestData.Recall(_rows, _queries, Dimensions, K, q => _binary.TopK(_rows, q, K, QuantizedRows.DefaultOversampling(VectorQuantization.Binary)));
            Console.WriteLine($"// {Rows} rows: recall@10 over the {VectorBenchData.Queries} queries, int8 + rescore {int8:F3}, 1-bit + rescore {binary:F3}");
        }
    }

    [Benchmark(Baseline = true, Description = "Sequential read of the rows (bandwidth bound)")]
    public float Bandwidth() => SequentialRead.SumParallel(_rows, Threads);

    [Benchmark(Description = "Exact float32")]
    public ScoredRow[] Exact() => VectorMath.TopKParallel(_rows, Dimensions, _query, K, Threads);

    [Benchmark(Description = "Int8 + rescore")]
    public ScoredRow[] Int8() => _int8.TopKParallel(_rows, _query, K, QuantizedRows.DefaultOversampling(VectorQuantization.Int8), Threads);

    [Benchmark(Description = "1-bit + rescore")]
    public ScoredRow[] Binary() => _binary.TopKParallel(_rows, _query, K, QuantizedRows.DefaultOversampling(VectorQuantization.Binary), Threads);

    [Benchmark(Description = "Exact, filter 1 % (candidate list)")]
    public ScoredRow[] FilteredOnePercent() => VectorMath.TopK(_rows, Dimensions, _query, K, _onePercent);

    [Benchmark(Description = "Exact, filter 50 % (candidate list)")]
    public ScoredRow[] FilteredHalf() => VectorMath.TopK(_rows, Dimensions, _query, K, _half);

    [Benchmark(OperationsPerInvoke = VectorBenchData.Queries, Description = "16 queries one at a time (per query)")]
    public int OneAtATime()
    {
        var found = 0;
        for (var q = 0; q < VectorBenchData.Queries; q++)
        {
            found += VectorMath.TopKParallel(_rows, Dimensions, _queries.AsMemory(q * Dimensions, Dimensions), K, Threads).Length;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = VectorBenchData.Queries, Description = "16 queries batched (per query)")]
    public int Batched() => VectorMath.TopKBatchParallel(_rows, Dimensions, _queries, K, Threads).Length;
}
