using BenchmarkDotNet.Attributes;
using Gateway.Onnx.Embeddings;

namespace Gateway.Benchmarks.Onnx;

/// <summary>
/// all-MiniLM-L6-v2 throughput on 32 distinct sentences of about 30 tokens; every time is per sentence.
/// Baseline: the naive path (<see cref="NaiveMiniLM"/>, one sentence per run, default options). Then the
/// generator one sentence per call (tuning without batching), the generator with all 32 in one call
/// (length-sorted batch, pooled buffers), and its tokenisation alone (what a faster tokenizer could save).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EmbeddingConfig))]
public class EmbeddingThroughputBenchmarks
{
    private const int Sentences = 32;

    private string[] _sentences = null!;
    private OnnxEmbeddingGenerator _generator = null!;
    private NaiveMiniLM _naive = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sentences = EmbeddingBench.Sentences(Sentences);
        _generator = EmbeddingBench.Load();
        _naive = new NaiveMiniLM();
        Console.WriteLine($"// {Sentences} sentences, {_sentences.Average(s => _generator.Tokenize(s).Length):F1} tokens on average, on {_generator.ExecutionProvider}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _generator.Dispose();
        _naive.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Sentences)]
    public float Naive_OneSentencePerRun()
    {
        var sum = 0f;
        foreach (var sentence in _sentences)
        {
            sum += _naive.Embed(sentence)[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Sentences)]
    public async Task<float> Generator_OneSentencePerCall()
    {
        var sum = 0f;
        foreach (var sentence in _sentences)
        {
            sum += (await _generator.GenerateAsync([sentence]))[0].Vector.Span[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Sentences)]
    public async Task<float> Generator_Batch32()
    {
        var embeddings = await _generator.GenerateAsync(_sentences);
        return embeddings[^1].Vector.Span[0];
    }

    [Benchmark(OperationsPerInvoke = Sentences)]
    public int TokenizationOnly()
    {
        var tokens = 0;
        foreach (var sentence in _sentences)
        {
            tokens += _generator.Tokenize(sentence).Length;
        }

        return tokens;
    }
}
