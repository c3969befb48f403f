using System.Runtime.CompilerServices;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IConversationArchive"/> must do: an export that imports back equal, an
/// import that is one transaction (a failing input writes nothing) and idempotent (by id and by
/// content hash).
/// </summary>
public abstract class ConversationArchiveConformanceTests : StoreConformanceTests
{
    private static readonly DateTimeOffset Then = new(2024, 3, 1, 12, 30, 15, 123, TimeSpan.FromHours(2));

    [Fact]
    public async Task Export_Everything_ImportsIntoAFreshStoreEqual()
    {
        await SeedAsync(Store.Conversations);
        var exported = await ExportAsync(Store.Archive);

        await using var fresh = await CreateStoreAsync();
        var result = await fresh.Archive.ImportAsync(ToAsync(exported));
        var reexported = await ExportAsync(fresh.Archive);

        Assert.Equal(new ImportResult(exported.Count, exported.Sum(c => c.Messages.Count), 0), result);
        AssertSameArchives(exported, reexported);
        var original = exported.Single(c => c.Conversation.Title == "branched");
        Assert.Equal(
            (await Store.Conversations.GetBranchAsync(original.Conversation.Id)).Select(m => m.Id),
            (await fresh.Conversations.GetBranchAsync(original.Conversation.Id)).Select(m => m.Id));
    }

    [Fact]
    public async Task Export_Everything_IsInIdOrderWithMessagesParentsFirst()
    {
        await SeedAsync(Store.Conversations);

        var exported = await ExportAsync(Store.Archive);

        Assert.Equal(4, exported.Count);
        Assert.Equal(exported.Select(c => c.Conversation.Id).Order(StringComparer.Ordinal), exported.Select(c => c.Conversation.Id));
        foreach (var archived in exported)
        {
            Assert.Equal(archived.Conversation.MessageCount, archived.Messages.Count);
            var seen = new HashSet<string>();
            foreach (var message in archived.Messages)
            {
                Assert.Equal(archived.Conversation.Id, message.ConversationId);
                Assert.True(message.ParentId is null || seen.Contains(message.ParentId));
                seen.Add(message.Id);
            }
        }
    }

    [Fact]
    public async Task Export_ByIds_ReturnsOnlyThoseInIdOrderAndSkipsUnknown()
    {
        var ids = await SeedAsync(Store.Conversations);
        var wanted = new[] { ids[2], ids[0], SortableId.Create(TimeProvider.System), ids[2] };

        var exported = await ExportAsync(Store.Archive, wanted);

        Assert.Equal(new[] { ids[0], ids[2] }.Order(StringComparer.Ordinal), exported.Select(c => c.Conversation.Id));
    }

    [Fact]
    public async Task Export_EmptyStore_YieldsNothing()
    {
        Assert.Empty(await ExportAsync(Store.Archive));
    }

    [Fact]
    public async Task Import_SameArchiveTwice_SecondAddsNothing()
    {
        var archive = BuildArchive(conversations: 3, messagesEach: 4);

        var first = await Store.Archive.ImportAsync(ToAsync(archive));
        var second = await Store.Archive.ImportAsync(ToAsync(archive));

        Assert.Equal(new ImportResult(3, 12, 0), first);
        Assert.Equal(new ImportResult(0, 0, 3 + 12), second);
        var stored = await ExportAsync(Store.Archive);
        Assert.Equal(3, stored.Count);
        Assert.All(stored, c => Assert.Equal(4, c.Conversation.MessageCount));
        AssertSameArchives(archive, stored);
    }

    [Fact]
    public async Task Import_KnownConversationWithNewMessages_AddsOnlyTheNewOnes()
    {
        var archive = BuildArchive(conversations: 1, messagesEach: 3);
        await Store.Archive.ImportAsync(ToAsync(archive));
        var original = archive[0];
        var extra = ArchivedMessage(original.Conversation.Id, original.Messages[^1].Id, "assistant", "a later reply", Then.AddMinutes(10));
        var grown = original with
        {
            Conversation = original.Conversation with { UpdatedAt = Then.AddMinutes(10), ActiveMessageId = extra.Id },
            Messages = [.. original.Messages, extra],
        };

        var result = await Store.Archive.ImportAsync(ToAsync([grown]));

        Assert.Equal(new ImportResult(0, 1, 1 + 3), result);
        var stored = await Store.Conversations.GetConversationAsync(original.Conversation.Id);
        Assert.Equal(4, stored!.MessageCount);
        Assert.Equal(Then.AddMinutes(10), stored.UpdatedAt);
        Assert.Equal(extra.Id, stored.ActiveMessageId);
        Assert.Equal(grown.Messages, await Store.Conversations.GetBranchAsync(original.Conversation.Id, extra.Id));
    }

    [Fact]
    public async Task Import_SameContentHashUnderOtherIds_AddsItOnce()
    {
        var first = BuildArchive(conversations: 1, messagesEach: 2, contentHash: "sha256:abc")[0];
        var again = BuildArchive(conversations: 1, messagesEach: 2, contentHash: "sha256:abc")[0];
        var other = BuildArchive(conversations: 1, messagesEach: 2, contentHash: "sha256:def")[0];

        var result = await Store.Archive.ImportAsync(ToAsync([first, again, other]));
        var later = await Store.Archive.ImportAsync(ToAsync([BuildArchive(conversations: 1, messagesEach: 5, contentHash: "sha256:def")[0]]));

        Assert.Equal(new ImportResult(2, 4, 1 + 2), result);
        Assert.Equal(new ImportResult(0, 0, 1 + 5), later);
        Assert.Null(await Store.Conversations.GetConversationAsync(again.Conversation.Id));
        Assert.Equal(
            new[] { first.Conversation.Id, other.Conversation.Id }.Order(StringComparer.Ordinal),
            (await ExportAsync(Store.Archive)).Select(c => c.Conversation.Id));
    }

    [Fact]
    public async Task Import_InputThrowsMidway_WritesNothingAndRethrows()
    {
        var existing = await Store.Conversations.CreateConversationAsync(new NewConversation("before"));
        var archive = BuildArchive(conversations: 3, messagesEach: 3);

        async IAsyncEnumerable<ArchivedConversation> Truncated([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return archive[0];
            yield return archive[1];
            await Task.Yield();
            throw new InvalidDataException("the file ends in the middle of conversation 3");
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.Archive.ImportAsync(Truncated()));

        Assert.Contains("conversation 3", error.Message, StringComparison.Ordinal);
        Assert.Equal([existing.Id], (await ExportAsync(Store.Archive)).Select(c => c.Conversation.Id));
        Assert.Equal(new ImportResult(3, 9, 0), await Store.Archive.ImportAsync(ToAsync(archive)));
        var appended = await Store.Conversations.AppendMessageAsync(existing.Id, new NewMessage("user", "still writable"));
        Assert.Equal(appended.Id, (await Store.Conversations.GetConversationAsync(existing.Id))!.ActiveMessageId);
    }

    [Fact]
    public async Task Import_ParentAfterItsChild_ThrowsInvalidImportAndWritesNothing()
    {
        var valid = BuildArchive(conversations: 1, messagesEach: 2)[0];
        var broken = BuildArchive(conversations: 1, messagesEach: 3)[0];
        broken = broken with { Messages = [broken.Messages[0], broken.Messages[2], broken.Messages[1]] };

        var error = await Assert.ThrowsAsync<GatewayException>(() => Store.Archive.ImportAsync(ToAsync([valid, broken])));

        Assert.Equal(GatewayErrorCodes.InvalidImport, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Empty(await ExportAsync(Store.Archive));
    }

    [Theory]
    [InlineData("role")]
    [InlineData("id")]
    [InlineData("conversationId")]
    [InlineData("metadata")]
    public async Task Import_InvalidField_ThrowsInvalidImportAndWritesNothing(string field)
    {
        var archive = BuildArchive(conversations: 2, messagesEach: 2);
        var bad = archive[1];
        bad = field switch
        {
            "role" => bad with { Messages = [bad.Messages[0], bad.Messages[1] with { Role = "narrator" }] },
            "id" => bad with { Messages = [bad.Messages[0] with { Id = "not-a-uuid" }] },
            "conversationId" => bad with { Conversation = bad.Conversation with { Id = "'; DROP TABLE conversations; --" } },
            _ => bad with { Conversation = bad.Conversation with { Metadata = JsonElement.Parse("[1]") } },
        };

        var error = await Assert.ThrowsAsync<GatewayException>(() => Store.Archive.ImportAsync(ToAsync([archive[0], bad])));

        Assert.Equal(GatewayErrorCodes.InvalidImport, error.ErrorCode);
        Assert.Contains("conversations[1]", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ExportAsync(Store.Archive));
    }

    [Fact]
    public async Task Import_ManyMessages_AreAllStoredAndListable()
    {
        var archive = BuildArchive(conversations: 20, messagesEach: 150);

        var result = await Store.Archive.ImportAsync(ToAsync(archive));
        await Store.CatchUpSearchIndexAsync();

        Assert.Equal(new ImportResult(20, 3000, 0), result);
        var (ids, _) = await ListAllAsync(Store.Conversations);
        Assert.Equal(archive.Select(c => c.Conversation.Id).Reverse(), ids);
        var last = archive[^1];
        Assert.Equal(last.Messages, await Store.Conversations.GetBranchAsync(last.Conversation.Id));
    }

    [Fact]
    public async Task Import_ThenAppend_ContinuesTheImportedActiveBranch()
    {
        var archived = BuildArchive(conversations: 1, messagesEach: 4)[0];
        await Store.Archive.ImportAsync(ToAsync([archived]));

        var appended = await Store.Conversations.AppendMessageAsync(archived.Conversation.Id, new NewMessage("user", "and now?"));

        Assert.Equal(archived.Messages[^1].Id, appended.ParentId);
        Assert.Equal(5, (await Store.Conversations.GetConversationAsync(archived.Conversation.Id))!.MessageCount);
    }

    /// <summary>Writes four conversations (a branched one, an archived one in a space, an empty one, a plain one); returns their ids in creation order.</summary>
    protected static async Task<List<string>> SeedAsync(IConversationStore store)
    {
        var branched = await store.CreateConversationAsync(new NewConversation("branched", Metadata: JsonElement.Parse("""{"pinned":true,"n":[1,2]}""")));
        var user = await store.AppendMessageAsync(branched.Id, new NewMessage("user", "question"));
        await store.AppendMessageAsync(branched.Id, new NewMessage("assistant", "first", ModelKey: "m1", InputTokens: 5, OutputTokens: 7));
        await store.AppendMessageAsync(branched.Id, new NewMessage("assistant", "second", ParentId: user.Id, Status: MessageStatus.Incomplete));

        var archived = await store.CreateConversationAsync(new NewConversation("archived", "space-1"));
        await store.AppendMessageAsync(archived.Id, new NewMessage("system", "rules"));
        await store.AppendMessageAsync(archived.Id, new NewMessage("user", "hello"));
        await store.UpdateConversationAsync(archived.Id, new ConversationPatch(Archived: true));

        var empty = await store.CreateConversationAsync(new NewConversation());
        var plain = await store.CreateConversationAsync(new NewConversation("plain"));
        await store.AppendMessageAsync(plain.Id, new NewMessage("tool", "{\"ok\":true}", Status: MessageStatus.Error));
        return [branched.Id, archived.Id, empty.Id, plain.Id];
    }

    /// <summary>Archived conversations as another gateway would export them: linear chains, old timestamps, ids in creation order.</summary>
    protected static List<ArchivedConversation> BuildArchive(int conversations, int messagesEach, string? contentHash = null)
    {
        var archive = new List<ArchivedConversation>();
        for (var c = 0; c < conversations; c++)
        {
            var created = Then.AddHours(c);
            var id = SortableId.Create(created);
            var messages = new List<ConversationMessage>();
            for (var m = 0; m < messagesEach; m++)
            {
                messages.Add(ArchivedMessage(id, messages.Count == 0 ? null : messages[^1].Id, m % 2 == 0 ? "user" : "assistant",
                    $"conversation {c} message {m} about topic{m % 7}", created.AddSeconds(m)));
            }

            archive.Add(new ArchivedConversation(
                new Conversation(id, $"imported {c}", c % 2 == 0 ? null : "space-x", JsonElement.Parse($$"""{"index":{{c}}}"""),
                    created, created.AddSeconds(messagesEach), false, messagesEach, messages.Count == 0 ? null : messages[^1].Id),
                messages,
                contentHash));
        }

        return archive;
    }

    /// <summary>A message for an archive.</summary>
    protected static ConversationMessage ArchivedMessage(string conversationId, string? parentId, string role, string content, DateTimeOffset createdAt) =>
        new(SortableId.Create(createdAt), conversationId, parentId, role, content, role == "assistant" ? "imported-model" : null,
            null, role == "assistant" ? 42 : null, MessageStatus.Complete, createdAt);

    /// <summary>Reads an export whole.</summary>
    protected static async Task<List<ArchivedConversation>> ExportAsync(IConversationArchive archive, IReadOnlyCollection<string>? ids = null)
    {
        var exported = new List<ArchivedConversation>();
        await foreach (var conversation in archive.ExportAsync(ids))
        {
            exported.Add(conversation);
        }

        return exported;
    }

    /// <summary>Streams a list as an import would read a file.</summary>
    protected static async IAsyncEnumerable<ArchivedConversation> ToAsync(IEnumerable<ArchivedConversation> conversations)
    {
        foreach (var conversation in conversations)
        {
            await Task.Yield();
            yield return conversation;
        }
    }

    /// <summary>Archives equal conversation by conversation, metadata compared as JSON.</summary>
    protected static void AssertSameArchives(IReadOnlyList<ArchivedConversation> expected, IReadOnlyList<ArchivedConversation> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonElement.DeepEquals(expected[i].Conversation.Metadata, actual[i].Conversation.Metadata));
            Assert.Equal(expected[i].Conversation with { Metadata = default }, actual[i].Conversation with { Metadata = default });
            Assert.Equal(expected[i].Messages, actual[i].Messages);
            Assert.Equal(expected[i].ContentHash, actual[i].ContentHash);
        }
    }

    private static async Task<(List<string> Ids, int Pages)> ListAllAsync(IConversationStore store)
    {
        var ids = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await store.ListConversationsAsync(new ConversationQuery(Limit: 7, Cursor: cursor));
            ids.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        return (ids, pages);
    }
}
