using BenchmarkDotNet.Attributes;
using Gateway.Onnx.Embeddings;

namespace Gateway.Benchmarks.Onnx;

/// <summary>
/// One short query ("How do I reset my password?", 9 tokens), as a search box sends it: the time until its
/// vector is back. Baseline: the naive path (<see cref="NaiveMiniLM"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EmbeddingConfig))]
public class EmbeddingLatencyBenchmarks
{
    private OnnxEmbeddingGenerator _generator = null!;
    private NaiveMiniLM _naive = null!;
    private readonly string[] _query = [EmbeddingBench.ShortQuery];

    [GlobalSetup]
    public void Setup()
    {
        _generator = EmbeddingBench.Load();
        _naive = new NaiveMiniLM();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _generator.Dispose();
        _naive.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float Naive_ShortQuery() => _naive.Embed(EmbeddingBench.ShortQuery)[0];

    [Benchmark]
    public async Task<float> Generator_ShortQuery() => (await _generator.GenerateAsync(_query))[0].Vector.Span[0];
}
