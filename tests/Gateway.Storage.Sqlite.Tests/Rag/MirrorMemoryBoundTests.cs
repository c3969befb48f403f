using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Gateway.Storage.Sqlite.Rag;
using Gateway.Storage.Sqlite.Tests.Conversations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Storage.Sqlite.Tests.Rag;

/// <summary>
/// The in-memory vector copies stay under <see cref="RagVectorSearchSettings.MirrorMaxBytes"/>: the least recently
/// searched collections are dropped past it and loaded again, with the same hits, by their next search.
/// </summary>
public sealed class MirrorMemoryBoundTests : IAsyncLifetime
{
    private const int Dimensions = 64;
    private const int ChunksPerCollection = 200;

    private SqliteStoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStoreUnderTest.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Search_PastTheBound_DropsTheLeastRecentlySearched_AndReloadsItOnItsNextSearch()
    {
        var (first, second, third) = (await SeedAsync("first", 1), await SeedAsync("second", 2), await SeedAsync("third", 3));
        var mirrorBytes = await MirrorBytesAsync(first);
        _store.Database.UseVectorSearch(new RagVectorSearchSettings(0, VectorQuantization.None, null, (2 * mirrorBytes) + (mirrorBytes / 2)), NullLogger.Instance);
        var mirrors = _store.Database.VectorMirrors;
        var query = Query(7);

        var before = await SearchAsync(first, query);
        await SearchAsync(second, query);
        await SearchAsync(first, query);
        await SearchAsync(third, query);

        Assert.True(mirrors.Holds(first.Id));
        Assert.False(mirrors.Holds(second.Id));
        Assert.True(mirrors.Holds(third.Id));
        Assert.InRange(mirrors.HeldBytes, 1, (2 * mirrorBytes) + (mirrorBytes / 2));

        var again = await SearchAsync(second, query);

        Assert.True(mirrors.Holds(second.Id));
        Assert.False(mirrors.Holds(first.Id));
        Assert.Equal(ChunksPerCollection / 2, again.Count);
        Assert.Equal(before.Select(hit => hit.Score), (await SearchAsync(first, query)).Select(hit => hit.Score));
    }

    [Fact]
    public async Task Search_OneCollectionLargerThanTheBound_IsSearchedHeldAlone()
    {
        var (first, second) = (await SeedAsync("first", 1), await SeedAsync("second", 2));
        _store.Database.UseVectorSearch(new RagVectorSearchSettings(0, VectorQuantization.None, null, RagVectorSearchSettings.MinMirrorMaxBytes), NullLogger.Instance);
        var large = await SeedAsync("large", 3, chunks: 6_000);
        var mirrors = _store.Database.VectorMirrors;

        await SearchAsync(first, Query(1));
        await SearchAsync(second, Query(1));
        var hits = await SearchAsync(large, Query(1));

        Assert.Equal(ChunksPerCollection / 2, hits.Count);
        Assert.True(mirrors.Holds(large.Id));
        Assert.False(mirrors.Holds(first.Id));
        Assert.False(mirrors.Holds(second.Id));
        Assert.True(mirrors.HeldBytes > RagVectorSearchSettings.MinMirrorMaxBytes);
    }

    [Fact]
    public async Task Write_ThatGrowsAMirrorPastTheBound_DropsTheOthers()
    {
        var (first, second) = (await SeedAsync("first", 1), await SeedAsync("second", 2));
        var mirrorBytes = await MirrorBytesAsync(first);
        _store.Database.UseVectorSearch(new RagVectorSearchSettings(0, VectorQuantization.None, null, (2 * mirrorBytes) + (mirrorBytes / 2)), NullLogger.Instance);
        var mirrors = _store.Database.VectorMirrors;
        await SearchAsync(first, Query(1));
        await SearchAsync(second, Query(1));

        await WriteAsync(second, "more.md", 4, ChunksPerCollection * 2);

        Assert.True(mirrors.Holds(second.Id));
        Assert.False(mirrors.Holds(first.Id));
        Assert.Equal(ChunksPerCollection / 2, (await SearchAsync(second, Query(1))).Count);
    }

    private async Task<long> MirrorBytesAsync(RagCollection collection)
    {
        await SearchAsync(collection, Query(0));
        var bytes = _store.Database.VectorMirrors.HeldBytes;
        Assert.True(bytes >= (long)ChunksPerCollection * Dimensions * sizeof(float), $"{bytes} bytes held");
        return bytes;
    }

    private Task<IReadOnlyList<ChunkSearchHit>> SearchAsync(RagCollection collection, float[] query) =>
        _store.Vectors.SearchAsync(new VectorSearchRequest([collection.Id], query, ChunksPerCollection / 2));

    private async Task<RagCollection> SeedAsync(string name, int seed, int chunks = ChunksPerCollection)
    {
        var collection = await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition(name, "m", Dimensions));
        await WriteAsync(collection, $"{name}.md", seed, chunks);
        return collection;
    }

    private async Task WriteAsync(RagCollection collection, string name, int seed, int chunks)
    {
        var random = new Random(seed);
        var written = Enumerable.Range(0, chunks).Select(i => new NewRagChunk(
            $"chunk {i}", new ChunkCitation(0, 7), Enumerable.Range(0, Dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray())).ToList();
        await _store.RagCollections.WriteDocumentAsync(collection.Id, new RagDocumentWrite(name, RagRules.ContentHash(name), 7, written));
    }

    private static float[] Query(int seed)
    {
        var random = new Random(seed + 100);
        return [.. Enumerable.Range(0, Dimensions).Select(_ => (float)random.NextDouble() - 0.5f)];
    }
}
