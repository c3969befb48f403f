using System.Text.Json;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Tests.Vectors;
using Gateway.Core.Vectors;
using Gateway.Storage.Sqlite.Rag;
using Gateway.Storage.Sqlite.Rag.Hnsw;
using Gateway.Storage.Sqlite.Tests.Conversations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Storage.Sqlite.Tests.Rag.Hnsw;

/// <summary>The store's searches through a collection's HNSW index and through quantised codes: same answers as exact, deletes honoured, filters exact, the index saved and loaded again.</summary>
public sealed class IndexedVectorSearchTests : IAsyncLifetime
{
    private const int Dimensions = 16;
    private readonly float[] _vectors = VectorTestData.Gaussian(11, 400, Dimensions);
    private SqliteStoreUnderTest _store = null!;
    private RagCollection _collection = null!;
    private readonly List<string> _firstDocumentChunks = [];
    private string _firstDocument = null!;
    private string _secondDocument = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStoreUnderTest.CreateAsync();
        _store.Database.UseVectorSearch(new RagVectorSearchSettings(150, VectorQuantization.None, null), NullLogger.Instance);
        _collection = await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Large", "m", Dimensions));
        _firstDocument = await WriteAsync("first.md", 0);
        _firstDocumentChunks.AddRange((await _store.RagCollections.ListDocumentChunksAsync(_collection.Id, _firstDocument)).OrderBy(c => c.Ordinal).Select(c => c.Id));
        _secondDocument = await WriteAsync("second.md", 200);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Search_LargeCollection_GoesThroughTheIndexOnceBuilt_WithExactAnswersAndDeletesHonoured()
    {
        var indexes = _store.Database.VectorMirrors.Indexes!;
        var query = _vectors[(7 * Dimensions)..(8 * Dimensions)];
        var exact = await SearchAsync(query);

        await indexes.WhenIdle(_collection.Id);
        var indexed = await SearchAsync(query);

        Assert.Equal(1, indexes.Served);
        Assert.Equal(exact.Select(h => (h.Chunk.Id, Math.Round(h.Score, 5))), indexed.Select(h => (h.Chunk.Id, Math.Round(h.Score, 5))));
        Assert.Equal(_firstDocumentChunks[7], indexed[0].Chunk.Id);

        Assert.True(await _store.RagCollections.DeleteDocumentAsync(_collection.Id, _firstDocument));
        var afterDelete = await SearchAsync(query);

        Assert.Equal(2, indexes.Served);
        Assert.All(afterDelete, hit => Assert.Equal(_secondDocument, hit.Chunk.DocumentId));
        Assert.Equal(10, afterDelete.Count);

        var filter = MetadataFilterParser.Parse(JsonElement.Parse($$"""{"$documentId": "{{_secondDocument}}"}"""));
        var filtered = await _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id], query, 10, filter));
        Assert.Equal(2, indexes.Served);
        Assert.Equal(afterDelete.Select(h => h.Chunk.Id), filtered.Select(h => h.Chunk.Id));
    }

    [Fact]
    public async Task Dispose_ThenReopen_LoadsTheSavedIndexInsteadOfRebuilding()
    {
        var query = _vectors[..Dimensions];
        await SearchAsync(query);
        await _store.Database.VectorMirrors.Indexes!.WhenIdle(_collection.Id);
        var files = HnswIndexFiles.For(_store.Database.Path)!;
        var saved = File.GetLastWriteTimeUtc(files.IndexPath(_collection.Id));

        await using var reopened = new SqliteDatabase(_store.Database.Path);
        reopened.UseVectorSearch(new RagVectorSearchSettings(150, VectorQuantization.None, null), NullLogger.Instance);
        var vectors = new SqliteVectorStore(reopened);
        await vectors.SearchAsync(new VectorSearchRequest([_collection.Id], query, 10));
        await reopened.VectorMirrors.Indexes!.WhenIdle(_collection.Id);
        var hits = await vectors.SearchAsync(new VectorSearchRequest([_collection.Id], query, 10));

        Assert.Equal(1, reopened.VectorMirrors.Indexes.Served);
        Assert.Equal(_firstDocumentChunks[0], hits[0].Chunk.Id);
        Assert.Equal(saved, File.GetLastWriteTimeUtc(files.IndexPath(_collection.Id)));
    }

    [Fact]
    public async Task SwapReembedding_IndexedCollection_RebuildsTheIndexWithTheNewDimensionsAndSearchesThroughIt()
    {
        const int newDimensions = 8;
        var indexes = _store.Database.VectorMirrors.Indexes!;
        await SearchAsync(_vectors[..Dimensions]);
        await indexes.WhenIdle(_collection.Id);
        var newVectors = VectorTestData.Gaussian(12, 400, newDimensions);
        await _store.RagCollections.BeginReembeddingAsync(_collection.Id, new RagReembeddingDefinition("m2", newDimensions, "job"));
        var chunks = await _store.RagCollections.ListChunksToReembedAsync(_collection.Id, "job", null, 400);
        await _store.RagCollections.WritePendingVectorsAsync(_collection.Id, "job",
            [.. chunks.Select((chunk, i) => new PendingChunkVector(chunk.Id, chunk.Text, newVectors.AsMemory(i * newDimensions, newDimensions)))]);
        Assert.Equal(1, (await SearchAsync(_vectors[..Dimensions])).Count(hit => hit.Score > 0.999));

        Assert.True((await _store.RagCollections.SwapReembeddingAsync(_collection.Id, "job")).Swapped);
        var query = newVectors[(9 * newDimensions)..(10 * newDimensions)];
        var exact = await SearchAsync(query);
        await indexes.WhenIdle(_collection.Id);
        var served = indexes.Served;
        var indexed = await SearchAsync(query);

        Assert.Equal(served + 1, indexes.Served);
        Assert.Equal(chunks[9].Id, exact[0].Chunk.Id);
        Assert.Equal(exact.Select(h => (h.Chunk.Id, Math.Round(h.Score, 5))), indexed.Select(h => (h.Chunk.Id, Math.Round(h.Score, 5))));
    }

    [Theory]
    [InlineData(VectorQuantization.Int8)]
    [InlineData(VectorQuantization.Binary)]
    public async Task Search_Quantised_FindsTheNearestWithExactScores(VectorQuantization quantization)
    {
        await using var database = new SqliteDatabase(_store.Database.Path);
        database.UseVectorSearch(new RagVectorSearchSettings(0, quantization, 100), NullLogger.Instance);
        var vectors = new SqliteVectorStore(database);
        var query = _vectors[(250 * Dimensions)..(251 * Dimensions)];

        var hits = await vectors.SearchAsync(new VectorSearchRequest([_collection.Id], query, 5));

        Assert.Null(database.VectorMirrors.Indexes);
        Assert.Equal((await SearchAsync(query)).Take(5).Select(h => h.Chunk.Id), hits.Select(h => h.Chunk.Id));
        Assert.Equal(1.0, hits[0].Score, 5);
    }

    private Task<IReadOnlyList<ChunkSearchHit>> SearchAsync(float[] query) =>
        _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id], query, 10));

    private async Task<string> WriteAsync(string name, int firstRow)
    {
        var text = $"{name} text";
        var chunks = Enumerable.Range(0, 200)
            .Select(i => new NewRagChunk($"{name} part {i}", new ChunkCitation(i, i + 1), _vectors.AsMemory((firstRow + i) * Dimensions, Dimensions)))
            .ToList();
        var result = await _store.RagCollections.WriteDocumentAsync(_collection.Id, new RagDocumentWrite(name, RagRules.ContentHash(text), text.Length, chunks));
        return result.Document.Id;
    }
}
