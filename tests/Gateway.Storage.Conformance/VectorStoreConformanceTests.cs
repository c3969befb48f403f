using System.Globalization;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IVectorStore"/> must do: chunk records written, read and deleted by key with the
/// counts kept; every kind of filter matching exactly the chunks <see cref="MetadataFilterEvaluator"/>
/// matches on seeded random data; vector search equal to an exact top-k by dot product, never short when
/// a filter matches k chunks; several collections at once; a minimum score; keyword search that finds
/// and ranks; and concurrent writers from two clients.
/// </summary>
public abstract class VectorStoreConformanceTests : StoreConformanceTests
{
    private const int Dimensions = 16;

    // Scores are float32 arithmetic on both sides; positions closer than this may swap.
    private const double ScoreTolerance = 1e-4;

    private IRagCollectionStore Collections => Store.RagCollections;

    private IVectorStore Vectors => Store.Vectors;

    // Filters of every kind, {doc0} and {doc1} standing for document ids.
    private static readonly string[] FilterCases =
    [
        """{"lang": "en"}""",
        """{"lang": {"$eq": "de"}}""",
        """{"lang": {"$ne": "en"}}""",
        """{"year": 2020}""",
        """{"year": "2020"}""",
        """{"year": {"$gt": 2020}}""",
        """{"year": {"$gte": 2019, "$lt": 2023}}""",
        """{"year": {"$lte": 2017}}""",
        """{"score": {"$gt": 0.5}}""",
        """{"score": {"$lte": -0.25}}""",
        """{"tags": "a"}""",
        """{"tags": 1}""",
        """{"tags": {"$in": ["b", "c"]}}""",
        """{"tags": {"$nin": ["a"]}}""",
        """{"lang": {"$in": ["en", 3, true]}}""",
        """{"flag": true}""",
        """{"flag": {"$exists": true}}""",
        """{"flag": {"$exists": false}}""",
        """{"missing": {"$exists": false}}""",
        """{"published": {"$gte": "2024-03-01"}}""",
        """{"published": {"$lt": "2024-05-01T10:00:00Z"}}""",
        """{"published": {"$gt": "2024-05-01T09:59:59+02:00"}}""",
        """{"published": "2024-05-01"}""",
        """{"author.name": "ann"}""",
        """{"author.age": {"$gte": 40}}""",
        """{"author": "ann"}""",
        """{"nested.deep.x": {"$in": [1, 3]}}""",
        """{"nested.deep": {"$exists": true}}""",
        """{"$or": [{"lang": "de"}, {"year": {"$gt": 2022}}]}""",
        """{"$and": [{"lang": "en"}, {"tags": "a"}]}""",
        """{"$not": {"lang": "en"}}""",
        """{"year": {"$not": {"$gt": 2020}}}""",
        """{"score": {"$not": {"$lt": 0}}, "tags": {"$exists": true}}""",
        """{"lang": "en", "year": {"$gte": 2019}, "$or": [{"tags": "b"}, {"flag": false}]}""",
        """{"$documentId": "{doc0}"}""",
        """{"$documentId": {"$in": ["{doc0}", "{doc1}"]}}""",
        """{"$documentId": {"$nin": ["{doc0}"]}}""",
        """{"$documentId": {"$ne": "{doc1}"}, "lang": "fr"}""",
    ];

    [Fact]
    public async Task UpsertChunks_NewKeys_AreReadBackInTheOrderAskedWithNormalisedVectors()
    {
        var collection = await NewCollectionAsync();
        var document = await NewDocumentAsync(collection.Id, "doc", """{"lang":"en"}""");
        var metadata = JsonElement.Parse("""{"tags":["x","y"],"n":3}""");

        await Vectors.UpsertChunksAsync(collection.Id,
        [
            Chunk("a", document.Id, [3, 4, .. new float[Dimensions - 2]], "alpha", metadata),
            Chunk("b", document.Id, Unit(1), "beta"),
        ]);
        var read = await Vectors.GetChunksAsync(collection.Id, ["b", "nope", "a"], includeVectors: true);
        var withoutVectors = await Vectors.GetChunksAsync(collection.Id, ["a"]);

        Assert.Equal(["b", "a"], read.Select(c => c.Id));
        var a = read[1];
        Assert.Equal(collection.Id, a.CollectionId);
        Assert.Equal(document.Id, a.DocumentId);
        Assert.Equal("alpha", a.Text);
        Assert.Equal(new ChunkCitation(0, 5, "Intro > Part", 2), a.Citation);
        Assert.True(JsonElement.DeepEquals(metadata, a.Metadata));
        Assert.Equal([0.6f, 0.8f], a.Vector!.Value.ToArray()[..2]);
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"lang":"en"}"""), read[0].Metadata), "a chunk without metadata takes its document's");
        Assert.Null(Assert.Single(withoutVectors).Vector);
        Assert.Equal(2, (await Collections.GetCollectionAsync(collection.Id))!.ChunkCount);
        Assert.Equal(2, (await Collections.GetDocumentAsync(collection.Id, document.Id))!.ChunkCount);
        Assert.Equal(2, await Vectors.CountChunksAsync(collection.Id));
    }

    [Fact]
    public async Task UpsertChunks_ExistingKey_ReplacesItAndMovesItBetweenDocuments()
    {
        var collection = await NewCollectionAsync();
        var first = await NewDocumentAsync(collection.Id, "first");
        var second = await NewDocumentAsync(collection.Id, "second");
        await Vectors.UpsertChunksAsync(collection.Id, [Chunk("k", first.Id, Unit(0), "old"), Chunk("other", first.Id, Unit(1), "stays")]);

        await Vectors.UpsertChunksAsync(collection.Id, [Chunk("k", second.Id, Unit(2), "new")]);

        var chunk = Assert.Single(await Vectors.GetChunksAsync(collection.Id, ["k"], includeVectors: true));
        Assert.Equal("new", chunk.Text);
        Assert.Equal(second.Id, chunk.DocumentId);
        Assert.Equal(1f, chunk.Vector!.Value.Span[2], 5);
        Assert.Equal(2, (await Collections.GetCollectionAsync(collection.Id))!.ChunkCount);
        Assert.Equal(1, (await Collections.GetDocumentAsync(collection.Id, first.Id))!.ChunkCount);
        Assert.Equal(1, (await Collections.GetDocumentAsync(collection.Id, second.Id))!.ChunkCount);
    }

    [Fact]
    public async Task UpsertChunks_SameKeyTwiceInOneCall_KeepsTheLast()
    {
        var collection = await NewCollectionAsync();
        var document = await NewDocumentAsync(collection.Id, "doc");

        await Vectors.UpsertChunksAsync(collection.Id, [Chunk("k", document.Id, Unit(0), "first"), Chunk("k", document.Id, Unit(1), "last")]);

        Assert.Equal("last", Assert.Single(await Vectors.GetChunksAsync(collection.Id, ["k"])).Text);
        Assert.Equal(1, (await Collections.GetCollectionAsync(collection.Id))!.ChunkCount);
    }

    [Fact]
    public async Task UpsertChunks_AnyChunkInvalid_WritesNone()
    {
        var collection = await NewCollectionAsync();
        var document = await NewDocumentAsync(collection.Id, "doc");

        await AssertErrorAsync(GatewayErrorCodes.DocumentNotFound, () => Vectors.UpsertChunksAsync(collection.Id,
            [Chunk("ok", document.Id, Unit(0), "fine"), Chunk("bad", SortableId.Create(TimeProvider.System), Unit(1), "orphan")]));
        await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelMismatch, () => Vectors.UpsertChunksAsync(collection.Id,
            [Chunk("ok", document.Id, Unit(0), "fine"), new RagChunkUpsert("short", document.Id, 0, "x", new ChunkCitation(0, 1), new float[Dimensions - 1])]));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Vectors.UpsertChunksAsync(collection.Id,
            [Chunk("ok", document.Id, Unit(0), "fine"), new RagChunkUpsert("zero", document.Id, 0, "x", new ChunkCitation(0, 1), new float[Dimensions])]));

        Assert.Empty(await Vectors.GetChunksAsync(collection.Id, ["ok", "bad", "short", "zero"]));
        Assert.Equal(0, (await Collections.GetCollectionAsync(collection.Id))!.ChunkCount);
    }

    [Fact]
    public async Task EveryMethod_UnknownCollection_ThrowsCollectionNotFound()
    {
        var unknown = SortableId.Create(TimeProvider.System);

        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.UpsertChunksAsync(unknown, [Chunk("a", unknown, Unit(0), "x")]));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.GetChunksAsync(unknown, ["a"]));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.DeleteChunksAsync(unknown, ["a"]));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.CountChunksAsync(unknown));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.SearchAsync(new VectorSearchRequest([unknown], Unit(0), 5)));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.KeywordSearchAsync(new KeywordSearchRequest([unknown], "word", 5)));
    }

    [Fact]
    public async Task DeleteChunks_SomeKeysExist_ReturnsHowManyAndKeepsTheCounts()
    {
        var collection = await NewCollectionAsync();
        var document = await NewDocumentAsync(collection.Id, "doc");
        await Vectors.UpsertChunksAsync(collection.Id, [Chunk("a", document.Id, Unit(0), "x"), Chunk("b", document.Id, Unit(1), "y"), Chunk("c", document.Id, Unit(2), "z")]);

        var deleted = await Vectors.DeleteChunksAsync(collection.Id, ["a", "c", "missing"]);

        Assert.Equal(2, deleted);
        Assert.Equal(0, await Vectors.DeleteChunksAsync(collection.Id, ["a"]));
        Assert.Equal(["b"], (await Vectors.GetChunksAsync(collection.Id, ["a", "b", "c"])).Select(c => c.Id));
        Assert.Equal(1, (await Collections.GetCollectionAsync(collection.Id))!.ChunkCount);
        Assert.Equal(1, (await Collections.GetDocumentAsync(collection.Id, document.Id))!.ChunkCount);
        Assert.Empty(await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], Unit(0), 5, MinScore: 0.99)));
    }

    [Fact]
    public async Task CountAndSearch_EveryKindOfFilter_MatchExactlyTheReferenceEvaluator()
    {
        var seeded = await SeedAsync(chunkCount: 300, seed: 13);
        foreach (var filterJson in FilterCases)
        {
            var filter = Filter(filterJson, seeded);
            var query = RandomVector(new Random(filterJson.Length));
            try
            {
                var count = await Vectors.CountChunksAsync(seeded.CollectionId, filter);
                var hits = await Vectors.SearchAsync(new VectorSearchRequest([seeded.CollectionId], query, 15, filter));

                var matching = seeded.Chunks.Where(c => MetadataFilterEvaluator.Matches(filter!, c.Metadata, c.DocumentId)).ToList();
                Assert.Equal(matching.Count, count);
                AssertSameHits(Reference(matching, query, 15), hits);
                Assert.All(hits, hit => Assert.Equal(seeded.DocumentNames[hit.Chunk.DocumentId], hit.DocumentName));
            }
            catch (Xunit.Sdk.XunitException failure)
            {
                throw new Xunit.Sdk.XunitException($"filter {filterJson}: {failure.Message}");
            }
        }
    }

    [Fact]
    public async Task FindChunks_FilterAndPages_ReturnsTheMatchingChunksInIdOrder()
    {
        var seeded = await SeedAsync(chunkCount: 120, seed: 17);
        var filter = Filter("""{"$or": [{"lang": "en"}, {"tags": "a"}]}""");
        var expected = seeded.Chunks.Where(c => MetadataFilterEvaluator.Matches(filter!, c.Metadata, c.DocumentId)).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();

        var pages = new List<string>();
        for (var skip = 0; skip < expected.Count + 10; skip += 10)
        {
            pages.AddRange((await Vectors.FindChunksAsync(seeded.CollectionId, filter, top: 10, skip: skip)).Select(c => c.Id));
        }

        var all = await Vectors.FindChunksAsync(seeded.CollectionId, null, top: 500, includeVectors: true);

        Assert.Equal(expected, pages);
        Assert.Equal(seeded.Chunks.Select(c => c.Id).Order(StringComparer.Ordinal), all.Select(c => c.Id));
        Assert.All(all, c => Assert.Equal(Dimensions, c.Vector!.Value.Length));
        Assert.Null((await Vectors.FindChunksAsync(seeded.CollectionId, null, top: 1))[0].Vector);
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Vectors.FindChunksAsync(seeded.CollectionId, null, top: 0));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Vectors.FindChunksAsync(seeded.CollectionId, null, top: 1, skip: -1));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.FindChunksAsync(SortableId.Create(TimeProvider.System), null, top: 1));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(10, 13)]
    [InlineData(25, 7)]
    public async Task Search_FilterMatchingFewOfMany_IsNeverShort(int k, int matching)
    {
        var collection = await NewCollectionAsync();
        var document = await NewDocumentAsync(collection.Id, "doc");
        var random = new Random(7);
        var chunks = Enumerable.Range(0, 600).Select(i => Chunk(
            $"c{i:D4}", document.Id, RandomVector(random), "text", JsonElement.Parse(i % (600 / matching) == 0 && i / (600 / matching) < matching ? """{"rare":true}""" : """{"rare":false}"""))).ToList();
        await Vectors.UpsertChunksAsync(collection.Id, chunks);
        var filter = Filter("""{"rare": true}""");

        // The query sits among the chunks that do not match, so an approximate search finds none of the rare ones near it.
        var query = chunks.First(c => c.Metadata!.Value.GetProperty("rare").GetBoolean() is false).Vector.ToArray();
        var hits = await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], query, k, filter));

        Assert.Equal(Math.Min(k, matching), hits.Count);
        var expected = chunks.Where(c => c.Metadata!.Value.GetProperty("rare").GetBoolean()).Select(c => Stored(c, collection.Id)).ToList();
        AssertSameHits(Reference(expected, query, k), hits);
    }

    [Fact]
    public async Task Search_NoFilter_EqualsTheExactTopKBestFirst()
    {
        var seeded = await SeedAsync(chunkCount: 400, seed: 5);
        var query = RandomVector(new Random(99));

        var hits = await Vectors.SearchAsync(new VectorSearchRequest([seeded.CollectionId], query, 40));

        AssertSameHits(Reference(seeded.Chunks, query, 40), hits);
        Assert.True(hits.Zip(hits.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score), "best first");
    }

    [Fact]
    public async Task Search_SeveralCollections_RanksTheirChunksTogether()
    {
        var first = await SeedAsync(chunkCount: 60, seed: 1);
        var second = await SeedAsync(chunkCount: 60, seed: 2);
        var query = RandomVector(new Random(3));

        var hits = await Vectors.SearchAsync(new VectorSearchRequest([first.CollectionId, second.CollectionId], query, 30));

        AssertSameHits(Reference([.. first.Chunks, .. second.Chunks], query, 30), hits);
        Assert.Contains(hits, h => h.Chunk.CollectionId == first.CollectionId);
        Assert.Contains(hits, h => h.Chunk.CollectionId == second.CollectionId);
    }

    [Fact]
    public async Task Search_OtherDimensions_ThrowsEmbeddingModelMismatch()
    {
        var collection = await NewCollectionAsync();

        await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelMismatch, () => Vectors.SearchAsync(new VectorSearchRequest([collection.Id], new float[] { 1, 0, 0 }, 5)));
    }

    [Fact]
    public async Task Search_MinScore_DropsTheHitsBelowIt()
    {
        var seeded = await SeedAsync(chunkCount: 100, seed: 21);
        var query = seeded.Chunks[0].Vector!.Value.ToArray();

        var all = await Vectors.SearchAsync(new VectorSearchRequest([seeded.CollectionId], query, 20));
        var minScore = all[5].Score - 1e-6;
        var above = await Vectors.SearchAsync(new VectorSearchRequest([seeded.CollectionId], query, 20, MinScore: minScore));

        Assert.Equal(1, all[0].Score, 4);
        Assert.Equal(seeded.Chunks[0].Id, all[0].Chunk.Id);
        Assert.Equal(all.Take(6).Select(h => h.Chunk.Id), above.Select(h => h.Chunk.Id));
    }

    [Fact]
    public async Task KeywordSearch_Words_FindsRanksAndFilters()
    {
        var collection = await NewCollectionAsync();
        var document = await NewDocumentAsync(collection.Id, "zoo");
        await Vectors.UpsertChunksAsync(collection.Id,
        [
            Chunk("once", document.Id, Unit(0), "the quokka sleeps in the shade of a tree all afternoon long", JsonElement.Parse("""{"lang":"en"}""")),
            Chunk("thrice", document.Id, Unit(1), "quokka quokka quokka", JsonElement.Parse("""{"lang":"en"}""")),
            Chunk("other", document.Id, Unit(2), "a wombat digs", JsonElement.Parse("""{"lang":"en"}""")),
            Chunk("german", document.Id, Unit(3), "quokka quokka quokka", JsonElement.Parse("""{"lang":"de"}""")),
        ]);

        var hits = await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "Quokka", 10));
        var english = await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "quokka", 10, Filter("""{"lang":"en"}""")));
        var top = await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "quokka", 1));

        // Equal texts score the same; ties go by chunk id.
        Assert.Equal(["german", "thrice", "once"], hits.Select(h => h.Chunk.Id));
        Assert.Equal(hits[0].Score, hits[1].Score, 6);
        Assert.True(hits[1].Score > hits[2].Score, $"{hits[1].Score} > {hits[2].Score}");
        Assert.All(hits, h => Assert.Equal("zoo", h.DocumentName));
        Assert.Equal(["thrice", "once"], english.Select(h => h.Chunk.Id));
        Assert.Equal(["german"], top.Select(h => h.Chunk.Id));
        Assert.Empty(await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "platypus", 10)));
    }

    [Fact]
    public async Task UpsertChunks_TwoClientsAtOnce_StoreAndCountEveryChunk()
    {
        var collection = await NewCollectionAsync();
        var document = await NewDocumentAsync(collection.Id, "doc");
        await using var second = await Store.OpenSecondClientAsync();
        var random = new Random(11);
        var batches = Enumerable.Range(0, 16).Select(b => Enumerable.Range(0, 10).Select(i => Chunk($"b{b:D2}-{i}", document.Id, RandomVector(random), "t")).ToList()).ToList();

        var (_, lost) = await RaceAsync(batches.Count, async b =>
        {
            await (b % 2 == 0 ? Vectors : second.Vectors).UpsertChunksAsync(collection.Id, batches[b]);
            return b;
        });

        Assert.Empty(lost);
        Assert.Equal(160, await Vectors.CountChunksAsync(collection.Id));
        Assert.Equal(160, (await second.RagCollections.GetCollectionAsync(collection.Id))!.ChunkCount);
        Assert.Equal(160, (await Collections.GetDocumentAsync(collection.Id, document.Id))!.ChunkCount);
    }

    private static RagChunkUpsert Chunk(string id, string documentId, float[] vector, string text, JsonElement? metadata = null) =>
        new(id, documentId, 0, text, new ChunkCitation(0, text.Length, "Intro > Part", 2), vector, metadata);

    private static float[] Unit(int axis)
    {
        var vector = new float[Dimensions];
        vector[axis] = 1;
        return vector;
    }

    private static float[] RandomVector(Random random) => [.. Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))];

    private static MetadataFilter? Filter(string json, Seeded? seeded = null)
    {
        if (seeded is not null)
        {
            json = json.Replace("{doc0}", seeded.DocumentIds[0], StringComparison.Ordinal).Replace("{doc1}", seeded.DocumentIds[1], StringComparison.Ordinal);
        }

        return MetadataFilterParser.Parse(JsonElement.Parse(json));
    }

    private static RagChunk Stored(RagChunkUpsert chunk, string collectionId) =>
        new(chunk.Id, collectionId, chunk.DocumentId, chunk.Ordinal, chunk.Text, chunk.Citation, chunk.Metadata ?? default, VectorMath.Normalized(chunk.Vector.Span));

    // The exact top-k by dot product of normalised vectors, ties by chunk id.
    private static List<(string Id, double Score)> Reference(IEnumerable<RagChunk> chunks, float[] query, int k)
    {
        var unit = VectorMath.Normalized(query);
        return [.. chunks
            .Select(c => (c.Id, Score: Dot(c.Vector!.Value.Span, unit)))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(k)];
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    // Same length and scores; the same ids wherever a score is not within the tolerance of a neighbour's (where float rounding may swap them).
    private static void AssertSameHits(List<(string Id, double Score)> expected, IReadOnlyList<ChunkSearchHit> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i].Score - actual[i].Score) < ScoreTolerance, $"hit {i}: score {actual[i].Score}, expected {expected[i].Score}");
            var nearTie = (i > 0 && expected[i - 1].Score - expected[i].Score < ScoreTolerance)
                || (i + 1 < expected.Count && expected[i].Score - expected[i + 1].Score < ScoreTolerance);
            if (!nearTie)
            {
                Assert.Equal(expected[i].Id, actual[i].Chunk.Id);
            }
        }
    }

    private async Task<RagCollection> NewCollectionAsync() =>
        await Collections.CreateCollectionAsync(new RagCollectionDefinition($"vectors {Guid.NewGuid():N}", "test-embedder", Dimensions));

    private async Task<RagDocument> NewDocumentAsync(string collectionId, string name, string metadata = "{}") =>
        (await Collections.WriteDocumentAsync(collectionId, new RagDocumentWrite(name, RagRules.ContentHash(name), name.Length, [], JsonElement.Parse(metadata)))).Document;

    // A collection of random chunks over six documents, with random metadata: fields missing, of mixed types, arrays, nested objects and dates.
    private async Task<Seeded> SeedAsync(int chunkCount, int seed)
    {
        var collection = await NewCollectionAsync();
        var documents = new List<RagDocument>();
        for (var d = 0; d < 6; d++)
        {
            documents.Add(await NewDocumentAsync(collection.Id, $"doc {d}"));
        }

        var random = new Random(seed);
        var upserts = Enumerable.Range(0, chunkCount).Select(i =>
            Chunk($"chunk-{i:D4}", documents[random.Next(documents.Count)].Id, RandomVector(random), $"text {i}", RandomMetadata(random))).ToList();
        await Vectors.UpsertChunksAsync(collection.Id, upserts);
        return new Seeded(
            collection.Id,
            [.. documents.Select(d => d.Id)],
            documents.ToDictionary(d => d.Id, d => d.Name),
            [.. upserts.Select(u => Stored(u, collection.Id))]);
    }

    private static JsonElement RandomMetadata(Random random)
    {
        var fields = new List<string>();
        void Maybe(double probability, string field)
        {
            if (random.NextDouble() < probability)
            {
                fields.Add(field);
            }
        }

        string Pick(params string[] options) => options[random.Next(options.Length)];
        Maybe(0.8, $"\"lang\": {Pick("\"en\"", "\"de\"", "\"fr\"", "\"EN\"", "3")}");
        Maybe(0.8, $"\"year\": {Pick("2015", "2017", "2019", "2020", "2020.0", "2021", "2023", "2025", "\"2020\"", "[2016, 2024]")}");
        Maybe(0.7, $"\"score\": {((random.NextDouble() * 2) - 1).ToString("R", CultureInfo.InvariantCulture)}");
        Maybe(0.7, $"\"tags\": {Pick("[]", "[\"a\"]", "[\"b\", \"c\"]", "[\"a\", \"d\", 1]", "\"a\"", "[[\"a\"]]", "[{\"x\": \"a\"}]", "1")}");
        Maybe(0.6, $"\"flag\": {Pick("true", "false", "null", "\"true\"")}");
        Maybe(0.7, $"\"published\": {Pick("\"2024-05-01\"", "\"2024-05-01T12:00:00Z\"", "\"2024-05-01T09:00:00+02:00\"", "\"2024-02-29 08:30\"", "\"2023-12-31T23:59:59.999Z\"", "\"soon\"", "\"2024-13-01\"", "[\"2024-01-01\", \"2024-06-01\"]", "20240501")}");
        Maybe(0.6, $"\"author\": {Pick("{\"name\": \"ann\", \"age\": 41}", "{\"name\": \"bob\", \"age\": 39.5}", "{\"name\": [\"ann\", \"cy\"]}", "\"ann\"", "[{\"name\": \"ann\"}]", "{}")}");
        Maybe(0.5, $"\"nested\": {Pick("{\"deep\": {\"x\": 1}}", "{\"deep\": {\"x\": 2}}", "{\"deep\": {\"x\": [3, 4]}}", "{\"deep\": null}", "{\"deep\": 1}")}");
        return JsonElement.Parse("{" + string.Join(", ", fields) + "}");
    }

    private sealed record Seeded(string CollectionId, IReadOnlyList<string> DocumentIds, Dictionary<string, string> DocumentNames, IReadOnlyList<RagChunk> Chunks);
}
