using System.Text.Json;
using Gateway.Core.Storage.Rag;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What a keyword search ranks when more chunks match than its candidate window holds (ADR 0008): the
/// newest window of the matches that are in the searched collections and pass the filter, so a word found
/// in every chunk costs no more than one found in a window's worth; with fewer matches, all of them.
/// Chunks here are written one call each, in key order, so "newest" is the same on every engine.
/// </summary>
public abstract class ChunkKeywordWindowConformanceTests : StoreConformanceTests
{
    private const int Window = 3;

    private static readonly string[] Texts =
    [
        "quokka quokka quokka",
        "the quokka sleeps in the shade",
        "a quokka eats leaves",
        "one quokka in a long sentence about many other animals of the island",
        "quokka and wombat",
    ];

    /// <summary>A vector store over <paramref name="store"/>'s database whose keyword search ranks at most <paramref name="limit"/> candidates.</summary>
    protected abstract IVectorStore WithKeywordCandidateLimit(StoreUnderTest store, int limit);

    [Fact]
    public async Task KeywordSearch_MoreMatchesThanTheWindow_RanksTheNewestWindowOnly()
    {
        var collection = await SeedAsync();
        var windowed = WithKeywordCandidateLimit(Store, Window);

        var every = await Store.Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "quokka", 10));
        var window = await windowed.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "quokka", 10));

        Assert.Equal(5, every.Count);
        Assert.Equal("c0", every[0].Chunk.Id);
        Assert.Equal(["c2", "c3", "c4"], window.Select(hit => hit.Chunk.Id).Order(StringComparer.Ordinal));
        Assert.Equal(every.Where(hit => hit.Chunk.Id is "c2" or "c3" or "c4").Select(hit => hit.Chunk.Id), window.Select(hit => hit.Chunk.Id));
    }

    [Fact]
    public async Task KeywordSearch_WithFilter_FillsTheWindowWithMatchesItAccepts()
    {
        var collection = await SeedAsync();
        var windowed = WithKeywordCandidateLimit(Store, Window);
        var english = MetadataFilterParser.Parse(JsonElement.Parse("""{"lang":"en"}"""));

        var hits = await windowed.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "quokka", 10, english));

        Assert.Equal(["c0", "c1", "c2"], hits.Select(hit => hit.Chunk.Id).Order(StringComparer.Ordinal));
        Assert.Equal("c0", hits[0].Chunk.Id);
    }

    [Fact]
    public async Task KeywordSearch_FewerMatchesThanTheWindow_RanksThemAll()
    {
        var collection = await SeedAsync();
        var windowed = WithKeywordCandidateLimit(Store, Window);

        var hits = await windowed.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "wombat", 10));
        var two = await windowed.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "quokka", 2));

        Assert.Equal(["c4"], hits.Select(hit => hit.Chunk.Id));
        Assert.Equal(2, two.Count);
    }

    // Five chunks that all hold "quokka", c0 (the oldest) the best match; c0–c2 are English, c3 and c4 German.
    private async Task<RagCollection> SeedAsync()
    {
        var collection = await Store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition("Window", "m", Texts.Length));
        var document = (await Store.RagCollections.WriteDocumentAsync(
            collection.Id, new RagDocumentWrite("zoo.md", RagRules.ContentHash("zoo"), 3, []))).Document;
        for (var i = 0; i < Texts.Length; i++)
        {
            var vector = new float[Texts.Length];
            vector[i] = 1;
            var metadata = JsonElement.Parse(i < 3 ? """{"lang":"en"}""" : """{"lang":"de"}""");
            await Store.Vectors.UpsertChunksAsync(collection.Id,
                [new RagChunkUpsert($"c{i}", document.Id, i, Texts[i], new ChunkCitation(0, Texts[i].Length), vector, metadata)]);
        }

        return collection;
    }
}
