using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IRagCollectionStore"/> does with a document's text: it is stored with the chunks, a range of it
/// reads back exactly what a chunk's citation points at (in UTF-16 offsets, surrogate pairs included), it is replaced with
/// the chunks and deleted with the document or its collection, and a document can be found by its id alone.
/// </summary>
public abstract class RagDocumentTextConformanceTests : StoreConformanceTests
{
    // Two astral characters (a surrogate pair each) before the chunks, so UTF-16 offsets and code points differ.
    private const string Text = "# Harbour 🌊 guide\n\n## Tides\n\nThe tide turns at noon. 𝄞 Boats wait.\n\n## Moorings\n\nBuoys are yellow.";

    private IRagCollectionStore Collections => Store.RagCollections;

    [Fact]
    public async Task ReadDocumentText_EachChunksCitation_ReadsBackTheChunksText()
    {
        var collection = await NewCollectionAsync();
        var document = await WriteAsync(collection.Id, "harbour.md", Text);

        var chunks = await Collections.ListDocumentChunksAsync(collection.Id, document.Id);
        foreach (var chunk in chunks)
        {
            var range = await Collections.ReadDocumentTextAsync(document.Id, chunk.Citation.Start, chunk.Citation.End);

            Assert.NotNull(range);
            Assert.Equal(chunk.Text, range.Text);
            Assert.Equal((chunk.Citation.Start, chunk.Citation.End, Text.Length), (range.Start, range.End, range.Length));
            AssertSameDocument(document, range.Document);
        }

        Assert.Equal(3, chunks.Count);
    }

    [Fact]
    public async Task ReadDocumentText_NoEnd_ReadsToTheEndAtMostTheMaximumRange()
    {
        var collection = await NewCollectionAsync();
        var shortText = await WriteAsync(collection.Id, "harbour.md", Text);
        var longText = new string('a', RagRules.MaxTextRangeLength) + "🌊tail";
        var longDocument = await WriteAsync(collection.Id, "long.txt", longText);

        var whole = await Collections.ReadDocumentTextAsync(shortText.Id);
        var rest = await Collections.ReadDocumentTextAsync(shortText.Id, 20);
        var window = await Collections.ReadDocumentTextAsync(longDocument.Id, 2);
        var tail = await Collections.ReadDocumentTextAsync(longDocument.Id, RagRules.MaxTextRangeLength);

        Assert.Equal(Text, whole!.Text);
        Assert.Equal(Text[20..], rest!.Text);
        Assert.Equal((2, 2 + RagRules.MaxTextRangeLength, longText.Length), (window!.Start, window.End, window.Length));
        Assert.Equal(longText.Substring(2, RagRules.MaxTextRangeLength), window.Text);
        Assert.Equal("🌊tail", tail!.Text);
    }

    [Fact]
    public async Task ReadDocumentText_EmptyRangeOrHalfAPair_ReadsExactlyTheCodeUnitsAsked()
    {
        var collection = await NewCollectionAsync();
        var document = await WriteAsync(collection.Id, "harbour.md", Text);
        var wave = Text.IndexOf("🌊", StringComparison.Ordinal);

        Assert.Equal(string.Empty, (await Collections.ReadDocumentTextAsync(document.Id, 5, 5))!.Text);
        Assert.Equal(string.Empty, (await Collections.ReadDocumentTextAsync(document.Id, Text.Length))!.Text);
        Assert.Equal(Text.Substring(wave, 1), (await Collections.ReadDocumentTextAsync(document.Id, wave, wave + 1))!.Text);
    }

    [Theory]
    [InlineData(-1, null, "start")]
    [InlineData(1_000, null, "start")]
    [InlineData(10, 9, "end")]
    [InlineData(0, 1_000, "end")]
    public async Task ReadDocumentText_RangeOutsideTheText_IsInvalidRequestNamingTheField(int start, int? end, string field)
    {
        var collection = await NewCollectionAsync();
        var document = await WriteAsync(collection.Id, "harbour.md", Text);

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.ReadDocumentTextAsync(document.Id, start, end));

        Assert.Equal(field, error.Extensions["field"]);
    }

    [Fact]
    public async Task ReadDocumentText_LongerThanTheMaximumRange_IsInvalidEnd()
    {
        var collection = await NewCollectionAsync();
        var document = await WriteAsync(collection.Id, "long.txt", new string('a', RagRules.MaxTextRangeLength + 2));

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Collections.ReadDocumentTextAsync(document.Id, 0, RagRules.MaxTextRangeLength + 1));

        Assert.Equal("end", error.Extensions["field"]);
    }

    [Fact]
    public async Task ReadDocumentText_DocumentWrittenWithoutText_IsTextUnavailable()
    {
        var collection = await NewCollectionAsync();
        var document = (await Collections.WriteDocumentAsync(collection.Id, Write("old.md", Text, storeText: false))).Document;

        var error = await AssertErrorAsync(GatewayErrorCodes.DocumentTextUnavailable, () => Collections.ReadDocumentTextAsync(document.Id));

        Assert.Equal(document.Id, error.Extensions["documentId"]);
    }

    [Fact]
    public async Task ReadDocumentText_UnknownDocument_IsNull()
    {
        Assert.Null(await Collections.ReadDocumentTextAsync(SortableId.Create(TimeProvider.System)));
        Assert.Null(await Collections.ReadDocumentTextAsync("not-an-id", 5, 1));
    }

    [Fact]
    public async Task WriteDocument_ChangedText_ReplacesTheStoredText()
    {
        var collection = await NewCollectionAsync();
        var first = await WriteAsync(collection.Id, "harbour.md", Text);
        var changed = Text.Replace("noon", "midnight", StringComparison.Ordinal);

        var second = await WriteAsync(collection.Id, "harbour.md", changed);
        var unchanged = await Collections.WriteDocumentAsync(collection.Id, Write("harbour.md", changed, storeText: false));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(RagDocumentWriteOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(changed, (await Collections.ReadDocumentTextAsync(first.Id))!.Text);
    }

    [Fact]
    public async Task WriteDocument_ReplacedWithoutText_LeavesNoStaleText()
    {
        var collection = await NewCollectionAsync();
        var document = await WriteAsync(collection.Id, "harbour.md", Text);

        await Collections.WriteDocumentAsync(collection.Id, Write("harbour.md", Text + " More.", storeText: false));

        await AssertErrorAsync(GatewayErrorCodes.DocumentTextUnavailable, () => Collections.ReadDocumentTextAsync(document.Id));
    }

    [Fact]
    public async Task WriteDocument_TextOfAnotherLength_IsRefusedAndWritesNothing()
    {
        var collection = await NewCollectionAsync();
        var write = Write("harbour.md", Text) with { CharacterCount = Text.Length - 1 };

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.WriteDocumentAsync(collection.Id, write));

        Assert.Equal("text", error.Extensions["field"]);
        Assert.Null(await Collections.FindDocumentByNameAsync(collection.Id, "harbour.md"));
    }

    [Fact]
    public async Task DeleteDocumentOrCollection_TakesTheTextWithIt()
    {
        var collection = await NewCollectionAsync();
        var deleted = await WriteAsync(collection.Id, "harbour.md", Text);
        var kept = await WriteAsync(collection.Id, "other.md", "Other text.");

        await Collections.DeleteDocumentAsync(collection.Id, deleted.Id);

        Assert.Null(await Collections.ReadDocumentTextAsync(deleted.Id));
        Assert.Equal("Other text.", (await Collections.ReadDocumentTextAsync(kept.Id))!.Text);

        await Collections.DeleteCollectionAsync(collection.Id);

        Assert.Null(await Collections.ReadDocumentTextAsync(kept.Id));
    }

    [Fact]
    public async Task FindDocument_ById_FindsItInWhicheverCollectionHoldsIt()
    {
        var first = await NewCollectionAsync("First");
        var second = await NewCollectionAsync("Second");
        await WriteAsync(first.Id, "a.md", "Alpha.");
        var document = await WriteAsync(second.Id, "b.md", "Beta.");

        var found = await Collections.FindDocumentAsync(document.Id);

        Assert.NotNull(found);
        AssertSameDocument(document, found);
        Assert.Equal(second.Id, found.CollectionId);
        Assert.Null(await Collections.FindDocumentAsync(SortableId.Create(TimeProvider.System)));
        Assert.Null(await Collections.FindDocumentAsync("not-an-id"));
    }

    private static void AssertSameDocument(RagDocument expected, RagDocument actual)
    {
        Assert.True(JsonElement.DeepEquals(expected.Metadata, actual.Metadata), $"metadata {expected.Metadata} != {actual.Metadata}");
        Assert.Equal(expected with { Metadata = default }, actual with { Metadata = default });
    }

    private Task<RagCollection> NewCollectionAsync(string name = "Harbour") =>
        Collections.CreateCollectionAsync(new RagCollectionDefinition(name, "m", 2));

    private async Task<RagDocument> WriteAsync(string collectionId, string name, string text) =>
        (await Collections.WriteDocumentAsync(collectionId, Write(name, text))).Document;

    // The text cut at blank lines into chunks that cite their offsets, as a chunker cuts it.
    private static RagDocumentWrite Write(string name, string text, bool storeText = true)
    {
        var chunks = new List<NewRagChunk>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf("\n\n##", start, StringComparison.Ordinal) is var blank and >= 0 ? blank : text.Length;
            chunks.Add(new NewRagChunk(text[start..end], new ChunkCitation(start, end), new float[] { 1, chunks.Count }));
            start = end == text.Length ? end : end + 2;
        }

        return new RagDocumentWrite(name, RagRules.ContentHash(text), text.Length, chunks, Text: storeText ? text : null);
    }
}
