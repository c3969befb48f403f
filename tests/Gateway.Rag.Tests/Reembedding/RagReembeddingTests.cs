using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Gateway.Core.Jobs;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Collections;
using Gateway.Rag.Documents;
using Gateway.Rag.Reembedding;
using Gateway.Rag.Retrieval;
using Gateway.Rag.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Rag.Tests.Reembedding;

/// <summary>
/// Changing the model of a collection that holds documents, end to end over the real SQLite store and the job worker:
/// from the bundled all-MiniLM-L6-v2 (384 dimensions) to <see cref="WordHashModelSource"/> (64), whose calls a test can
/// hold to look at the collection while the <c>rag.reembedding</c> job runs.
/// </summary>
public sealed class RagReembeddingTests : IAsyncLifetime
{
    private const string Leave = "Every employee has twenty-five days of paid leave a year. Unused days carry over until March.";

    private const string Expenses = "Travel is booked through the portal; receipts are uploaded within thirty days.";

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-rag-reembedding-").FullName;
    private readonly WordHashModelSource _wordHash = new();
    private ServiceProvider _services = null!;

    private RagService Rag => _services.GetRequiredService<RagService>();

    private IJobStore Jobs => _services.GetRequiredService<IJobStore>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RAG_CHUNK_TOKENS"] = "16", ["RAG_CHUNK_OVERLAP_TOKENS"] = "0" })
            .Build());
        services.AddLogging();
        services.AddSingleton<IEmbeddingModelSource>(new BundledModelSource());
        services.AddSingleton<IEmbeddingModelSource>(_wordHash);
        services.AddGateway().AddSqliteStorage(options => options.Path = Path.Combine(_folder, "gateway.db")).AddRag();
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        _wordHash.Release();
        foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task UpdateCollection_NewModelWithDocuments_OldModelAnswersUntilTheSwapThenTheNewOne()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Handbook"));
        await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("leave.md", Leave));
        _wordHash.Hold();

        var update = await Rag.UpdateCollectionAsync(collection.Id, new RagCollectionChanges(Name: "Staff handbook", EmbeddingModel: WordHashModelSource.Name));
        await _wordHash.Called;

        // The job is embedding: the collection is renamed but still answers with the old model and vectors.
        Assert.Equal(("Staff handbook", BundledModel.Model.Info.Name, 384), (update.Collection.Name, update.Collection.EmbeddingModel, update.Collection.Dimensions));
        Assert.Equal((WordHashModelSource.Name, WordHashModelSource.Dimensions), (update.Reembedding!.EmbeddingModel, update.Reembedding.Dimensions));
        Assert.Equal(RagReembeddingJob.Kind, (await Jobs.GetAsync(update.Reembedding.JobId))!.Kind);
        var during = await SearchAsync(collection.Id, "how many days of paid leave");
        Assert.Equal("leave.md", during.Hits[0].DocumentName);
        Assert.Equal(384, (await Rag.GetCollectionAsync(collection.Id)).Dimensions);
        var error = await Assert.ThrowsAsync<GatewayException>(() => Rag.UpdateCollectionAsync(collection.Id, new RagCollectionChanges(EmbeddingModel: WordHashModelSource.Name)));
        Assert.Equal(GatewayErrorCodes.ReembeddingInProgress, error.ErrorCode);
        Assert.Equal(update.Reembedding.JobId, error.Extensions["jobId"]);

        // Written with the old model while the job runs; the job embeds it too before it swaps.
        await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("expenses.md", Expenses));
        _wordHash.Release();
        var job = await _services.GetRequiredService<JobQueue>().WaitAsync(update.Reembedding.JobId);

        Assert.Equal(JobState.Completed, job.State);
        var after = await Rag.GetCollectionAsync(collection.Id);
        Assert.Equal((WordHashModelSource.Name, WordHashModelSource.Dimensions, 2L), (after.EmbeddingModel, after.Dimensions, after.DocumentCount));
        var progress = job.Result!.Value;
        Assert.Equal(after.ChunkCount, progress.GetProperty("chunksTotal").GetInt64());
        Assert.Equal(after.ChunkCount, progress.GetProperty("chunksDone").GetInt64());
        Assert.Equal(2, progress.GetProperty("documentsDone").GetInt64());
        Assert.Null(await Rag.Collections.GetReembeddingAsync(collection.Id));

        const string query = "receipts uploaded through the portal";
        var hits = (await SearchAsync(collection.Id, query)).Hits;
        var top = hits[0];
        Assert.Equal("expenses.md", top.DocumentName);
        Assert.Equal(Cosine(WordHashModelSource.Embed(query), WordHashModelSource.Embed(top.Chunk.Text)), top.Score, 5);
    }

    [Fact]
    public async Task Reembedding_Cancelled_LeavesTheOldVectorsAndModel()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Handbook"));
        await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("leave.md", Leave));
        var before = await SearchAsync(collection.Id, "paid leave");
        _wordHash.Hold();

        var update = await Rag.UpdateCollectionAsync(collection.Id, new RagCollectionChanges(EmbeddingModel: WordHashModelSource.Name));
        await _wordHash.Called;
        await Jobs.RequestCancelAsync(update.Reembedding!.JobId);
        var job = await _services.GetRequiredService<JobQueue>().WaitAsync(update.Reembedding.JobId);

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Null(await Rag.Collections.GetReembeddingAsync(collection.Id));
        Assert.Equal(update.Collection with { UpdatedAt = default }, (await Rag.GetCollectionAsync(collection.Id)) with { UpdatedAt = default });
        Assert.Equal(before.Hits.Select(h => (h.Chunk.Id, h.Score)), (await SearchAsync(collection.Id, "paid leave")).Hits.Select(h => (h.Chunk.Id, h.Score)));

        // Nothing of the cancelled one is left in the way of the next.
        _wordHash.Release();
        var again = await Rag.UpdateCollectionAsync(collection.Id, new RagCollectionChanges(EmbeddingModel: WordHashModelSource.Name));
        Assert.Equal(JobState.Completed, (await _services.GetRequiredService<JobQueue>().WaitAsync(again.Reembedding!.JobId)).State);
        Assert.Equal(WordHashModelSource.Name, (await Rag.GetCollectionAsync(collection.Id)).EmbeddingModel);
    }

    [Fact]
    public async Task AddDocument_EmbeddedWithTheOldModelAcrossTheSwap_IsEmbeddedAgainWithTheNewOne()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Handbook", WordHashModelSource.Name));
        await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("leave.md", Leave));
        _wordHash.Hold();
        var adding = Rag.AddDocumentAsync(collection.Id, new NewRagDocument("expenses.md", Expenses));
        await _wordHash.Called;

        // The re-embedding (with the bundled model, not held) swaps while the document is still being embedded with the old one.
        var update = await Rag.UpdateCollectionAsync(collection.Id, new RagCollectionChanges(EmbeddingModel: BundledModel.Model.Info.Name));
        var job = await _services.GetRequiredService<JobQueue>().WaitAsync(update.Reembedding!.JobId);
        _wordHash.Release();
        var added = await adding;

        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(RagDocumentWriteOutcome.Created, added.Outcome);
        Assert.Equal(384, (await Rag.GetCollectionAsync(collection.Id)).Dimensions);
        Assert.Equal("expenses.md", (await SearchAsync(collection.Id, "receipts for travel booked in the portal")).Hits[0].DocumentName);
    }

    [Fact]
    public async Task UpdateCollection_UnknownModelOrEmptyCollection_StartsNoJob()
    {
        var collection = await Rag.CreateCollectionAsync(new NewRagCollection("Handbook"));
        await Rag.AddDocumentAsync(collection.Id, new NewRagDocument("leave.md", Leave));
        var empty = await Rag.CreateCollectionAsync(new NewRagCollection("Empty"));

        var error = await Assert.ThrowsAsync<GatewayException>(() => Rag.UpdateCollectionAsync(collection.Id, new RagCollectionChanges(EmbeddingModel: "nope")));
        var changed = await Rag.UpdateCollectionAsync(empty.Id, new RagCollectionChanges(EmbeddingModel: WordHashModelSource.Name));

        Assert.Equal(GatewayErrorCodes.EmbeddingModelNotFound, error.ErrorCode);
        Assert.Null(await Rag.Collections.GetReembeddingAsync(collection.Id));
        Assert.Null(changed.Reembedding);
        Assert.Equal((WordHashModelSource.Name, WordHashModelSource.Dimensions), (changed.Collection.EmbeddingModel, changed.Collection.Dimensions));
        Assert.Empty((await Jobs.ListAsync(new JobQuery())).Items);
    }

    private Task<RagSearchResult> SearchAsync(string collectionId, string query) =>
        Rag.SearchAsync(new RagSearchRequest(query, [collectionId], Mode: RagSearchMode.Vector));

    private static double Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    /// <summary>The bundled model as a source of its own.</summary>
    private sealed class BundledModelSource : IEmbeddingModelSource
    {
        public IReadOnlyList<EmbeddingModel> LoadModels()
        {
            var bundled = BundledModel.Model;
            return [new EmbeddingModel(bundled.Info, new Shared(bundled.Generator)) { Tokenizer = bundled.Tokenizer }];
        }

        // The bundled generator is shared by the whole test run.
        private sealed class Shared(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
        {
            protected override void Dispose(bool disposing)
            {
            }
        }
    }
}
