using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Onnx;
using Gateway.Benchmarks.Vectors;
using Gateway.Core.Embeddings;
using Gateway.Core.Storage.Rag;
using Gateway.Onnx.Embeddings;
using Gateway.Rag;
using Gateway.Rag.Retrieval;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// Search over the 100,000-chunk corpus (<see cref="RagSearchCorpus"/>) through <see cref="RagService"/>, as
/// <c>POST /api/rag/search</c> runs it, one query class per parameter, the same for every engine: vector,
/// keyword and hybrid (both rankings read 50 deep, keyword-only hits given their similarity, reciprocal rank
/// fusion), k = 10, and hybrid under a filter matching 10 % of the chunks. The query's vector is precomputed
/// (<see cref="PrecomputedQueryEmbeddings"/>), so these leave its embedding out; that is timed alone beside
/// them, with the bundled all-MiniLM-L6-v2 on ONNX Runtime (CPU). The query texts have no relation to the
/// vectors, so the two rankings hardly overlap and hybrid reads the vectors of about 50 keyword hits: the
/// costly case. Each engine opens its store and brings its vector index up to date before the runs.
/// </summary>
public abstract class RagSearchBenchmarkSuite
{
    /// <summary>The query of each class (words of the Zipf vocabulary; their match counts are printed by the setup).</summary>
    protected static readonly Dictionary<string, string> Queries = new()
    {
        ["rare"] = "lavaro",
        ["mid"] = "solrute",
        ["common"] = "vet",
        ["and"] = "robje zenu",
    };

    private ServiceProvider _services = null!;
    private RagService _rag = null!;
    private OnnxEmbeddingGenerator _model = null!;
    private RagSearchRequest _vector = null!;
    private RagSearchRequest _keyword = null!;
    private RagSearchRequest _hybrid = null!;
    private RagSearchRequest _filtered = null!;
    private string[] _text = null!;

    [Params("rare", "mid", "common", "and")]
    public string Query { get; set; } = "rare";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            hosted.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _services.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Close();
    }

    [Benchmark(Baseline = true, Description = "Vector only, k 10")]
    public async Task<int> Vector() => (await _rag.SearchAsync(_vector)).Hits.Count;

    [Benchmark(Description = "Keyword only, k 10")]
    public async Task<int> Keyword() => (await _rag.SearchAsync(_keyword)).Hits.Count;

    [Benchmark(Description = "Hybrid (vector + keyword + RRF), k 10")]
    public async Task<int> Hybrid() => (await _rag.SearchAsync(_hybrid)).Hits.Count;

    [Benchmark(Description = "Hybrid, filter year = 2020 (10 %)")]
    public async Task<int> HybridFiltered() => (await _rag.SearchAsync(_filtered)).Hits.Count;

    [Benchmark(Description = "Query embedding alone (MiniLM, ONNX CPU)")]
    public async Task<float> QueryEmbedding() => (await _model.GenerateAsync(_text))[0].Vector.Span[0];

    /// <summary>Adds the engine's storage to <paramref name="gateway"/>.</summary>
    protected abstract void AddStorage(IGatewayBuilder gateway);

    /// <summary>After the corpus is there: the engine's own preparation (its vector index current) and its notes for the log.</summary>
    protected abstract Task PrepareAsync(IServiceProvider services, RagCollection collection, string query);

    /// <summary>Releases what the engine opened beside the services.</summary>
    protected virtual void Close()
    {
    }

    private async Task SetupAsync()
    {
        var query = Queries[Query];
        var (_, queryVectors) = VectorBenchData.Get(RagSearchCorpus.ChunkCount);
        var vector = queryVectors[..VectorBenchData.Dimensions];
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DEFAULT_EMBEDDING_MODEL"] = PrecomputedQueryEmbeddings.ModelName })
            .Build());
        services.AddLogging();
        services.AddSingleton<IEmbeddingModelSource>(new PrecomputedQueryEmbeddings(new Dictionary<string, float[]> { [query] = vector }));
        var gateway = services.AddGateway();
        AddStorage(gateway);
        gateway.AddRag();
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var collection = await RagSearchCorpus.EnsureAsync(_services.GetRequiredService<IRagCollectionStore>(), Console.Out);
        await PrepareAsync(_services, collection, query);
        _rag = _services.GetRequiredService<RagService>();
        string[] ids = [collection.Id];
        var filter = MetadataFilterParser.Parse(JsonSerializer.SerializeToElement(new { year = 2020 }));
        _vector = new RagSearchRequest(query, ids, K: 10, Mode: RagSearchMode.Vector);
        _keyword = new RagSearchRequest(query, ids, K: 10, Mode: RagSearchMode.Keyword);
        _hybrid = new RagSearchRequest(query, ids, K: 10, Mode: RagSearchMode.Hybrid);
        _filtered = new RagSearchRequest(query, ids, K: 10, Filter: filter, Mode: RagSearchMode.Hybrid);
        foreach (var request in new[] { _vector, _keyword, _hybrid, _filtered })
        {
            var result = await _rag.SearchAsync(request);
            Console.WriteLine($"// {request.Mode}{(request.Filter is null ? "" : " filtered")} '{query}': {result.Hits.Count} hits, first search {result.SearchTime.TotalMilliseconds:F1} ms");
        }

        _text = [query];
        _model = EmbeddingBench.Load();
    }
}
