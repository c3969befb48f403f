using System.Text.Json;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Gateway.Storage.Sqlite.Tests.Conversations;

namespace Gateway.Storage.Sqlite.Tests.Rag;

/// <summary>
/// The exact search over the in-memory mirror against a brute-force reference kept by the test: filters
/// first (never short), ties by chunk id, and the mirror following every write path of this process and
/// reloading after another process's writes.
/// </summary>
public sealed class SqliteVectorSearchTests : IAsyncLifetime
{
    private const int Dimensions = 8;

    private static readonly string[] Languages = ["en", "fr", "de"];

    private readonly Random _random = new(1234);
    private readonly Dictionary<string, Expected> _expected = new(StringComparer.Ordinal);
    private SqliteStoreUnderTest _store = null!;
    private RagCollection _collection = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStoreUnderTest.CreateAsync();
        _collection = await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Random", "m", Dimensions));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public static TheoryData<string> Filters() =>
    [
        """{"lang":"en"}""",
        """{"year":{"$gte":2015,"$lt":2020}}""",
        """{"tags":{"$in":["red","blue"]}}""",
        """{"$or":[{"lang":"fr"},{"year":{"$lte":2003}}]}""",
        """{"lang":{"$ne":"de"},"tags":{"$nin":["green"]}}""",
        """{"optional":{"$exists":true}}""",
        """{"$not":{"optional":{"$exists":true}}}""",
        """{"published":{"$gte":"2020-01-01"}}""",
        """{"year":2001}""",
        """{"lang":"none"}""",
    ];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Search_WithFilter_IsTheBruteForceTopK(string filterJson)
    {
        await WriteDocumentsAsync(30);
        var filter = MetadataFilterParser.Parse(JsonElement.Parse(filterJson))!;

        foreach (var k in new[] { 1, 5, 40 })
        {
            var query = RandomVector();
            var hits = await _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id], query, k, filter));
            Assert.Equal(BruteForce(query, k, filter), hits.Select(h => h.Chunk.Id));
            Assert.All(hits, hit => Assert.Equal(_expected[hit.Chunk.Id].DocumentName, hit.DocumentName));
        }

        Assert.Equal(_expected.Values.Count(e => e.Matches(filter)), await _store.Vectors.CountChunksAsync(_collection.Id, filter));
    }

    [Fact]
    public async Task Search_FewMatches_ReturnsEveryMatch_NeverShort()
    {
        await WriteDocumentsAsync(40);
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""{"year":2001}"""))!;
        var matching = _expected.Values.Count(e => e.Matches(filter));
        Assert.InRange(matching, 1, 30);

        var hits = await _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id], RandomVector(), 30, filter));

        Assert.Equal(matching, hits.Count);
    }

    [Fact]
    public async Task Search_EqualVectors_TieByChunkId_AndMinScoreDropsTheRest()
    {
        var document = await WriteDocumentAsync("same.md", 0, Enumerable.Repeat<float[]>([1, 0, 0, 0, 0, 0, 0, 0], 5).Append([0, 1, 0, 0, 0, 0, 0, 0]).ToArray());

        var hits = await _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id], new float[] { 1, 0, 0, 0, 0, 0, 0, 0 }, 3));
        var above = await _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id], new float[] { 1, 0, 0, 0, 0, 0, 0, 0 }, 10, MinScore: 0.5));

        var ids = (await _store.RagCollections.ListDocumentChunksAsync(_collection.Id, document)).Select(c => c.Id).Take(5).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ids.Take(3), hits.Select(h => h.Chunk.Id));
        Assert.All(hits, hit => Assert.Equal(1.0, hit.Score, 5));
        Assert.Equal(ids, above.Select(h => h.Chunk.Id));
    }

    [Fact]
    public async Task Search_AfterEveryKindOfWrite_FollowsTheStore()
    {
        await WriteDocumentsAsync(10);
        await AssertSearchMatchesAsync();

        // Document written (appended), replaced, deleted.
        await WriteDocumentsAsync(3);
        await AssertSearchMatchesAsync();
        var replaced = await WriteDocumentAsync("doc1.md", 99, RandomVectors(4));
        await AssertSearchMatchesAsync();
        Assert.True(await _store.RagCollections.DeleteDocumentAsync(_collection.Id, replaced));
        Forget(replaced);
        await AssertSearchMatchesAsync();

        // Chunks by key: new keys that sort first, a replaced key, deletes.
        var target = _expected.Values.First().DocumentId;
        await UpsertAsync(target, "aaa-first", "zzz-last");
        await AssertSearchMatchesAsync();
        await UpsertAsync(target, "aaa-first");
        await AssertSearchMatchesAsync();
        var victims = _expected.Keys.Take(3).ToList();
        Assert.Equal(3, await _store.Vectors.DeleteChunksAsync(_collection.Id, victims));
        victims.ForEach(id => _expected.Remove(id));
        await AssertSearchMatchesAsync();
    }

    [Fact]
    public async Task Search_AfterAnotherClientWrites_SeesItsChunks()
    {
        await WriteDocumentsAsync(5);
        await AssertSearchMatchesAsync();
        await using var second = (SqliteStoreUnderTest)await _store.OpenSecondClientAsync();

        var document = (await second.RagCollections.WriteDocumentAsync(_collection.Id, new RagDocumentWrite(
            "elsewhere.md", RagRules.ContentHash("elsewhere"), 9, [new NewRagChunk("elsewhere", new ChunkCitation(0, 9), new float[] { 0, 0, 0, 0, 0, 0, 0, 1 })]))).Document;
        var chunk = Assert.Single(await second.RagCollections.ListDocumentChunksAsync(_collection.Id, document.Id));
        _expected[chunk.Id] = new Expected(chunk.Id, document.Id, "elsewhere.md", VectorMath.Normalized([0, 0, 0, 0, 0, 0, 0, 1]), JsonElement.Parse("{}"));

        await AssertSearchMatchesAsync();
    }

    [Fact]
    public async Task FindChunks_WithFilter_PagesInChunkIdOrder()
    {
        await WriteDocumentsAsync(12);
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""{"lang":"en"}"""))!;
        var expected = _expected.Values.Where(e => e.Matches(filter)).Select(e => e.ChunkId).Order(StringComparer.Ordinal).ToList();

        var pages = new List<string>();
        for (var skip = 0; skip < expected.Count + 7; skip += 7)
        {
            var page = await _store.Vectors.FindChunksAsync(_collection.Id, filter, 7, skip);
            Assert.All(page, chunk => Assert.Null(chunk.Vector));
            pages.AddRange(page.Select(c => c.Id));
        }

        var withVectors = await _store.Vectors.FindChunksAsync(_collection.Id, null, 3, includeVectors: true);
        Assert.Equal(expected, pages);
        Assert.All(withVectors, chunk => Assert.Equal(_expected[chunk.Id].Vector, chunk.Vector!.Value.ToArray()));
    }

    [Fact]
    public async Task Search_SeveralCollections_MergesTheirBest()
    {
        await WriteDocumentsAsync(6);
        var second = await _store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Second", "m", Dimensions));
        var otherVector = RandomVector();
        var written = await _store.RagCollections.WriteDocumentAsync(second.Id, new RagDocumentWrite(
            "other.md", RagRules.ContentHash("other"), 5, [new NewRagChunk("other", new ChunkCitation(0, 5), otherVector)]));
        var otherChunk = Assert.Single(await _store.RagCollections.ListDocumentChunksAsync(second.Id, written.Document.Id));

        var hits = await _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id, second.Id], otherVector, 4));

        Assert.Equal(otherChunk.Id, hits[0].Chunk.Id);
        Assert.Equal(second.Id, hits[0].Chunk.CollectionId);
        Assert.Equal(BruteForce(otherVector, 3, null), hits.Skip(1).Select(h => h.Chunk.Id));
    }

    private async Task AssertSearchMatchesAsync()
    {
        var query = RandomVector();
        var hits = await _store.Vectors.SearchAsync(new VectorSearchRequest([_collection.Id], query, 25));
        Assert.Equal(BruteForce(query, 25, null), hits.Select(h => h.Chunk.Id));
        Assert.Equal(_expected.Count, await _store.Vectors.CountChunksAsync(_collection.Id, new ExistsFilter(new FilterField("nothing"), false)));
    }

    private List<string> BruteForce(float[] query, int k, MetadataFilter? filter)
    {
        var normalised = VectorMath.Normalized(query);
        return [.. _expected.Values
            .Where(e => filter is null || e.Matches(filter))
            .Select(e => (e.ChunkId, Score: System.Numerics.Tensors.TensorPrimitives.Dot(e.Vector, normalised)))
            .OrderByDescending(e => e.Score).ThenBy(e => e.ChunkId, StringComparer.Ordinal)
            .Take(k)
            .Select(e => e.ChunkId)];
    }

    private async Task WriteDocumentsAsync(int count)
    {
        var start = _expected.Values.Select(e => e.DocumentName).Distinct().Count();
        for (var i = start; i < start + count; i++)
        {
            await WriteDocumentAsync($"doc{i}.md", i, RandomVectors(1 + _random.Next(6)));
        }
    }

    private async Task<string> WriteDocumentAsync(string name, int seed, float[][] vectors)
    {
        var metadata = new Dictionary<string, object>
        {
            ["lang"] = Languages[seed % 3],
            ["year"] = 2000 + (seed % 25),
            ["tags"] = new[] { new[] { "red", "green", "blue", "black" }[seed % 4], "x" },
            ["published"] = $"{2015 + (seed % 10)}-0{1 + (seed % 9)}-15",
        };
        if (seed % 4 == 0)
        {
            metadata["optional"] = seed % 8 == 0 ? null! : "set";
        }

        var json = JsonSerializer.SerializeToElement(metadata);
        var text = $"{name} {seed} {vectors.Length} {_random.Next()}";
        var result = await _store.RagCollections.WriteDocumentAsync(_collection.Id, new RagDocumentWrite(
            name, RagRules.ContentHash(text), text.Length, [.. vectors.Select((v, i) => new NewRagChunk($"{text} part {i}", new ChunkCitation(i, i + 1), v))], json));
        Forget(result.Document.Id);
        var chunks = await _store.RagCollections.ListDocumentChunksAsync(_collection.Id, result.Document.Id);
        foreach (var chunk in chunks)
        {
            _expected[chunk.Id] = new Expected(chunk.Id, result.Document.Id, name, VectorMath.Normalized(vectors[chunk.Ordinal]), json);
        }

        return result.Document.Id;
    }

    private async Task UpsertAsync(string documentId, params string[] keys)
    {
        var own = JsonElement.Parse("""{"lang":"own"}""");
        var upserts = keys.Select((key, i) => new RagChunkUpsert(key, documentId, 100 + i, $"upsert {key}", new ChunkCitation(0, 1), RandomVector(), own)).ToList();
        await _store.Vectors.UpsertChunksAsync(_collection.Id, upserts);
        var name = _expected.Values.First(e => e.DocumentId == documentId).DocumentName;
        foreach (var upsert in upserts)
        {
            _expected[upsert.Id] = new Expected(upsert.Id, documentId, name, VectorMath.Normalized(upsert.Vector.Span), own);
        }
    }

    private void Forget(string documentId)
    {
        foreach (var id in _expected.Values.Where(e => e.DocumentId == documentId).Select(e => e.ChunkId).ToList())
        {
            _expected.Remove(id);
        }
    }

    private float[] RandomVector() => [.. Enumerable.Range(0, Dimensions).Select(_ => (float)((_random.NextDouble() * 2) - 1))];

    private float[][] RandomVectors(int count) => [.. Enumerable.Range(0, count).Select(_ => RandomVector())];

    private sealed record Expected(string ChunkId, string DocumentId, string DocumentName, float[] Vector, JsonElement Metadata)
    {
        public bool Matches(MetadataFilter filter) => MetadataFilterEvaluator.Matches(filter, Metadata, DocumentId);
    }
}
