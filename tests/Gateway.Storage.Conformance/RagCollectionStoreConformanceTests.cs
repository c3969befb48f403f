using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IRagCollectionStore"/> must do: every field round-trips, names are unique ignoring
/// case, keyset pages by id, spaces see the collections they link and own, a document write creates,
/// replaces (atomically, keeping its id) or leaves alone, deletes take chunks, vectors and keyword entries
/// with them and keep the counts right, the model of a collection that holds documents is locked, and two
/// clients writing at once leave a consistent collection.
/// </summary>
public abstract class RagCollectionStoreConformanceTests : StoreConformanceTests
{
    private const int Dimensions = 4;

    private IRagCollectionStore Collections => Store.RagCollections;

    private IVectorStore Vectors => Store.Vectors;

    [Fact]
    public async Task CreateCollection_EveryFieldSet_IsReadBackEqual()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Research"));

        var created = await Collections.CreateCollectionAsync(new RagCollectionDefinition("Papers 📚", "bge-small", 384, "Every paper we read", space.Id));
        var read = await Collections.GetCollectionAsync(created.Id);

        Assert.True(SortableId.IsWellFormed(created.Id));
        Assert.Equal("Papers 📚", created.Name);
        Assert.Equal("Every paper we read", created.Description);
        Assert.Equal(space.Id, created.SpaceId);
        Assert.Equal("bge-small", created.EmbeddingModel);
        Assert.Equal(384, created.Dimensions);
        Assert.Equal(0, created.DocumentCount);
        Assert.Equal(0, created.ChunkCount);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.Equal(created, read);
    }

    [Fact]
    public async Task CreateCollection_OnlyRequiredFields_LeavesTheRestUnset()
    {
        var created = await NewCollectionAsync("Plain");

        Assert.Null(created.Description);
        Assert.Null(created.SpaceId);
        Assert.Equal(created, await Collections.GetCollectionAsync(created.Id));
    }

    [Fact]
    public async Task CreateCollection_NameOfAnotherIgnoringCase_IsNameTaken()
    {
        await NewCollectionAsync("Manuals");

        var error = await AssertErrorAsync(GatewayErrorCodes.CollectionNameTaken, () => NewCollectionAsync("MANUALS"));

        Assert.Equal("name", error.Extensions["field"]);
        Assert.Single((await Collections.ListCollectionsAsync(new RagCollectionQuery())).Items);
    }

    [Fact]
    public async Task CreateCollection_BadFieldsOrUnknownSpace_AreRefusedAndWriteNothing()
    {
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.CreateCollectionAsync(new RagCollectionDefinition("x", "m", 0)));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.CreateCollectionAsync(new RagCollectionDefinition("x", "", 4)));
        await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound,
            () => Collections.CreateCollectionAsync(new RagCollectionDefinition("x", "m", 4, SpaceId: SortableId.Create(TimeProvider.System))));

        Assert.Empty((await Collections.ListCollectionsAsync(new RagCollectionQuery())).Items);
    }

    [Fact]
    public async Task GetCollection_UnknownOrMalformed_IsNull()
    {
        Assert.Null(await Collections.GetCollectionAsync(SortableId.Create(TimeProvider.System)));
        Assert.Null(await Collections.GetCollectionAsync("not-an-id"));
    }

    [Fact]
    public async Task FindCollectionByName_AnyCase_IsTheCollectionWithItsCounts()
    {
        await NewCollectionAsync("Other");
        var created = await NewCollectionAsync("Caf\u00e9 Notes");
        await WriteAsync(created.Id, "a.md", "alpha text", "beta text");

        // Another case, and the é decomposed: the same name as the store keeps names unique.
        var found = await Collections.FindCollectionByNameAsync("CAFE\u0301 NOTES");

        Assert.Equal(await Collections.GetCollectionAsync(created.Id), found);
        Assert.Equal(2, found!.ChunkCount);
    }

    [Fact]
    public async Task FindCollectionByName_UnknownOrNoPossibleName_IsNull()
    {
        await NewCollectionAsync("Manuals");

        Assert.Null(await Collections.FindCollectionByNameAsync("Manual"));
        Assert.Null(await Collections.FindCollectionByNameAsync(" "));
        Assert.Null(await Collections.FindCollectionByNameAsync(new string('x', RagRules.MaxNameLength + 1)));
    }

    [Fact]
    public async Task FindCollectionByName_AfterRenameOrDelete_FollowsTheCurrentName()
    {
        var collection = await NewCollectionAsync("Before");
        await Collections.UpdateCollectionAsync(collection.Id, new RagCollectionDefinition("After", "m", Dimensions));

        Assert.Null(await Collections.FindCollectionByNameAsync("before"));
        Assert.Equal(collection.Id, (await Collections.FindCollectionByNameAsync("after"))!.Id);

        await Collections.DeleteCollectionAsync(collection.Id);
        Assert.Null(await Collections.FindCollectionByNameAsync("After"));
    }

    [Fact]
    public async Task UpdateCollection_ReplacesEveryField_KeepsIdCountsAndCreation()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Team"));
        var created = await Collections.CreateCollectionAsync(new RagCollectionDefinition("Old", "m", Dimensions, "old text", space.Id));
        await WriteAsync(created.Id, "a.md", "alpha text", "beta text");

        var updated = await Collections.UpdateCollectionAsync(created.Id, new RagCollectionDefinition("New", "M", Dimensions));

        Assert.Equal(created.Id, updated!.Id);
        Assert.Equal("New", updated.Name);
        Assert.Equal("M", updated.EmbeddingModel);
        Assert.Null(updated.Description);
        Assert.Null(updated.SpaceId);
        Assert.Equal(1, updated.DocumentCount);
        Assert.Equal(2, updated.ChunkCount);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        Assert.Equal(updated, await Collections.GetCollectionAsync(created.Id));
        Assert.Null(await Collections.UpdateCollectionAsync(SortableId.Create(TimeProvider.System), new RagCollectionDefinition("x", "m", 4)));
    }

    [Fact]
    public async Task UpdateCollection_OtherModelOrDimensionsWithDocuments_IsLockedAndChangesNothing()
    {
        var collection = await NewCollectionAsync("Locked");
        await WriteAsync(collection.Id, "a.md", "alpha");
        var before = await Collections.GetCollectionAsync(collection.Id);

        var error = await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelLocked,
            () => Collections.UpdateCollectionAsync(collection.Id, new RagCollectionDefinition("Renamed", "other-model", Dimensions)));
        await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelLocked,
            () => Collections.UpdateCollectionAsync(collection.Id, new RagCollectionDefinition("Renamed", "m", Dimensions + 1)));

        Assert.Equal(collection.Id, error.Extensions["collectionId"]);
        Assert.Equal(before, await Collections.GetCollectionAsync(collection.Id));
    }

    [Fact]
    public async Task UpdateCollection_OtherModelWithoutDocuments_IsAllowed()
    {
        var collection = await NewCollectionAsync("Empty");
        await WriteAsync(collection.Id, "a.md", "alpha");
        var document = await Collections.FindDocumentByNameAsync(collection.Id, "a.md");
        await Collections.DeleteDocumentAsync(collection.Id, document!.Id);

        var updated = await Collections.UpdateCollectionAsync(collection.Id, new RagCollectionDefinition("Empty", "other-model", 8));

        Assert.Equal("other-model", updated!.EmbeddingModel);
        Assert.Equal(8, updated.Dimensions);
        await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelMismatch, () => WriteAsync(collection.Id, "b.md", "beta"));
    }

    [Fact]
    public async Task UpdateCollection_NameOfAnother_IsNameTaken()
    {
        await NewCollectionAsync("First");
        var second = await NewCollectionAsync("Second");

        await AssertErrorAsync(GatewayErrorCodes.CollectionNameTaken,
            () => Collections.UpdateCollectionAsync(second.Id, new RagCollectionDefinition("first", "m", Dimensions)));

        Assert.Equal("Second", (await Collections.GetCollectionAsync(second.Id))!.Name);
    }

    [Fact]
    public async Task ListCollections_SeveralPages_EveryCollectionOnceInIdOrder_AndBySpace()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Owner"));
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await Collections.CreateCollectionAsync(new RagCollectionDefinition($"c{i}", "m", Dimensions, SpaceId: i % 2 == 0 ? space.Id : null))).Id);
        }

        var (all, sizes) = await ListAllAsync(cursor => Collections.ListCollectionsAsync(new RagCollectionQuery(3, cursor)));
        var (owned, _) = await ListAllAsync(cursor => Collections.ListCollectionsAsync(new RagCollectionQuery(2, cursor, space.Id)));

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(c => c.Id));
        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(ids.Where((_, i) => i % 2 == 0).Order(StringComparer.Ordinal), owned.Select(c => c.Id));
        await AssertErrorAsync(GatewayErrorCodes.InvalidCursor, () => Collections.ListCollectionsAsync(new RagCollectionQuery(Cursor: "bogus")));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.ListCollectionsAsync(new RagCollectionQuery(0)));
    }

    [Fact]
    public async Task LinkCollection_LinkedAndOwned_AreTheSpacesCollectionsOnceEach()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Chat"));
        var other = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Other"));
        var owned = await Collections.CreateCollectionAsync(new RagCollectionDefinition("Owned", "m", Dimensions, SpaceId: space.Id));
        var linked = await NewCollectionAsync("Linked");
        var elsewhere = await Collections.CreateCollectionAsync(new RagCollectionDefinition("Elsewhere", "m", Dimensions, SpaceId: other.Id));
        await NewCollectionAsync("Unrelated");

        Assert.True(await Collections.LinkCollectionAsync(space.Id, linked.Id));
        Assert.False(await Collections.LinkCollectionAsync(space.Id, linked.Id));
        Assert.True(await Collections.LinkCollectionAsync(space.Id, owned.Id));
        Assert.True(await Collections.LinkCollectionAsync(space.Id, elsewhere.Id));
        var listed = await Collections.ListSpaceCollectionsAsync(space.Id);

        Assert.Equal(new[] { owned.Id, linked.Id, elsewhere.Id }.Order(StringComparer.Ordinal), listed.Select(c => c.Id));
        Assert.Equal([elsewhere.Id], (await Collections.ListSpaceCollectionsAsync(other.Id)).Select(c => c.Id));
        Assert.True(await Collections.UnlinkCollectionAsync(space.Id, elsewhere.Id));
        Assert.False(await Collections.UnlinkCollectionAsync(space.Id, elsewhere.Id));
        Assert.Equal(new[] { owned.Id, linked.Id }.Order(StringComparer.Ordinal), (await Collections.ListSpaceCollectionsAsync(space.Id)).Select(c => c.Id));
    }

    [Fact]
    public async Task LinkCollection_UnknownSpaceOrCollection_IsItsNotFound()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Chat"));
        var collection = await NewCollectionAsync("Docs");
        var unknown = SortableId.Create(TimeProvider.System);

        await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Collections.LinkCollectionAsync(unknown, collection.Id));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Collections.LinkCollectionAsync(space.Id, unknown));
        await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Collections.ListSpaceCollectionsAsync(unknown));
        Assert.Empty(await Collections.ListSpaceCollectionsAsync(space.Id));
    }

    [Fact]
    public async Task DeleteSpace_OwnedAndLinkedCollections_StayWithoutTheSpace()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Gone"));
        var owned = await Collections.CreateCollectionAsync(new RagCollectionDefinition("Owned", "m", Dimensions, SpaceId: space.Id));
        var linked = await NewCollectionAsync("Linked");
        await Collections.LinkCollectionAsync(space.Id, linked.Id);

        Assert.True(await Store.Spaces.DeleteSpaceAsync(space.Id, SpaceDeletion.RefuseIfConversations));

        Assert.Null((await Collections.GetCollectionAsync(owned.Id))!.SpaceId);
        Assert.NotNull(await Collections.GetCollectionAsync(linked.Id));
        Assert.Empty((await Collections.ListCollectionsAsync(new RagCollectionQuery(SpaceId: space.Id))).Items);
    }

    [Fact]
    public async Task WriteDocument_ChunksOfJsonRecords_KeepTheirJsonPaths()
    {
        var collection = await NewCollectionAsync("Records");
        var write = Document(
            "harbours.json",
            null,
            ("name: North pier", new ChunkCitation(0, 16, JsonPath: "$.harbours[0]")),
            ("name: South pier", new ChunkCitation(18, 34, JsonPath: "$.harbours[1]['odd key']")));

        var result = await Collections.WriteDocumentAsync(collection.Id, write);
        var chunks = await Collections.ListDocumentChunksAsync(collection.Id, result.Document.Id);

        Assert.Equal([new ChunkCitation(0, 16, JsonPath: "$.harbours[0]"), new ChunkCitation(18, 34, JsonPath: "$.harbours[1]['odd key']")], chunks.Select(c => c.Citation));
    }

    [Fact]
    public async Task WriteDocument_NewName_IsCreatedWithEveryFieldAndItsChunksInOrder()
    {
        var collection = await NewCollectionAsync("Docs");
        var metadata = JsonElement.Parse("""{"lang":"en","year":2024,"tags":["a","b"]}""");
        var write = Document("guide.md", metadata, ("Intro to zebras", new ChunkCitation(0, 15, "Guide > Intro", 1)), ("Stripes in detail", new ChunkCitation(15, 32)));

        var result = await Collections.WriteDocumentAsync(collection.Id, write);
        var chunks = await Collections.ListDocumentChunksAsync(collection.Id, result.Document.Id);
        var after = await Collections.GetCollectionAsync(collection.Id);

        Assert.Equal(RagDocumentWriteOutcome.Created, result.Outcome);
        var document = result.Document;
        Assert.True(SortableId.IsWellFormed(document.Id));
        Assert.Equal(collection.Id, document.CollectionId);
        Assert.Equal("guide.md", document.Name);
        Assert.Equal(write.ContentHash, document.ContentHash);
        Assert.True(JsonElement.DeepEquals(metadata, document.Metadata));
        Assert.Equal(2, document.ChunkCount);
        Assert.Equal(write.CharacterCount, document.CharacterCount);
        Assert.Equal(document.CreatedAt, document.UpdatedAt);
        AssertSameDocument(document, (await Collections.GetDocumentAsync(collection.Id, document.Id))!);
        AssertSameDocument(document, (await Collections.FindDocumentByNameAsync(collection.Id, "guide.md"))!);

        Assert.Equal([0, 1], chunks.Select(c => c.Ordinal));
        Assert.Equal(["Intro to zebras", "Stripes in detail"], chunks.Select(c => c.Text));
        Assert.Equal([new ChunkCitation(0, 15, "Guide > Intro", 1), new ChunkCitation(15, 32)], chunks.Select(c => c.Citation));
        Assert.All(chunks, chunk =>
        {
            Assert.True(SortableId.IsWellFormed(chunk.Id));
            Assert.Equal(collection.Id, chunk.CollectionId);
            Assert.Equal(document.Id, chunk.DocumentId);
            Assert.True(JsonElement.DeepEquals(metadata, chunk.Metadata));
            Assert.Null(chunk.Vector);
        });
        Assert.Equal(1, after!.DocumentCount);
        Assert.Equal(2, after.ChunkCount);
        Assert.True(after.UpdatedAt >= collection.UpdatedAt);
    }

    [Fact]
    public async Task WriteDocument_VectorsAreStoredNormalised()
    {
        var collection = await NewCollectionAsync("Docs");
        var write = new RagDocumentWrite("v.md", RagRules.ContentHash("v"), 1, [new NewRagChunk("v", new ChunkCitation(0, 1), new float[] { 3, 0, 4, 0 })]);

        var document = (await Collections.WriteDocumentAsync(collection.Id, write)).Document;
        var chunkId = (await Collections.ListDocumentChunksAsync(collection.Id, document.Id))[0].Id;
        var stored = Assert.Single(await Vectors.GetChunksAsync(collection.Id, [chunkId], includeVectors: true));

        Assert.Equal(new[] { 0.6f, 0f, 0.8f, 0f }, stored.Vector!.Value.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public async Task WriteDocument_SameNameSameContent_IsUnchangedAndWritesNothing()
    {
        var collection = await NewCollectionAsync("Docs");
        var first = await WriteAsync(collection.Id, "a.md", "alpha", "beta");
        var chunks = await Collections.ListDocumentChunksAsync(collection.Id, first.Document.Id);
        var before = await Collections.GetCollectionAsync(collection.Id);

        var again = await Collections.WriteDocumentAsync(collection.Id,
            Document("a.md", JsonElement.Parse("""{"changed":true}"""), ("alpha", new ChunkCitation(0, 5)), ("beta", new ChunkCitation(5, 9))));

        Assert.Equal(RagDocumentWriteOutcome.Unchanged, again.Outcome);
        AssertSameDocument(first.Document, again.Document);
        AssertSameDocument(first.Document, (await Collections.GetDocumentAsync(collection.Id, first.Document.Id))!);
        Assert.Equal(chunks.Select(c => c.Id), (await Collections.ListDocumentChunksAsync(collection.Id, first.Document.Id)).Select(c => c.Id));
        Assert.Equal(before, await Collections.GetCollectionAsync(collection.Id));
    }

    [Fact]
    public async Task WriteDocument_SameNameOtherContent_ReplacesItsChunksKeepingItsId()
    {
        var collection = await NewCollectionAsync("Docs");
        var first = await WriteAsync(collection.Id, "a.md", "zebra one", "zebra two", "zebra three");
        await WriteAsync(collection.Id, "b.md", "giraffe");
        var oldChunks = await Collections.ListDocumentChunksAsync(collection.Id, first.Document.Id);

        var replaced = await Collections.WriteDocumentAsync(collection.Id,
            Document("a.md", JsonElement.Parse("""{"v":2}"""), ("okapi one", new ChunkCitation(0, 9)), ("okapi two", new ChunkCitation(9, 18))));
        var newChunks = await Collections.ListDocumentChunksAsync(collection.Id, first.Document.Id);

        Assert.Equal(RagDocumentWriteOutcome.Replaced, replaced.Outcome);
        Assert.Equal(first.Document.Id, replaced.Document.Id);
        Assert.Equal(first.Document.CreatedAt, replaced.Document.CreatedAt);
        Assert.Equal(2, replaced.Document.ChunkCount);
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"v":2}"""), replaced.Document.Metadata), $"metadata {replaced.Document.Metadata}");
        Assert.Equal(["okapi one", "okapi two"], newChunks.Select(c => c.Text));
        Assert.All(newChunks, chunk => Assert.Equal(2, chunk.Metadata.GetProperty("v").GetInt32()));
        Assert.Empty(await Vectors.GetChunksAsync(collection.Id, [.. oldChunks.Select(c => c.Id)]));
        Assert.Empty(await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "zebra", 10)));
        Assert.Equal(2, (await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "okapi", 10))).Count);
        var after = await Collections.GetCollectionAsync(collection.Id);
        Assert.Equal(2, after!.DocumentCount);
        Assert.Equal(3, after.ChunkCount);
        Assert.Equal(3, await Vectors.CountChunksAsync(collection.Id));
    }

    [Fact]
    public async Task WriteDocument_ReplaceWithAVectorOfOtherDimensions_IsMismatchAndKeepsEveryOldChunk()
    {
        var collection = await NewCollectionAsync("Docs");
        var first = await WriteAsync(collection.Id, "a.md", "zebra one", "zebra two");
        var oldChunks = await Collections.ListDocumentChunksAsync(collection.Id, first.Document.Id);
        var bad = new RagDocumentWrite("a.md", RagRules.ContentHash("other"), 5,
        [
            new NewRagChunk("okapi one", new ChunkCitation(0, 1), Vector(1)),
            new NewRagChunk("okapi two", new ChunkCitation(1, 2), new float[] { 1, 2, 3 }),
            new NewRagChunk("okapi three", new ChunkCitation(2, 3), Vector(3)),
        ]);

        var error = await AssertErrorAsync(GatewayErrorCodes.EmbeddingModelMismatch, () => Collections.WriteDocumentAsync(collection.Id, bad));

        Assert.Equal("chunks[1].vector", error.Extensions["field"]);
        Assert.Equal(oldChunks, await Collections.ListDocumentChunksAsync(collection.Id, first.Document.Id), ChunkComparer.Instance);
        AssertSameDocument(first.Document, (await Collections.GetDocumentAsync(collection.Id, first.Document.Id))!);
        Assert.Equal(2, (await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "zebra", 10))).Count);
        Assert.Empty(await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "okapi", 10)));
        Assert.Equal(2, (await Collections.GetCollectionAsync(collection.Id))!.ChunkCount);
    }

    [Fact]
    public async Task WriteDocument_UnknownCollectionOrBadInput_IsRefused()
    {
        var collection = await NewCollectionAsync("Docs");

        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => WriteAsync(SortableId.Create(TimeProvider.System), "a.md", "alpha"));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.WriteDocumentAsync(collection.Id,
            new RagDocumentWrite("a.md", "not-a-hash", 1, [new NewRagChunk("a", new ChunkCitation(0, 1), Vector(1))])));
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Collections.WriteDocumentAsync(collection.Id,
            new RagDocumentWrite("a.md", RagRules.ContentHash("a"), 1, [new NewRagChunk("a", new ChunkCitation(0, 1), new float[Dimensions])])));

        Assert.Empty((await Collections.ListDocumentsAsync(collection.Id, new RagDocumentQuery())).Items);
    }

    [Fact]
    public async Task ListDocuments_SeveralPages_EveryDocumentOnceInIdOrder()
    {
        var collection = await NewCollectionAsync("Docs");
        var other = await NewCollectionAsync("Other");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await WriteAsync(collection.Id, $"d{i}.md", $"text {i}")).Document.Id);
        }

        await WriteAsync(other.Id, "elsewhere.md", "other text");

        var (all, sizes) = await ListAllAsync(cursor => Collections.ListDocumentsAsync(collection.Id, new RagDocumentQuery(2, cursor)));

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(d => d.Id));
        Assert.Equal([2, 2, 1], sizes);
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound,
            () => Collections.ListDocumentsAsync(SortableId.Create(TimeProvider.System), new RagDocumentQuery()));
        await AssertErrorAsync(GatewayErrorCodes.InvalidCursor,
            () => Collections.ListDocumentsAsync(collection.Id, new RagDocumentQuery(Cursor: StoreCursorOfAnotherListing(all))));
    }

    [Fact]
    public async Task GetDocument_OfAnotherCollection_IsNull()
    {
        var collection = await NewCollectionAsync("Docs");
        var other = await NewCollectionAsync("Other");
        var document = (await WriteAsync(collection.Id, "a.md", "alpha")).Document;

        Assert.Null(await Collections.GetDocumentAsync(other.Id, document.Id));
        Assert.Null(await Collections.FindDocumentByNameAsync(other.Id, "a.md"));
        Assert.Null(await Collections.FindDocumentByNameAsync(collection.Id, "A.md"));
        Assert.False(await Collections.DeleteDocumentAsync(other.Id, document.Id));
        await AssertErrorAsync(GatewayErrorCodes.DocumentNotFound, () => Collections.ListDocumentChunksAsync(other.Id, document.Id));
    }

    [Fact]
    public async Task DeleteDocument_RemovesItsChunksVectorsAndKeywordEntries_CountsFollow()
    {
        var collection = await NewCollectionAsync("Docs");
        var gone = (await WriteAsync(collection.Id, "gone.md", "zebra one", "zebra two")).Document;
        var kept = (await WriteAsync(collection.Id, "kept.md", "zebra kept")).Document;
        var goneChunks = await Collections.ListDocumentChunksAsync(collection.Id, gone.Id);
        Assert.Equal(3, (await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], Vector(0), 10))).Count);

        Assert.True(await Collections.DeleteDocumentAsync(collection.Id, gone.Id));
        Assert.False(await Collections.DeleteDocumentAsync(collection.Id, gone.Id));

        Assert.Null(await Collections.GetDocumentAsync(collection.Id, gone.Id));
        Assert.Empty(await Vectors.GetChunksAsync(collection.Id, [.. goneChunks.Select(c => c.Id)]));
        var keyword = Assert.Single(await Vectors.KeywordSearchAsync(new KeywordSearchRequest([collection.Id], "zebra", 10)));
        Assert.Equal(kept.Id, keyword.Chunk.DocumentId);
        var vector = Assert.Single(await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], Vector(0), 10)));
        Assert.Equal(kept.Id, vector.Chunk.DocumentId);
        var after = await Collections.GetCollectionAsync(collection.Id);
        Assert.Equal(1, after!.DocumentCount);
        Assert.Equal(1, after.ChunkCount);
        await AssertErrorAsync(GatewayErrorCodes.DocumentNotFound, () => Collections.ListDocumentChunksAsync(collection.Id, gone.Id));
    }

    [Fact]
    public async Task DeleteCollection_RemovesDocumentsChunksKeywordEntriesAndLinks_OthersStay()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Chat"));
        var gone = await NewCollectionAsync("Gone");
        var kept = await NewCollectionAsync("Kept");
        var goneDocument = (await WriteAsync(gone.Id, "a.md", "zebra one", "zebra two")).Document;
        await WriteAsync(kept.Id, "a.md", "zebra kept");
        await Collections.LinkCollectionAsync(space.Id, gone.Id);
        await Collections.LinkCollectionAsync(space.Id, kept.Id);
        Assert.Equal(2, (await Vectors.SearchAsync(new VectorSearchRequest([gone.Id], Vector(0), 10))).Count);

        Assert.True(await Collections.DeleteCollectionAsync(gone.Id));
        Assert.False(await Collections.DeleteCollectionAsync(gone.Id));

        Assert.Null(await Collections.GetCollectionAsync(gone.Id));
        Assert.Null(await Collections.GetDocumentAsync(gone.Id, goneDocument.Id));
        Assert.Equal([kept.Id], (await Collections.ListSpaceCollectionsAsync(space.Id)).Select(c => c.Id));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.KeywordSearchAsync(new KeywordSearchRequest([gone.Id], "zebra", 10)));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound, () => Vectors.SearchAsync(new VectorSearchRequest([gone.Id], Vector(0), 10)));
        var hit = Assert.Single(await Vectors.KeywordSearchAsync(new KeywordSearchRequest([kept.Id], "zebra", 10)));
        Assert.Equal("zebra kept", hit.Chunk.Text);
        Assert.Equal(1, (await Collections.GetCollectionAsync(kept.Id))!.ChunkCount);
    }

    [Fact]
    public async Task WriteDocument_TwoClientsAtOnce_EndWithEveryDocumentWhole()
    {
        await using var second = await Store.OpenSecondClientAsync();
        var collection = await NewCollectionAsync("Busy");
        var clients = new[] { Collections, second.RagCollections };

        // Warm each client's view of the collection's vectors before the writes.
        Assert.Empty(await Vectors.SearchAsync(new VectorSearchRequest([collection.Id], Vector(0), 5)));
        Assert.Empty(await second.Vectors.SearchAsync(new VectorSearchRequest([collection.Id], Vector(0), 5)));

        // Twelve writes of four names: each name is written three times with different content.
        var (won, lost) = await RaceAsync(12, i => clients[i % 2].WriteDocumentAsync(collection.Id,
            Document($"doc{i % 4}.md", null, [.. Enumerable.Range(0, 1 + (i % 3)).Select(c => ($"doc{i % 4} version{i} part{c}", new ChunkCitation(c, c + 1)))])));

        Assert.Empty(lost);
        Assert.Equal(12, won.Count);
        var documents = (await Collections.ListDocumentsAsync(collection.Id, new RagDocumentQuery())).Items;
        Assert.Equal(4, documents.Count);
        var chunkTotal = 0;
        foreach (var document in documents)
        {
            var chunks = await Collections.ListDocumentChunksAsync(collection.Id, document.Id);
            var versions = chunks.Select(c => c.Text.Split(' ')[1]).Distinct().ToList();
            Assert.Single(versions);
            Assert.Equal(document.ChunkCount, chunks.Count);
            Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
            chunkTotal += chunks.Count;
        }

        var collectionAfter = await Collections.GetCollectionAsync(collection.Id);
        Assert.Equal(4, collectionAfter!.DocumentCount);
        Assert.Equal(chunkTotal, collectionAfter.ChunkCount);
        foreach (var vectors in new[] { Vectors, second.Vectors })
        {
            var hits = await vectors.SearchAsync(new VectorSearchRequest([collection.Id], Vector(0), RagRules.MaxK));
            Assert.Equal(chunkTotal, hits.Count);
            Assert.Equal(chunkTotal, await vectors.CountChunksAsync(collection.Id, new ExistsFilter(new FilterField("missing"), false)));
        }
    }

    private Task<RagCollection> NewCollectionAsync(string name) =>
        Collections.CreateCollectionAsync(new RagCollectionDefinition(name, "m", Dimensions));

    private Task<RagDocumentWriteResult> WriteAsync(string collectionId, string name, params string[] chunkTexts) =>
        Collections.WriteDocumentAsync(collectionId, Document(name, null, [.. chunkTexts.Select((text, i) => (text, new ChunkCitation(i, i + 1)))]));

    /// <summary>A document whose content hash is that of its chunks' text, each chunk with a distinct unit-ish vector.</summary>
    private static RagDocumentWrite Document(string name, JsonElement? metadata, params (string Text, ChunkCitation Citation)[] chunks)
    {
        var text = string.Concat(chunks.Select(c => c.Text));
        return new RagDocumentWrite(
            name, RagRules.ContentHash(text), text.Length, [.. chunks.Select((c, i) => new NewRagChunk(c.Text, c.Citation, Vector(i)))], metadata);
    }

    private static float[] Vector(int seed) => [1 + (seed % 3), 1 + (seed % 5), 0.5f, seed];

    private static string StoreCursorOfAnotherListing(List<RagDocument> documents) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("c1:" + documents[0].Id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void AssertSameDocument(RagDocument expected, RagDocument actual)
    {
        Assert.True(JsonElement.DeepEquals(expected.Metadata, actual.Metadata), $"metadata {expected.Metadata} != {actual.Metadata}");
        Assert.Equal(expected with { Metadata = default }, actual with { Metadata = default });
    }

    /// <summary>Chunks compared field by field, metadata as JSON.</summary>
    private sealed class ChunkComparer : IEqualityComparer<RagChunk>
    {
        public static readonly ChunkComparer Instance = new();

        public bool Equals(RagChunk? x, RagChunk? y) =>
            x is not null && y is not null && JsonElement.DeepEquals(x.Metadata, y.Metadata) && x with { Metadata = default } == y with { Metadata = default };

        public int GetHashCode(RagChunk obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
