using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Collections;
using Gateway.Rag.Documents;
using Gateway.Rag.Retrieval;
using Gateway.Rag.Tests.Extraction;
using Gateway.Rag.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Rag.Tests;

/// <summary>
/// <see cref="RagService"/> over the real SQLite store and the bundled model, whose calls are counted: what
/// is embedded, when, and what the search modes return.
/// </summary>
public sealed class RagServiceTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-rag-service-").FullName;
    private readonly CountingModelSource _models = new();
    private ServiceProvider _services = null!;

    private RagService Rag => _services.GetRequiredService<RagService>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RAG_RRF_K"] = "10", ["RAG_CHUNK_TOKENS"] = "24", ["RAG_CHUNK_OVERLAP_TOKENS"] = "0" })
            .Build());
        services.AddLogging();
        services.AddSingleton<IEmbeddingModelSource>(_models);
        services.AddGateway().AddSqliteStorage(options => options.Path = Path.Combine(_folder, "gateway.db")).AddRag();
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AddDocument_SameNameAndText_IsUnchangedAndEmbedsNothing()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Notes"));
        var text = string.Join(' ', Enumerable.Repeat("The committee postponed its decision on the new railway line.", 6));

        var created = await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("minutes.txt", text));
        var embeddedOnce = _models.Inputs;
        var again = await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("minutes.txt", text));

        Assert.Equal(RagDocumentWriteOutcome.Created, created.Outcome);
        Assert.Equal(created.Chunks.Count, embeddedOnce);
        Assert.True(created.Chunks.Count > 1);
        Assert.Equal(RagDocumentWriteOutcome.Unchanged, again.Outcome);
        Assert.Equal(embeddedOnce, _models.Inputs);
        Assert.Equal(created.Document.Id, again.Document.Id);
    }

    [Fact]
    public async Task AddDocument_Cancelled_WritesNothing()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Notes"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Rag.AddDocumentAsync(collection.Id, new NewRagDocument("a.txt", "Some words."), cancelled.Token));

        Assert.Null(await Rag.Collections.FindDocumentByNameAsync(collection.Id, "a.txt"));
    }

    [Fact]
    public async Task AddDocument_ModelWithoutTokenizer_ChunksByTheApproximation()
    {
        _models.WithoutTokenizer = true;
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Notes"));
        var text = string.Join(' ', Enumerable.Repeat("Approximate token counts still cut this text.", 8));

        var added = await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("a.txt", text));

        Assert.True(added.Chunks.Count > 1);
        Assert.All(added.Chunks, chunk => Assert.Equal(text[chunk.Citation.Start..chunk.Citation.End], chunk.Text));
    }

    [Fact]
    public async Task Search_Hybrid_FusesWithTheConfiguredConstantAndTimesTheQueryApart()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Notes"));
        await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("stocks.txt", "The company raised its quarterly dividend."));
        await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("cats.txt", "A kitten sleeps on the sofa."));
        var before = _models.Inputs;

        var result = await Rag.SearchAsync(new RagSearchRequest("dividend", CollectionIds: [collection.Id]));

        Assert.Equal(before + 1, _models.Inputs);
        Assert.Equal("stocks.txt", result.Hits[0].DocumentName);
        Assert.Equal(2.0 / 11, result.Hits[0].Score, 9);
        Assert.Equal(1.0 / 12, result.Hits[1].Score, 9);
        Assert.Null(result.Hits[1].KeywordScore);
        Assert.True(result.QueryEmbeddingTime > TimeSpan.Zero);
        Assert.Equal([collection.Id], result.CollectionIds);
    }

    [Fact]
    public async Task AddFile_Pdf_StoresEveryChunkWithItsPageAndItsOffsetsIntoTheExtractedText()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Reports"));
        var pdf = TestPdfs.Pages(
            [.. Enumerable.Range(1, 6).Select(i => $"The first page tells of lighthouse {i} on the northern cape.")],
            [.. Enumerable.Range(1, 6).Select(i => $"The second page tells of ferry {i} crossing the strait.")]);

        await using var stream = new MemoryStream(pdf);
        var added = await Rag.AddFileAsync(collection.Id, "report.pdf", stream);

        Assert.Equal(RagDocumentWriteOutcome.Created, added.Outcome);
        Assert.Equal("report.pdf", added.Document.Name);
        Assert.True(added.Chunks.Count > 2);
        Assert.All(added.Chunks, chunk => Assert.Equal(chunk.Text.Contains("ferry", StringComparison.Ordinal) ? 2 : 1, chunk.Citation.Page));
        Assert.Equal([1, 2], added.Chunks.Select(chunk => chunk.Citation.Page).Distinct());
        var text = string.Join("\n\n", added.Chunks.Select(chunk => chunk.Text));
        Assert.Contains("lighthouse 6 on the northern cape.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFile_UnsupportedType_WritesNothing()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Reports"));
        await using var stream = new MemoryStream("PK"u8.ToArray());

        var error = await Assert.ThrowsAsync<GatewayException>(() => Rag.AddFileAsync(collection.Id, "slides.pptx", stream));

        Assert.Equal(GatewayErrorCodes.UnsupportedDocumentType, error.ErrorCode);
        Assert.Null(await Rag.Collections.FindDocumentByNameAsync(collection.Id, "slides.pptx"));
    }

    /// <summary>The bundled model, served as the default model, with its calls counted.</summary>
    private sealed class CountingModelSource : IEmbeddingModelSource
    {
        private int _inputs;

        public int Inputs => Volatile.Read(ref _inputs);

        public bool WithoutTokenizer { get; set; }

        public IReadOnlyList<EmbeddingModel> LoadModels()
        {
            var bundled = BundledModel.Model;
            return [new EmbeddingModel(bundled.Info, new Counting(bundled.Generator, this)) { Tokenizer = WithoutTokenizer ? null : bundled.Tokenizer }];
        }

        private sealed class Counting(IEmbeddingGenerator<string, Embedding<float>> inner, CountingModelSource source)
            : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
        {
            public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
                IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
            {
                var inputs = values.ToArray();
                Interlocked.Add(ref source._inputs, inputs.Length);
                return base.GenerateAsync(inputs, options, cancellationToken);
            }

            // The bundled generator is shared by the whole test run.
            protected override void Dispose(bool disposing)
            {
            }
        }
    }
}
