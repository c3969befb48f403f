using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Gateway.Rag.VectorData;
using Microsoft.Extensions.VectorData;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What code written against Microsoft.Extensions.VectorData sees of every backend through
/// <see cref="RagVectorStore"/>: collections by name, records round-trip with their metadata, get, upsert and
/// delete by key, filtered reads, and vector search that agrees with an exact reference under LINQ filters.
/// </summary>
public abstract class VectorDataConformanceTests : StoreConformanceTests
{
    private const int Dimensions = 8;

    private RagVectorStore VectorStore => new(Store.RagCollections, Store.Vectors);

    [Fact]
    public async Task Collections_AreFoundByNameIgnoringCase_ListedAndDeleted()
    {
        await Store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Manuals", "test-model", Dimensions));
        var store = VectorStore;

        Assert.True(await store.CollectionExistsAsync("manuals"));
        Assert.False(await store.CollectionExistsAsync("Recipes"));
        Assert.Contains("Manuals", await store.ListCollectionNamesAsync().ToListAsync());

        await store.EnsureCollectionDeletedAsync("MANUALS");
        await store.EnsureCollectionDeletedAsync("Manuals");

        Assert.False(await store.GetCollection<string, RagChunkRecord>("Manuals").CollectionExistsAsync());
    }

    [Fact]
    public async Task UpsertThenGet_RoundTripsEveryFieldAndCreatesTheNamedDocument()
    {
        var collection = await NewCollectionAsync();
        var record = Record("k1", "guide.md", [1, 2, 0, 0, 0, 0, 0, 0], new()
        {
            ["lang"] = "en",
            ["year"] = 2021L,
            ["score"] = 4.5,
            ["draft"] = false,
            ["tags"] = new object?[] { "a", "b" },
            ["author"] = new Dictionary<string, object?> { ["name"] = "Ada" },
            ["nothing"] = null,
        });
        record.HeadingPath = "Intro > Setup";
        record.Page = 3;

        await collection.UpsertAsync(record);
        var read = await collection.GetAsync("k1", new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(read);
        Assert.Equal("guide.md", read.DocumentName);
        Assert.NotNull(read.DocumentId);
        Assert.Equal((record.Ordinal, record.Text, record.Start, record.End, "Intro > Setup", (int?)3), (read.Ordinal, read.Text, read.Start, read.End, read.HeadingPath, read.Page));
        Assert.Equal("en", read.Metadata!["lang"]);
        Assert.Equal(typeof(long), read.Metadata["year"]!.GetType());
        Assert.Equal((object)2021L, read.Metadata["year"]);
        Assert.Equal(4.5, read.Metadata["score"]);
        Assert.Equal(false, read.Metadata["draft"]);
        Assert.Equal(new object?[] { "a", "b" }, read.Metadata["tags"]);
        Assert.Equal("Ada", ((Dictionary<string, object?>)read.Metadata["author"]!)["name"]);
        Assert.True(read.Metadata.ContainsKey("nothing"));
        Assert.Equal(VectorMath.Normalized([1, 2, 0, 0, 0, 0, 0, 0]), read.Vector.ToArray(), new ToleranceComparer(1e-6f));

        var document = await Store.RagCollections.FindDocumentByNameAsync((await Store.RagCollections.ListCollectionsAsync(new())).Items[0].Id, "guide.md");
        Assert.Equal(read.DocumentId, document!.Id);
    }

    [Fact]
    public async Task Get_WithoutVectors_LeavesTheVectorEmpty_AndMissingKeysAreLeftOut()
    {
        var collection = await NewCollectionAsync();
        await collection.UpsertAsync([Record("a", "d", Unit(0)), Record("b", "d", Unit(1))]);

        var read = await collection.GetAsync("a");
        var many = await collection.GetAsync(["b", "missing", "a"]).ToListAsync();

        Assert.True(read!.Vector.IsEmpty);
        Assert.Null(await collection.GetAsync("missing"));
        Assert.Equal(["b", "a"], many.Select(r => r.Key));
    }

    [Fact]
    public async Task Upsert_SameKey_ReplacesTheRecord_AndDeleteRemovesIt()
    {
        var collection = await NewCollectionAsync();
        await collection.UpsertAsync(Record("a", "d", Unit(0)));
        var replacement = Record("a", "d", Unit(3));
        replacement.Text = "replaced";

        await collection.UpsertAsync(replacement);
        Assert.Equal("replaced", (await collection.GetAsync("a"))!.Text);

        await collection.DeleteAsync("a");
        await collection.DeleteAsync(["a", "never-there"]);
        Assert.Null(await collection.GetAsync("a"));
    }

    [Fact]
    public async Task Search_AgreesWithAnExactReference_UnderALinqFilter()
    {
        var collection = await NewCollectionAsync();
        var random = new Random(13);
        var records = Enumerable.Range(0, 120).Select(i =>
        {
            var vector = Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            return Record($"r{i:D3}", $"doc{i % 3}", vector, new() { ["year"] = (long)(2000 + (i % 25)), ["lang"] = i % 2 == 0 ? "en" : "de" });
        }).ToList();
        await collection.UpsertAsync(records);
        var query = Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var normalizedQuery = VectorMath.Normalized(query);

        var results = await collection.SearchAsync(
            new ReadOnlyMemory<float>(query),
            5,
            new VectorSearchOptions<RagChunkRecord> { Filter = r => (string?)r.Metadata!["lang"] == "en" && (long?)r.Metadata!["year"] >= 2010, Skip = 2 }).ToListAsync();

        var expected = records
            .Where(r => (string)r.Metadata!["lang"]! == "en" && (long)r.Metadata!["year"]! >= 2010)
            .Select(r => (r.Key, Score: Dot(VectorMath.Normalized(r.Vector.Span), normalizedQuery)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Key, StringComparer.Ordinal)
            .Skip(2).Take(5).ToList();
        Assert.Equal(expected.Select(e => e.Key), results.Select(r => r.Record.Key));
        Assert.All(results.Zip(expected), pair => Assert.Equal(pair.Second.Score, pair.First.Score!.Value, 4));
        Assert.All(results, r => Assert.True(r.Record.Vector.IsEmpty));
    }

    [Fact]
    public async Task Search_ScoreThresholdAndIncludeVectors_AreHonoured()
    {
        var collection = await NewCollectionAsync();
        await collection.UpsertAsync([Record("near", "d", [1, 0.1f, 0, 0, 0, 0, 0, 0]), Record("far", "d", [-1, 0, 0, 0, 0, 0, 0, 0])]);

        var results = await collection.SearchAsync(
            Unit(0), 10, new VectorSearchOptions<RagChunkRecord> { ScoreThreshold = 0.5, IncludeVectors = true }).ToListAsync();

        var hit = Assert.Single(results);
        Assert.Equal("near", hit.Record.Key);
        Assert.Equal(Dimensions, hit.Record.Vector.Length);
    }

    [Fact]
    public async Task GetByFilter_PagesInKeyOrder()
    {
        var collection = await NewCollectionAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 10).Select(i => Record($"k{i}", "d", Unit(i % Dimensions), new() { ["even"] = i % 2 == 0 })));

        var page = await collection.GetAsync(r => (bool)r.Metadata!["even"]!, 2, new FilteredRecordRetrievalOptions<RagChunkRecord> { Skip = 1 }).ToListAsync();

        Assert.Equal(["k2", "k4"], page.Select(r => r.Key));
    }

    [Fact]
    public async Task AMissingCollection_IsAVectorStoreExceptionCarryingCollectionNotFound()
    {
        var collection = VectorStore.GetCollection<string, RagChunkRecord>("Nowhere");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(Record("a", "d", Unit(0))));

        Assert.Equal("Nowhere", error.CollectionName);
        Assert.Equal(GatewayErrorCodes.CollectionNotFound, Assert.IsType<GatewayException>(error.InnerException).ErrorCode);
    }

    [Fact]
    public async Task AVectorOfOtherDimensions_IsRefusedAndNothingIsWritten()
    {
        var collection = await NewCollectionAsync();

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync([Record("a", "d", Unit(0)), Record("b", "d", [1, 2, 3])]));

        Assert.Equal(GatewayErrorCodes.EmbeddingModelMismatch, Assert.IsType<GatewayException>(error.InnerException).ErrorCode);
        Assert.Null(await collection.GetAsync("a"));
    }

    [Fact]
    public void OtherKeyOrRecordTypes_AreRefused() =>
        Assert.Throws<NotSupportedException>(() => VectorStore.GetCollection<int, RagChunkRecord>("Manuals"));

    private async Task<VectorStoreCollection<string, RagChunkRecord>> NewCollectionAsync()
    {
        await Store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Manuals", "test-model", Dimensions));
        return VectorStore.GetCollection<string, RagChunkRecord>("Manuals");
    }

    private static RagChunkRecord Record(string key, string document, float[] vector, Dictionary<string, object?>? metadata = null) => new()
    {
        Key = key,
        DocumentName = document,
        Ordinal = 0,
        Text = $"text of {key}",
        Start = 0,
        End = 10,
        Metadata = metadata ?? new() { ["kind"] = "plain" },
        Vector = vector,
    };

    private static float[] Unit(int axis)
    {
        var vector = new float[Dimensions];
        vector[axis] = 1;
        return vector;
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
