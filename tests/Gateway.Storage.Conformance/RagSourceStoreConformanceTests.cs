using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IRagSourceStore"/> must do: every field round-trips, sources page by id across
/// collections or within one, go with their collection, and a sync is claimed once (also by two clients
/// racing), held while its ingestion is unrecorded, let go when its claim expires, and recorded so that
/// the files of failed documents keep their old state, removed files go, and an ingestion that did not
/// complete changes no file. The clock is a fake one, so claims expire when the test says.
/// </summary>
public abstract class RagSourceStoreConformanceTests : StoreConformanceTests
{
    private static readonly TimeSpan ClaimTime = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private IRagSourceStore? _sources;

    private IRagSourceStore Sources => _sources ??= Store.OpenRagSourceStore(_time);

    [Fact]
    public async Task CreateSource_EveryFieldSet_IsReadBackEqualWithNoSyncYet()
    {
        var collection = await NewCollectionAsync("Docs");

        var created = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", "handbook/ünïcode", ["**/*.md", "*.txt"], ["drafts/**"]));
        var read = await Sources.GetSourceAsync(collection.Id, created.Id);

        Assert.True(SortableId.IsWellFormed(created.Id));
        Assert.Equal((collection.Id, "docs", "handbook/ünïcode"), (created.CollectionId, created.Root, created.Path));
        Assert.Equal(["**/*.md", "*.txt"], created.Include);
        Assert.Equal(["drafts/**"], created.Exclude);
        Assert.Equal(_time.GetUtcNow(), created.CreatedAt);
        Assert.Null(created.LastSyncedAt);
        Assert.Null(created.LastIngestionId);
        Assert.Null(created.SyncIngestionId);
        AssertSameSource(created, read!);
        Assert.Empty(await Sources.ListSourceFilesAsync(created.Id));
    }

    [Fact]
    public async Task CreateSource_RootItselfWithoutGlobs_KeepsEmptyPathAndLists()
    {
        var collection = await NewCollectionAsync("Root");

        var created = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));

        var read = await Sources.GetSourceAsync(collection.Id, created.Id);
        Assert.Equal(string.Empty, read!.Path);
        Assert.Empty(read.Include);
        Assert.Empty(read.Exclude);
    }

    [Fact]
    public async Task CreateSource_UnknownCollection_IsCollectionNotFound()
    {
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound,
            () => Sources.CreateSourceAsync("0190a000-0000-7000-8000-000000000000", new RagSourceDefinition("docs", string.Empty, [], [])));
        await AssertErrorAsync(GatewayErrorCodes.CollectionNotFound,
            () => Sources.ListSourcesAsync(new RagSourceQuery("0190a000-0000-7000-8000-000000000000")));
    }

    /// <summary>Definitions that break one rule each, and the field the error must name.</summary>
    public static TheoryData<string, string> InvalidSources() => new()
    {
        { "blank root", "root" },
        { "long root", "root" },
        { "long path", "path" },
        { "NUL in path", "path" },
        { "blank include", "include[1]" },
        { "too many excludes", "exclude" },
    };

    [Theory]
    [MemberData(nameof(InvalidSources))]
    public async Task CreateSource_InvalidField_ThrowsInvalidRequestNamingItAndWritesNothing(string rule, string field)
    {
        var collection = await NewCollectionAsync("Invalid");
        var definition = rule switch
        {
            "blank root" => new RagSourceDefinition(" ", string.Empty, [], []),
            "long root" => new RagSourceDefinition(new string('r', RagSourceRules.MaxRootLength + 1), string.Empty, [], []),
            "long path" => new RagSourceDefinition("docs", new string('p', RagSourceRules.MaxPathLength + 1), [], []),
            "NUL in path" => new RagSourceDefinition("docs", "a\0b", [], []),
            "blank include" => new RagSourceDefinition("docs", string.Empty, ["**/*.md", ""], []),
            _ => new RagSourceDefinition("docs", string.Empty, [], [.. Enumerable.Repeat("*.tmp", RagSourceRules.MaxGlobs + 1)]),
        };

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Sources.CreateSourceAsync(collection.Id, definition));

        Assert.Equal(field, error.Extensions["field"]);
        Assert.Empty((await Sources.ListSourcesAsync(new RagSourceQuery(collection.Id))).Items);
    }

    [Fact]
    public async Task ListSources_PagesByIdWithinACollectionOrAcrossAll()
    {
        var first = await NewCollectionAsync("First");
        var second = await NewCollectionAsync("Second");
        var created = new List<RagSource>();
        foreach (var collection in new[] { first, second, first, second, first })
        {
            created.Add(await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", $"folder{created.Count}", [], [])));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var (all, allPages) = await ListAllAsync(cursor => Sources.ListSourcesAsync(new RagSourceQuery(null, 2, cursor)));
        var (ofFirst, _) = await ListAllAsync(cursor => Sources.ListSourcesAsync(new RagSourceQuery(first.Id, 2, cursor)));

        Assert.Equal(created.Select(s => s.Id), all.Select(s => s.Id));
        Assert.Equal([2, 2, 1], allPages);
        Assert.Equal(created.Where(s => s.CollectionId == first.Id).Select(s => s.Id), ofFirst.Select(s => s.Id));
        Assert.Empty((await Sources.ListSourcesAsync(new RagSourceQuery(await NewCollectionIdAsync("Empty")))).Items);
        await AssertErrorAsync(GatewayErrorCodes.InvalidCursor,
            () => Sources.ListSourcesAsync(new RagSourceQuery(null, 2, StorePaging.DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task GetAndDeleteSource_OfAnotherCollection_FindNothing()
    {
        var owner = await NewCollectionAsync("Owner");
        var other = await NewCollectionAsync("Other");
        var source = await Sources.CreateSourceAsync(owner.Id, new RagSourceDefinition("docs", string.Empty, [], []));

        Assert.Null(await Sources.GetSourceAsync(other.Id, source.Id));
        Assert.False(await Sources.DeleteSourceAsync(other.Id, source.Id));
        Assert.NotNull(await Sources.GetSourceAsync(owner.Id, source.Id));
    }

    [Fact]
    public async Task DeleteSource_TakesItsFilesAndLeavesTheDocuments()
    {
        var collection = await NewCollectionAsync("Delete");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        await WriteDocumentAsync(collection.Id, "a.md");
        await RecordSyncAsync(source.Id, "ingestion-1", [Added("a.md", 10)]);

        Assert.True(await Sources.DeleteSourceAsync(collection.Id, source.Id));

        Assert.Null(await Sources.GetSourceAsync(collection.Id, source.Id));
        Assert.Empty(await Sources.ListSourceFilesAsync(source.Id));
        Assert.False(await Sources.DeleteSourceAsync(collection.Id, source.Id));
        Assert.NotNull(await Store.RagCollections.FindDocumentByNameAsync(collection.Id, "a.md"));
    }

    [Fact]
    public async Task DeleteCollection_TakesItsSourcesAndTheirFiles()
    {
        var collection = await NewCollectionAsync("Gone");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        await RecordSyncAsync(source.Id, "ingestion-1", [Added("a.md", 10)]);

        Assert.True(await Store.RagCollections.DeleteCollectionAsync(collection.Id));

        Assert.Empty((await Sources.ListSourcesAsync(new RagSourceQuery(null))).Items);
        Assert.Empty(await Sources.ListSourceFilesAsync(source.Id));
    }

    [Fact]
    public async Task FirstSync_Completed_RecordsEveryFileToTheTickWithItsDocumentsHash()
    {
        var collection = await NewCollectionAsync("First sync");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        var hash = await WriteDocumentAsync(collection.Id, "guide/a.md");
        var modified = new DateTimeOffset(638_700_000_000_000_007, TimeSpan.Zero);
        var a = new RagSourceFile("guide/a.md", 12, modified, "guide/a.md");
        var b = new RagSourceFile("b.txt", 0, modified.AddTicks(1), "b.txt");

        Assert.True(await Sources.TryClaimSyncAsync(source.Id, "claim-1", _time.GetUtcNow() + ClaimTime));
        Assert.True(await Sources.StartSyncAsync(source.Id, "claim-1", "ingestion-1", [new(a, false), new(b, false)]));
        var started = await Sources.GetSourceAsync(collection.Id, source.Id);
        Assert.Equal("ingestion-1", started!.SyncIngestionId);
        Assert.Empty(await Sources.ListSourceFilesAsync(source.Id));
        _time.Advance(TimeSpan.FromSeconds(3));
        var finished = await Sources.FinishSyncAsync(source.Id, new RagSourceSyncResult("ingestion-1", true, [], _time.GetUtcNow()));

        Assert.Equal(_time.GetUtcNow(), finished!.LastSyncedAt);
        Assert.Equal("ingestion-1", finished.LastIngestionId);
        Assert.Null(finished.SyncIngestionId);
        AssertSameSource(finished, (await Sources.GetSourceAsync(collection.Id, source.Id))!);
        Assert.Equal([b, a with { ContentHash = hash }], await Sources.ListSourceFilesAsync(source.Id));
    }

    [Fact]
    public async Task NextSync_Completed_ReplacesChangedAddsNewDropsRemovedAndKeepsFailedAsTheyWere()
    {
        var collection = await NewCollectionAsync("Next sync");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        await RecordSyncAsync(source.Id, "ingestion-1", [Added("kept.md", 1), Added("changed.md", 2), Added("removed.md", 3), Added("broken.md", 4), Added("stuck.md", 5)]);

        var changes = new RagSourceChange[]
        {
            Added("changed.md", 20), new(File("removed.md", 3), true), Added("broken.md", 40), Added("new.md", 6), Added("new-broken.md", 7),
            new(File("stuck.md", 5), true),
        };
        await RecordSyncAsync(source.Id, "ingestion-2", changes, failed: ["broken.md", "new-broken.md", "stuck.md"]);

        var files = await Sources.ListSourceFilesAsync(source.Id);
        Assert.Equal(["broken.md", "changed.md", "kept.md", "new.md", "stuck.md"], files.Select(f => f.Path));
        Assert.Equal([4L, 20, 1, 6, 5], files.Select(f => f.Size));
        Assert.Equal("ingestion-2", (await Sources.GetSourceAsync(collection.Id, source.Id))!.LastIngestionId);
    }

    [Fact]
    public async Task Sync_NotCompleted_ChangesNoFileNorLastSyncedAt()
    {
        var collection = await NewCollectionAsync("Failed sync");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        var first = await RecordSyncAsync(source.Id, "ingestion-1", [Added("a.md", 1)]);
        _time.Advance(TimeSpan.FromMinutes(1));

        var second = await RecordSyncAsync(source.Id, "ingestion-2", [Added("a.md", 2), Added("b.md", 3)], completed: false);

        Assert.Equal(first.LastSyncedAt, second.LastSyncedAt);
        Assert.Equal("ingestion-2", second.LastIngestionId);
        Assert.Equal([File("a.md", 1)], await Sources.ListSourceFilesAsync(source.Id));
    }

    [Fact]
    public async Task Sync_ManyChanges_AreAllRecorded()
    {
        var collection = await NewCollectionAsync("Many");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        var changes = Enumerable.Range(0, 450).Select(i => Added($"notes/{i:D4}.md", i)).ToArray();

        await RecordSyncAsync(source.Id, "ingestion-1", changes);

        Assert.Equal(changes.Select(c => c.File), await Sources.ListSourceFilesAsync(source.Id));
    }

    [Fact]
    public async Task FinishSync_Twice_RecordsOnce()
    {
        var collection = await NewCollectionAsync("Twice");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        await RecordSyncAsync(source.Id, "ingestion-1", [Added("a.md", 1)]);

        Assert.Null(await Sources.FinishSyncAsync(source.Id, new RagSourceSyncResult("ingestion-1", false, [], _time.GetUtcNow())));
        Assert.Null(await Sources.FinishSyncAsync(source.Id, new RagSourceSyncResult("another", true, [], _time.GetUtcNow())));
        Assert.Equal([File("a.md", 1)], await Sources.ListSourceFilesAsync(source.Id));
    }

    [Fact]
    public async Task Claim_HeldOrWithAnUnrecordedIngestion_IsRefusedUntilReleasedExpiredOrRecorded()
    {
        var collection = await NewCollectionAsync("Claims");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));

        Assert.True(await Sources.TryClaimSyncAsync(source.Id, "claim-1", _time.GetUtcNow() + ClaimTime));
        Assert.False(await Sources.TryClaimSyncAsync(source.Id, "claim-2", _time.GetUtcNow() + ClaimTime));
        await Sources.ReleaseSyncClaimAsync(source.Id, "claim-2", _time.GetUtcNow());
        Assert.Null((await Sources.GetSourceAsync(collection.Id, source.Id))!.LastSyncedAt);
        await Sources.ReleaseSyncClaimAsync(source.Id, "claim-1", null);
        Assert.Null((await Sources.GetSourceAsync(collection.Id, source.Id))!.LastSyncedAt);

        Assert.True(await Sources.TryClaimSyncAsync(source.Id, "claim-3", _time.GetUtcNow() + ClaimTime));
        _time.Advance(ClaimTime + TimeSpan.FromSeconds(1));
        Assert.True(await Sources.TryClaimSyncAsync(source.Id, "claim-4", _time.GetUtcNow() + ClaimTime));
        Assert.False(await Sources.StartSyncAsync(source.Id, "claim-3", "ingestion-lost", [Added("a.md", 1)]));
        Assert.True(await Sources.StartSyncAsync(source.Id, "claim-4", "ingestion-4", [Added("a.md", 1)]));

        _time.Advance(ClaimTime * 10);
        Assert.False(await Sources.TryClaimSyncAsync(source.Id, "claim-5", _time.GetUtcNow() + ClaimTime));
        await Sources.FinishSyncAsync(source.Id, new RagSourceSyncResult("ingestion-4", true, [], _time.GetUtcNow()));
        Assert.True(await Sources.TryClaimSyncAsync(source.Id, "claim-6", _time.GetUtcNow() + ClaimTime));
        await Sources.ReleaseSyncClaimAsync(source.Id, "claim-6", _time.GetUtcNow());
        Assert.Equal(_time.GetUtcNow(), (await Sources.GetSourceAsync(collection.Id, source.Id))!.LastSyncedAt);
        Assert.Equal([File("a.md", 1)], await Sources.ListSourceFilesAsync(source.Id));
        Assert.False(await Sources.TryClaimSyncAsync("0190a000-0000-7000-8000-000000000000", "claim-7", _time.GetUtcNow() + ClaimTime));
    }

    [Fact]
    public async Task Claim_TwoClientsRacing_OneWins()
    {
        var collection = await NewCollectionAsync("Race");
        var source = await Sources.CreateSourceAsync(collection.Id, new RagSourceDefinition("docs", string.Empty, [], []));
        await using var second = await Store.OpenSecondClientAsync();
        var clients = new[] { Sources, second.OpenRagSourceStore(_time) };

        var (won, lost) = await RaceAsync(8, i => clients[i % 2].TryClaimSyncAsync(source.Id, $"claim-{i}", _time.GetUtcNow() + ClaimTime));

        Assert.Empty(lost);
        Assert.Equal(1, won.Count(claimed => claimed));
    }

    private async Task<RagSource> RecordSyncAsync(
        string sourceId, string ingestionId, IReadOnlyList<RagSourceChange> changes, bool completed = true, IReadOnlyCollection<string>? failed = null)
    {
        var claim = $"claim-of-{ingestionId}";
        Assert.True(await Sources.TryClaimSyncAsync(sourceId, claim, _time.GetUtcNow() + ClaimTime));
        Assert.True(await Sources.StartSyncAsync(sourceId, claim, ingestionId, changes));
        return (await Sources.FinishSyncAsync(sourceId, new RagSourceSyncResult(ingestionId, completed, failed ?? [], _time.GetUtcNow())))!;
    }

    private static RagSourceChange Added(string path, long size) => new(File(path, size), false);

    private static RagSourceFile File(string path, long size) => new(path, size, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(size), path);

    private async Task<string> WriteDocumentAsync(string collectionId, string name)
    {
        var hash = RagRules.ContentHash(name);
        await Store.RagCollections.WriteDocumentAsync(collectionId, new RagDocumentWrite(
            name, hash, name.Length, [new NewRagChunk(name, new ChunkCitation(0, name.Length), new float[] { 1, 2, 3, 4 })]));
        return hash;
    }

    private Task<RagCollection> NewCollectionAsync(string name) =>
        Store.RagCollections.CreateCollectionAsync(new RagCollectionDefinition(name, "test-embedder", 4));

    private async Task<string> NewCollectionIdAsync(string name) => (await NewCollectionAsync(name)).Id;

    private static void AssertSameSource(RagSource expected, RagSource actual)
    {
        Assert.Equal(expected.Include, actual.Include);
        Assert.Equal(expected.Exclude, actual.Exclude);
        Assert.Equal(expected with { Include = [], Exclude = [] }, actual with { Include = [], Exclude = [] });
    }
}
