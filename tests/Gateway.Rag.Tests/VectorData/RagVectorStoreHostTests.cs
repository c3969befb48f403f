using Gateway.Core.Embeddings;
using Gateway.Rag.VectorData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.VectorData;

namespace Gateway.Rag.Tests.VectorData;

/// <summary>What an app that adds RAG gets through Microsoft.Extensions.VectorData: the real SQLite store and the bundled model.</summary>
public sealed class RagVectorStoreHostTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-vectordata-").FullName;
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddGateway().AddSqliteStorage(options => options.Path = Path.Combine(_folder, "gateway.db")).AddOnnxEmbeddings().AddRag();
        _provider = services.BuildServiceProvider();
        foreach (var service in _provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _provider.GetServices<IHostedService>().Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AddRag_RegistersAVectorStore_WhoseCollectionsSearchByText()
    {
        var store = _provider.GetRequiredService<VectorStore>();
        var embeddings = _provider.GetRequiredService<EmbeddingService>();
        var handbook = store.GetCollection<string, RagChunkRecord>("Handbook");
        await handbook.EnsureCollectionExistsAsync();
        string[] texts =
        [
            "Every employee gets thirty days of paid leave each year.",
            "The office coffee machine is cleaned on Fridays.",
            "Expense reports are due by the fifth of the month.",
        ];
        var vectors = await embeddings.EmbedAsync(null, texts);
        await handbook.UpsertAsync(texts.Select((text, i) => new RagChunkRecord
        {
            Key = $"chunk-{i}",
            DocumentName = "handbook.md",
            Ordinal = i,
            Text = text,
            End = text.Length,
            Metadata = new() { ["topic"] = i == 1 ? "office" : "hr" },
            Vector = vectors.Embeddings[i].Vector,
        }));

        var hits = await handbook.SearchAsync("how much holiday do I get?", 2).ToListAsync();
        var filtered = await handbook.SearchAsync(
            "how much holiday do I get?", 3, new VectorSearchOptions<RagChunkRecord> { Filter = r => (string?)r.Metadata!["topic"] == "office" }).ToListAsync();

        Assert.IsType<RagVectorStore>(store);
        Assert.Equal("chunk-0", hits[0].Record.Key);
        Assert.Equal("handbook.md", hits[0].Record.DocumentName);
        Assert.True(hits[0].Score > hits[1].Score);
        Assert.Equal(["chunk-1"], filtered.Select(h => h.Record.Key));
        Assert.Equal(["Handbook"], await store.ListCollectionNamesAsync().ToListAsync());
    }
}
