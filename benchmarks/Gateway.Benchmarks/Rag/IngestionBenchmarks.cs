using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gateway.Core.Embeddings;
using Gateway.Core.Storage.Rag;
using Gateway.Rag;
using Gateway.Rag.Collections;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// Ingestion end to end, as an ingestion job runs it for each file (<see cref="RagService"/>'s file path):
/// read the file from disk, extract, chunk by the model's tokenizer, embed with the bundled all-MiniLM-L6-v2
/// on ONNX Runtime (CPU, batches of 32, as the service batches) and write chunks, vectors and keyword index in
/// one transaction per document; on SQLite and on PostgreSQL. Baseline: the same model embedding exactly the
/// chunk texts ingestion produced, in the same batches, in the same run: what the pipeline would cost if
/// reading, extraction, chunking and storage took no time. Ratio − 1 is the pipeline's overhead; chunks/s
/// is <see cref="IngestionCorpus.ChunkCount"/> (printed by the setup) over the mean. Beside them, the store's
/// share alone: the same chunks and vectors written as new documents, one transaction each.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(IngestionConfig))]
public class IngestionBenchmarks
{
    private ServiceProvider _services = null!;
    private RagService _rag = null!;
    private EmbeddingService _embeddings = null!;
    private RagCollection _collection = null!;
    private IReadOnlyList<string[]> _chunkTexts = [];
    private IReadOnlyList<NewRagChunk[]> _chunks = [];
    private int _round;

    [Params("sqlite", "postgres")]
    public string Backend { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => IngestionHost.Stop(_services);

    [Benchmark(Baseline = true, Description = "Embedding alone (MiniLM, batches of 32, the chunks ingestion made)")]
    public async Task<int> EmbeddingAlone()
    {
        var vectors = 0;
        foreach (var texts in _chunkTexts)
        {
            for (var start = 0; start < texts.Length; start += IngestionHost.BatchSize)
            {
                var batch = texts[start..Math.Min(texts.Length, start + IngestionHost.BatchSize)];
                vectors += (await _embeddings.EmbedAsync(_collection.EmbeddingModel, batch, _collection.Dimensions)).Embeddings.Count;
            }
        }

        return vectors;
    }

    [Benchmark(Description = "Ingest files: read, extract, chunk, embed, store")]
    public async Task<int> IngestFiles()
    {
        var round = Interlocked.Increment(ref _round);
        var chunks = 0;
        foreach (var path in IngestionCorpus.Files)
        {
            await using var file = File.OpenRead(path);
            chunks += (await _rag.AddFileAsync(_collection.Id, $"r{round}-{Path.GetFileName(path)}", file)).Chunks.Count;
        }

        return chunks;
    }

    [Benchmark(Description = "Store alone (the same chunks and vectors, one transaction a document)")]
    public async Task<int> StoreAlone()
    {
        var round = Interlocked.Increment(ref _round);
        var chunks = 0;
        for (var f = 0; f < _chunks.Count; f++)
        {
            var name = $"s{round}-{f}";
            var write = new RagDocumentWrite(name, RagRules.ContentHash(name), _chunks[f].Sum(chunk => chunk.Text.Length), _chunks[f], null);
            chunks += (await _rag.Collections.WriteDocumentAsync(_collection.Id, write)).Document.ChunkCount;
        }

        return chunks;
    }

    private async Task SetupAsync()
    {
        (_services, _rag) = await IngestionHost.StartAsync(Backend);
        _embeddings = _services.GetRequiredService<EmbeddingService>();
        _collection = await _rag.CreateCollectionAsync(new NewRagCollection($"ingestion-bench-{Guid.NewGuid():N}"));
        var texts = new List<string[]>();
        var watch = Stopwatch.StartNew();
        foreach (var path in IngestionCorpus.Files)
        {
            await using var file = File.OpenRead(path);
            var ingested = await _rag.AddFileAsync(_collection.Id, $"r0-{Path.GetFileName(path)}", file);
            texts.Add([.. ingested.Chunks.Select(chunk => chunk.Text)]);
        }

        _chunkTexts = texts;
        var chunks = new List<NewRagChunk[]>();
        foreach (var file in texts)
        {
            var vectors = (await _embeddings.EmbedAsync(_collection.EmbeddingModel, file, _collection.Dimensions)).Embeddings;
            chunks.Add([.. file.Select((text, i) => new NewRagChunk(text, new ChunkCitation(0, text.Length), vectors[i].Vector))]);
        }

        _chunks = chunks;
        IngestionCorpus.ChunkCount = texts.Sum(t => t.Length);
        Console.WriteLine($"// {Backend}: {IngestionCorpus.Files.Count} files, {IngestionCorpus.ChunkCount} chunks per operation (first ingestion {watch.Elapsed.TotalSeconds:F1} s)");
    }
}

/// <summary>Each iteration ingests the whole corpus once (seconds on the CPU model): 1 warm-up, 3 measured, in the benchmark's process.</summary>
public sealed class IngestionConfig : ManualConfig
{
    public IngestionConfig()
    {
        AddJob(Job.Default.WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1)
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(StatisticColumn.P95);
    }
}
