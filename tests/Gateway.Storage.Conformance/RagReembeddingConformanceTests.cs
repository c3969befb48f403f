using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IRagCollectionStore"/> must do to re-embed a collection: pending vectors are written
/// beside the old ones while searches keep reading the old ones, the swap refuses while any chunk lacks its
/// pending vector (chunks written meanwhile included) and otherwise replaces every vector, the model and the
/// dimensions at once, a chunk whose text changes loses its pending vector, cancelling leaves the collection as it
/// was, and one job owns a re-embedding at a time.
/// </summary>
public abstract class RagReembeddingConformanceTests : StoreConformanceTests
{
    private const int OldDimensions = 4;

    private const int NewDimensions = 3;

    private const string Job = "job-1";

    private IRagCollectionStore Collections => Store.RagCollections;

    private IVectorStore Vectors => Store.Vectors;

    [Fact]
    public async Task Swap_EveryChunkPending_ReplacesVectorsModelAndDimensionsAtOnce()
    {
        var collection = await NewCollectionAsync();
        await WriteAsync(collection.Id, "a.md", "alpha", "beta", "gamma");

        var begun = await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        var chunks = await Collections.ListChunksToReembedAsync(collection.Id, Job, null, 10);
        Assert.Equal(("m2", NewDimensions, Job, 3L, 0L), (begun.EmbeddingModel, begun.Dimensions, begun.JobId, begun.ChunksTotal, begun.ChunksDone));
        Assert.Equal(["alpha", "beta", "gamma"], chunks.Select(c => c.Text));
        Assert.Equal(chunks.Select(c => c.Id).Order(StringComparer.Ordinal), chunks.Select(c => c.Id));

        Assert.Equal(2, await Collections.WritePendingVectorsAsync(collection.Id, Job, [Pending(chunks[0], 0), Pending(chunks[1], 1)]));
        Assert.Equal(2, (await Collections.GetReembeddingAsync(collection.Id))!.ChunksDone);
        var early = await Collections.SwapReembeddingAsync(collection.Id, Job);

        // Nothing changed: the old model answers, over the old vectors.
        Assert.Equal((false, 1L), (early.Swapped, early.ChunksMissing));
        Assert.Equal(collection.EmbeddingModel, (await Collections.GetCollectionAsync(collection.Id))!.EmbeddingModel);
        Assert.Equal(3, (await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], OldVector(0), 5))).Count);
        Assert.Equal([chunks[2].Id], (await Collections.ListChunksToReembedAsync(collection.Id, Job, null, 10)).Select(c => c.Id));

        Assert.Equal(1, await Collections.WritePendingVectorsAsync(collection.Id, Job, [Pending(chunks[2], 2)]));
        var swap = await Collections.SwapReembeddingAsync(collection.Id, Job);

        Assert.True(swap.Swapped);
        Assert.Equal(("m2", NewDimensions, 3L, 1L), (swap.Collection.EmbeddingModel, swap.Collection.Dimensions, swap.Collection.ChunkCount, swap.Collection.DocumentCount));
        Assert.Equal(swap.Collection, await Collections.GetCollectionAsync(collection.Id));
        Assert.Null(await Collections.GetReembeddingAsync(collection.Id));
        var hits = await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], NewVector(1), 3));
        Assert.Equal(chunks[1].Id, hits[0].Chunk.Id);
        Assert.Equal(1, hits[0].Score, 5);
        var stored = await Vectors.GetChunksAsync(collection.Id, [chunks[2].Id], includeVectors: true);
        Assert.Equal(NewVector(2), stored[0].Vector!.Value.ToArray());
        await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelMismatch, () => Vectors.SearchAsync(new VectorSearchRequest([collection.Id], OldVector(0), 3)));
        Assert.Equal([chunks[1].Id], (await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "beta", 3))).Select(h => h.Chunk.Id));
        await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelMismatch, () => WriteAsync(collection.Id, "b.md", "delta"));
    }

    [Fact]
    public async Task Swap_ChunksWrittenMeanwhile_AreMissingUntilEmbeddedToo()
    {
        var collection = await NewCollectionAsync();
        await WriteAsync(collection.Id, "a.md", "alpha", "beta");
        await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        await EmbedEverythingAsync(collection.Id);

        // Written with the collection's model while the re-embedding runs, so its vectors are old ones.
        await WriteAsync(collection.Id, "b.md", "delta", "epsilon", "zeta");
        var refused = await Collections.SwapReembeddingAsync(collection.Id, Job);
        var added = await Collections.ListChunksToReembedAsync(collection.Id, Job, null, 10);

        Assert.Equal((false, 3L), (refused.Swapped, refused.ChunksMissing));
        Assert.Equal(["delta", "epsilon", "zeta"], added.Select(c => c.Text));
        Assert.Equal(5, (await Collections.GetReembeddingAsync(collection.Id))!.ChunksTotal);

        await EmbedEverythingAsync(collection.Id);
        var swap = await Collections.SwapReembeddingAsync(collection.Id, Job);

        Assert.True(swap.Swapped);
        Assert.Equal(5, (await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], NewVector(0), 10))).Count);
    }

    [Fact]
    public async Task WritePendingVectors_ChunkTextChanged_IsSkippedOrDroppedAndEmbeddedAgain()
    {
        var collection = await NewCollectionAsync();
        var document = (await WriteAsync(collection.Id, "a.md", "alpha")).Document;
        await Vectors.UpsertChunksAsync(collection.Id, [new RagChunkUpsert("k1", document.Id, 1, "one", new ChunkCitation(0, 3), OldVector(1)),
            new RagChunkUpsert("k2", document.Id, 2, "two", new ChunkCitation(0, 3), OldVector(2))]);
        await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        var k1 = (await Vectors.GetChunksAsync(collection.Id, ["k1"]))[0];

        // Rewritten between the read and the write of its vector: the vector is of the old text, and is not kept.
        await Vectors.UpsertChunksAsync(collection.Id, [new RagChunkUpsert("k1", document.Id, 1, "uno", new ChunkCitation(0, 3), OldVector(1))]);
        Assert.Equal(0, await Collections.WritePendingVectorsAsync(collection.Id, Job, [Pending(k1, 1)]));

        await EmbedEverythingAsync(collection.Id);
        Assert.Equal(3, (await Collections.GetReembeddingAsync(collection.Id))!.ChunksDone);

        // Rewritten after its vector was written: the vector goes, so the chunk is embedded again.
        await Vectors.UpsertChunksAsync(collection.Id, [new RagChunkUpsert("k2", document.Id, 2, "dos", new ChunkCitation(0, 3), OldVector(2))]);
        Assert.Equal(2, (await Collections.GetReembeddingAsync(collection.Id))!.ChunksDone);
        Assert.Equal(["dos"], (await Collections.ListChunksToReembedAsync(collection.Id, Job, null, 10)).Select(c => c.Text));
        Assert.Equal(["k2"], (await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "dos", 3))).Select(h => h.Chunk.Id));
        Assert.Empty(await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "two", 3)));

        // A document replaced or deleted takes its chunks' pending vectors with it.
        await WriteAsync(collection.Id, "a.md", "alpha again");
        Assert.Equal((1L, 0L), await CountsAsync(collection.Id));
    }

    [Fact]
    public async Task WritePendingVectors_BadVectorOrOtherJob_IsRefusedAndWritesNothing()
    {
        var collection = await NewCollectionAsync();
        await WriteAsync(collection.Id, "a.md", "alpha", "beta");
        await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        var chunks = await Collections.ListChunksToReembedAsync(collection.Id, Job, null, 10);

        await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelMismatch, () => Collections.WritePendingVectorsAsync(collection.Id, Job,
            [Pending(chunks[0], 0), new PendingChunkVector(chunks[1].Id, chunks[1].Text, OldVector(1))]));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.WritePendingVectorsAsync(collection.Id, Job,
            [new PendingChunkVector(chunks[0].Id, chunks[0].Text, new float[NewDimensions])]));
        await AssertErrorAsync(GatewayErrorCodes.ReembeddingNotFound, () => Collections.WritePendingVectorsAsync(collection.Id, "job-2", [Pending(chunks[0], 0)]));
        await AssertErrorAsync(GatewayErrorCodes.ReembeddingNotFound, () => Collections.ListChunksToReembedAsync(collection.Id, "job-2", null, 10));
        await AssertErrorAsync(GatewayErrorCodes.ReembeddingNotFound, () => Collections.SwapReembeddingAsync(collection.Id, "job-2"));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Collections.ListChunksToReembedAsync(SortableId(), Job, null, 10));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Collections.WritePendingVectorsAsync(SortableId(), Job, []));

        Assert.Equal(0, (await Collections.GetReembeddingAsync(collection.Id))!.ChunksDone);
    }

    [Fact]
    public async Task CancelReembedding_DropsPendingVectorsAndLeavesTheCollectionAsItWas()
    {
        var collection = await NewCollectionAsync();
        await WriteAsync(collection.Id, "a.md", "alpha", "beta");
        var before = await Collections.GetCollectionAsync(collection.Id);
        var hitsBefore = await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], OldVector(1), 5));
        await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        await EmbedEverythingAsync(collection.Id);

        Assert.False(await Collections.CancelReembeddingAsync(collection.Id, "job-2"));
        Assert.True(await Collections.CancelReembeddingAsync(collection.Id, Job));

        Assert.False(await Collections.CancelReembeddingAsync(collection.Id, Job));
        Assert.Null(await Collections.GetReembeddingAsync(collection.Id));
        Assert.Equal(before, await Collections.GetCollectionAsync(collection.Id));
        Assert.Equal(hitsBefore.Select(h => (h.Chunk.Id, h.Score)), (await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], OldVector(1), 5))).Select(h => (h.Chunk.Id, h.Score)));
        await AssertErrorAsync(GatewayErrorCodes.ReembeddingNotFound, () => Collections.SwapReembeddingAsync(collection.Id, Job));
        var again = await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, "job-2"));
        Assert.Equal(0, again.ChunksDone);
    }

    [Fact]
    public async Task BeginReembedding_OwnedByAnotherJob_IsInProgressUnlessReplacingIt()
    {
        var collection = await NewCollectionAsync();
        await WriteAsync(collection.Id, "a.md", "alpha");
        var first = await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        await EmbedEverythingAsync(collection.Id);

        var error = await AssertErrorAsync(GatewayErrorCodes.ReembeddingInProgress,
            () => Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m3", NewDimensions, "job-2")));
        var resumed = await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));

        Assert.Equal(Job, error.Extensions["jobId"]);
        Assert.Equal(first with { ChunksDone = 1 }, resumed);

        var replaced = await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m3", 2, "job-2", ReplacesJobId: Job));

        Assert.Equal(("m3", 2, "job-2", 0L), (replaced.EmbeddingModel, replaced.Dimensions, replaced.JobId, replaced.ChunksDone));
        await AssertErrorAsync(GatewayErrorCodes.ReembeddingNotFound, () => Collections.WritePendingVectorsAsync(collection.Id, Job, []));
    }

    [Fact]
    public async Task BeginReembedding_BadDefinitionOrUnknownCollection_IsRefused()
    {
        var collection = await NewCollectionAsync();

        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound,
            () => Collections.BeginReembeddingAsync(SortableId(), new RagReembeddingDefinition("m2", NewDimensions, Job)));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("M", OldDimensions, Job)));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", 0, Job)));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, " ")));

        Assert.Null(await Collections.GetReembeddingAsync(collection.Id));
        Assert.Null(await Collections.GetReembeddingAsync(SortableId()));
    }

    [Fact]
    public async Task DeleteCollection_WhileReembedding_TakesTheReembeddingWithIt()
    {
        var collection = await NewCollectionAsync();
        await WriteAsync(collection.Id, "a.md", "alpha");
        await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        await EmbedEverythingAsync(collection.Id);

        Assert.True(await Collections.DeleteCollectionAsync(collection.Id));

        Assert.Null(await Collections.GetReembeddingAsync(collection.Id));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Collections.SwapReembeddingAsync(collection.Id, Job));
    }

    [Fact]
    public async Task Swap_SeenByAnotherClientThatSearchedBefore_AnswersWithTheNewVectors()
    {
        var collection = await NewCollectionAsync();
        var document = (await WriteAsync(collection.Id, "a.md", "alpha", "beta", "gamma")).Document;
        await using var other = await Store.OpenSecondClientAsync();
        Assert.Equal(3, (await other.Vectors.SearchAsync(new VectorSearchRequest([collection.Id], OldVector(2), 3))).Count);
        await Collections.BeginReembeddingAsync(collection.Id, new RagReembeddingDefinition("m2", NewDimensions, Job));
        await EmbedEverythingAsync(collection.Id);

        Assert.Equal(3, (await other.Vectors.SearchAsync(new VectorSearchRequest([collection.Id], OldVector(2), 3))).Count);
        Assert.True((await Collections.SwapReembeddingAsync(collection.Id, Job)).Swapped);

        var hits = await other.Vectors.SearchAsync(new VectorSearchRequest([collection.Id], NewVector(2), 3));
        Assert.Equal("gamma", hits[0].Chunk.Text);
        Assert.Equal(1, hits[0].Score, 5);
        Assert.Equal(document.Id, hits[0].Chunk.DocumentId);
    }

    private Task<RagCollection> NewCollectionAsync() => Collections.CreateCollectionAsync(new RagCollectionDefinition("Notes", "m", OldDimensions));

    private Task<RagDocumentWriteResult> WriteAsync(string collectionId, string name, params string[] chunkTexts)
    {
        var text = string.Concat(chunkTexts);
        return Collections.WriteDocumentAsync(collectionId, new RagDocumentWrite(
            name, RagRules.ContentHash(text), text.Length, [.. chunkTexts.Select((t, i) => new NewRagChunk(t, new ChunkCitation(i, i + 1), OldVector(i)))]));
    }

    // Each chunk's new vector is the unit vector of its ordinal (its position in the listing for chunks of one document).
    private async Task EmbedEverythingAsync(string collectionId)
    {
        string? after = null;
        while (await Collections.ListChunksToReembedAsync(collectionId, Job, after, 2) is { Count: > 0 } page)
        {
            await Collections.WritePendingVectorsAsync(collectionId, Job, [.. page.Select(chunk => Pending(chunk, chunk.Ordinal))]);
            after = page[^1].Id;
        }
    }

    private async Task<(long Total, long Done)> CountsAsync(string collectionId) =>
        await Collections.GetReembeddingAsync(collectionId) is { } reembedding ? (reembedding.ChunksTotal, reembedding.ChunksDone) : throw new InvalidOperationException("No re-embedding.");

    private static PendingChunkVector Pending(RagChunk chunk, int seed) => new(chunk.Id, chunk.Text, NewVector(seed));

    private static float[] OldVector(int seed) => [1 + (seed % 3), 1 + (seed % 5), 0.5f, seed];

    private static float[] NewVector(int seed)
    {
        var vector = new float[NewDimensions];
        vector[seed % NewDimensions] = 1;
        return vector;
    }

    private static string SortableId() => Gateway.Core.Storage.Conversations.SortableId.Create(TimeProvider.System);
}
