using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IConversationStore"/> must do: conversations with keyset pages, messages as a
/// tree whose active branch is the default view, subtree deletes, and stable error codes.
/// </summary>
public abstract class ConversationStoreConformanceTests : StoreConformanceTests
{
    private IConversationStore Conversations => Store.Conversations;

    [Fact]
    public async Task CreateConversation_WithFields_IsReadBackEqual()
    {
        var metadata = JsonElement.Parse("""{"source":"test","tags":["a","b"],"n":1}""");

        var created = await Conversations.CreateConversationAsync(new NewConversation("Trip plans", "space-1", metadata));
        var read = await Conversations.GetConversationAsync(created.Id);

        Assert.True(SortableId.IsWellFormed(created.Id));
        Assert.Equal("Trip plans", created.Title);
        Assert.Equal("space-1", created.SpaceId);
        Assert.True(JsonElement.DeepEquals(metadata, created.Metadata));
        Assert.False(created.Archived);
        Assert.Equal(0, created.MessageCount);
        Assert.Null(created.ActiveMessageId);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.NotNull(read);
        AssertSameConversation(created, read);
    }

    [Fact]
    public async Task CreateConversation_NoMetadata_StoresEmptyObject()
    {
        var created = await Conversations.CreateConversationAsync(new NewConversation());

        Assert.Equal(JsonValueKind.Object, created.Metadata.ValueKind);
        Assert.Empty(created.Metadata.EnumerateObject());
        Assert.Null(created.Title);
        Assert.Null(created.SpaceId);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task CreateConversation_MetadataNotObject_ThrowsInvalidRequest(string metadata)
    {
        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Conversations.CreateConversationAsync(new NewConversation(Metadata: JsonElement.Parse(metadata))));
    }

    [Fact]
    public async Task GetConversation_Unknown_ReturnsNull()
    {
        Assert.Null(await Conversations.GetConversationAsync(SortableId.Create(TimeProvider.System)));
        Assert.Null(await Conversations.GetConversationAsync("not-an-id"));
    }

    [Fact]
    public async Task ListConversations_ManyPages_NewestFirstWithoutDuplicatesOrGaps()
    {
        var created = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            created.Add((await Conversations.CreateConversationAsync(new NewConversation($"c{i}"))).Id);
        }

        var (listed, pages) = await ListAllConversationsAsync(new ConversationQuery(Limit: 5));

        created.Reverse();
        Assert.Equal(created, listed);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task ListConversations_ExactMultipleOfLimit_LastPageHasNoCursor()
    {
        for (var i = 0; i < 6; i++)
        {
            await Conversations.CreateConversationAsync(new NewConversation());
        }

        var first = await Conversations.ListConversationsAsync(new ConversationQuery(Limit: 3));
        var second = await Conversations.ListConversationsAsync(new ConversationQuery(Limit: 3, Cursor: first.NextCursor));

        Assert.Equal(3, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(3, second.Items.Count);
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task ListConversations_Empty_ReturnsNoItemsAndNoCursor()
    {
        var page = await Conversations.ListConversationsAsync(new ConversationQuery());

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListConversations_SpaceAndArchivedFilters_ReturnOnlyMatches()
    {
        var plainA = await Conversations.CreateConversationAsync(new NewConversation("a", "space-a"));
        var archivedA = await Conversations.CreateConversationAsync(new NewConversation("a archived", "space-a"));
        var plainB = await Conversations.CreateConversationAsync(new NewConversation("b", "space-b"));
        var noSpace = await Conversations.CreateConversationAsync(new NewConversation("none"));
        await Conversations.UpdateConversationAsync(archivedA.Id, new ConversationPatch(Archived: true));

        async Task<string[]> IdsAsync(ConversationQuery query)
        {
            var (ids, _) = await ListAllConversationsAsync(query with { Limit = 2 });
            return [.. ids];
        }

        Assert.Equal([noSpace.Id, plainB.Id, plainA.Id], await IdsAsync(new ConversationQuery()));
        Assert.Equal([archivedA.Id], await IdsAsync(new ConversationQuery(Archived: true)));
        Assert.Equal([noSpace.Id, plainB.Id, archivedA.Id, plainA.Id], await IdsAsync(new ConversationQuery(Archived: null)));
        Assert.Equal([plainA.Id], await IdsAsync(new ConversationQuery(SpaceId: "space-a")));
        Assert.Equal([archivedA.Id, plainA.Id], await IdsAsync(new ConversationQuery(SpaceId: "space-a", Archived: null)));
        Assert.Empty(await IdsAsync(new ConversationQuery(SpaceId: "space-c")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(StorePaging.MaxLimit + 1)]
    public async Task ListConversations_LimitOutOfRange_ThrowsInvalidRequest(int limit)
    {
        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Conversations.ListConversationsAsync(new ConversationQuery(Limit: limit)));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("limit", error.Extensions["field"]);
    }

    [Fact]
    public async Task ListConversations_LimitAtBounds_IsAccepted()
    {
        await Conversations.CreateConversationAsync(new NewConversation());

        Assert.Single((await Conversations.ListConversationsAsync(new ConversationQuery(Limit: 1))).Items);
        Assert.Single((await Conversations.ListConversationsAsync(new ConversationQuery(Limit: StorePaging.MaxLimit))).Items);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("!!!")]
    [InlineData("eyJpZCI6MX0")]
    [InlineData("' OR 1=1 --")]
    public async Task ListConversations_ForeignCursor_ThrowsInvalidCursor(string cursor)
    {
        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidCursor,
            () => Conversations.ListConversationsAsync(new ConversationQuery(Cursor: cursor)));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
    }

    [Fact]
    public async Task ListMessages_ConversationCursor_ThrowsInvalidCursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await Conversations.CreateConversationAsync(new NewConversation());
        }

        var conversationCursor = (await Conversations.ListConversationsAsync(new ConversationQuery(Limit: 1))).NextCursor;
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "hi"));

        Assert.NotNull(conversationCursor);
        await AssertErrorAsync(GatewayErrorCodes.InvalidCursor,
            () => Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(Cursor: conversationCursor)));
    }

    [Fact]
    public async Task UpdateConversation_Patch_ChangesOnlyGivenFields()
    {
        var created = await Conversations.CreateConversationAsync(
            new NewConversation("old", "space-1", JsonElement.Parse("""{"keep":true}""")));

        var renamed = await Conversations.UpdateConversationAsync(created.Id, new ConversationPatch(Title: "new"));
        var archived = await Conversations.UpdateConversationAsync(created.Id, new ConversationPatch(Archived: true, Metadata: JsonElement.Parse("""{"v":2}""")));
        var cleared = await Conversations.UpdateConversationAsync(created.Id, new ConversationPatch(Title: "", SpaceId: ""));

        Assert.NotNull(renamed);
        Assert.Equal("new", renamed.Title);
        Assert.Equal("space-1", renamed.SpaceId);
        Assert.True(JsonElement.DeepEquals(created.Metadata, renamed.Metadata));
        Assert.False(renamed.Archived);
        Assert.True(renamed.UpdatedAt >= created.UpdatedAt);
        Assert.Equal(created.CreatedAt, renamed.CreatedAt);
        Assert.NotNull(archived);
        Assert.True(archived.Archived);
        Assert.Equal(2, archived.Metadata.GetProperty("v").GetInt32());
        Assert.Equal("new", archived.Title);
        Assert.NotNull(cleared);
        Assert.Null(cleared.Title);
        Assert.Null(cleared.SpaceId);
        Assert.True(cleared.Archived);
        AssertSameConversation(cleared, (await Conversations.GetConversationAsync(created.Id))!);
    }

    [Fact]
    public async Task UpdateConversation_Unknown_ReturnsNull()
    {
        Assert.Null(await Conversations.UpdateConversationAsync(SortableId.Create(TimeProvider.System), new ConversationPatch(Title: "x")));
    }

    [Fact]
    public async Task UpdateConversation_MetadataNotObject_ThrowsInvalidRequest()
    {
        var created = await Conversations.CreateConversationAsync(new NewConversation());

        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Conversations.UpdateConversationAsync(created.Id, new ConversationPatch(Metadata: JsonElement.Parse("[]"))));
    }

    [Fact]
    public async Task UpdateConversation_ActiveMessageOfAnotherConversation_ThrowsMessageNotFound()
    {
        var first = await Conversations.CreateConversationAsync(new NewConversation());
        var second = await Conversations.CreateConversationAsync(new NewConversation());
        var foreign = await Conversations.AppendMessageAsync(second.Id, new NewMessage("user", "elsewhere"));

        var error = await AssertErrorAsync(GatewayErrorCodes.MessageNotFound,
            () => Conversations.UpdateConversationAsync(first.Id, new ConversationPatch(ActiveMessageId: foreign.Id)));

        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
        Assert.Null((await Conversations.GetConversationAsync(first.Id))!.ActiveMessageId);
    }

    [Fact]
    public async Task UpdateConversation_ActiveMessage_SwitchesDefaultViewAndNextAppend()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var user = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "question"));
        var first = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "first answer"));
        var second = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "second answer", ParentId: user.Id));

        var patched = await Conversations.UpdateConversationAsync(conversation.Id, new ConversationPatch(ActiveMessageId: first.Id));
        var view = await Conversations.ListMessagesAsync(conversation.Id, new MessageQuery());
        var followUp = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "thanks"));

        Assert.Equal(first.Id, patched!.ActiveMessageId);
        Assert.Equal([user.Id, first.Id], view.Items.Select(m => m.Id));
        Assert.Equal(first.Id, followUp.ParentId);
        Assert.Equal([user.Id, first.Id, followUp.Id], (await Conversations.GetBranchAsync(conversation.Id)).Select(m => m.Id));
        Assert.Equal([user.Id, second.Id], (await Conversations.GetBranchAsync(conversation.Id, second.Id)).Select(m => m.Id));
    }

    [Fact]
    public async Task DeleteConversation_WithMessages_RemovesItsMessagesAndSearchEntries()
    {
        var doomed = await Conversations.CreateConversationAsync(new NewConversation("doomed"));
        var kept = await Conversations.CreateConversationAsync(new NewConversation("kept"));
        await Conversations.AppendMessageAsync(doomed.Id, new NewMessage("user", "first zyxwvutsrq"));
        await Conversations.AppendMessageAsync(doomed.Id, new NewMessage("assistant", "second zyxwvutsrq"));
        var keptMessage = await Conversations.AppendMessageAsync(kept.Id, new NewMessage("user", "stays"));
        Assert.Equal(2, (await Store.Search.SearchAsync(new MessageSearchQuery("zyxwvutsrq"))).Hits.Count);

        Assert.True(await Conversations.DeleteConversationAsync(doomed.Id));

        Assert.Null(await Conversations.GetConversationAsync(doomed.Id));
        Assert.False(await Conversations.DeleteConversationAsync(doomed.Id));
        await AssertErrorAsync(GatewayErrorCodes.ConversationNotFound,
            () => Conversations.ListMessagesAsync(doomed.Id, new MessageQuery(Branch: MessageQuery.AllBranches)));
        Assert.Equal([keptMessage], (await Conversations.ListMessagesAsync(kept.Id, new MessageQuery(Branch: MessageQuery.AllBranches))).Items);
        Assert.Equal([kept.Id], (await ListAllConversationsAsync(new ConversationQuery(Archived: null))).Ids);
        Assert.Empty((await Store.Search.SearchAsync(new MessageSearchQuery("zyxwvutsrq"))).Hits);
        Assert.Single((await Store.Search.SearchAsync(new MessageSearchQuery("stays"))).Hits);
    }

    [Fact]
    public async Task AppendMessage_WithoutParent_FollowsActiveLeafAndCounts()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());

        var system = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("system", "be brief"));
        var user = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "hello"));
        var reply = await Conversations.AppendMessageAsync(conversation.Id,
            new NewMessage("assistant", "hi", ModelKey: "local", InputTokens: 12, OutputTokens: 3, Status: MessageStatus.Incomplete));
        var stored = await Conversations.GetConversationAsync(conversation.Id);

        Assert.Null(system.ParentId);
        Assert.Equal(system.Id, user.ParentId);
        Assert.Equal(user.Id, reply.ParentId);
        Assert.Equal(conversation.Id, reply.ConversationId);
        Assert.Equal(("local", 12L, 3L, MessageStatus.Incomplete), (reply.ModelKey, reply.InputTokens!.Value, reply.OutputTokens!.Value, reply.Status));
        Assert.Equal(3, stored!.MessageCount);
        Assert.Equal(reply.Id, stored.ActiveMessageId);
        Assert.True(stored.UpdatedAt >= reply.CreatedAt);
        Assert.Equal([system, user, reply], (await Conversations.ListMessagesAsync(conversation.Id, new MessageQuery())).Items);
    }

    [Fact]
    public async Task AppendMessage_Regenerate_SiblingBecomesTheDefaultViewAndOldBranchStays()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var user = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "write a haiku"));
        var first = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "first try"));

        var regenerated = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "second try", ParentId: user.Id));

        Assert.Equal(user.Id, regenerated.ParentId);
        Assert.Equal([user.Id, regenerated.Id], (await ListAllMessagesAsync(conversation.Id, null)).Select(m => m.Id));
        Assert.Equal([user.Id, first.Id], (await ListAllMessagesAsync(conversation.Id, first.Id)).Select(m => m.Id));
        Assert.Equal([user.Id, first.Id, regenerated.Id], (await ListAllMessagesAsync(conversation.Id, MessageQuery.AllBranches)).Select(m => m.Id));
        Assert.Equal(3, (await Conversations.GetConversationAsync(conversation.Id))!.MessageCount);
        Assert.Equal(regenerated.Id, (await Conversations.GetConversationAsync(conversation.Id))!.ActiveMessageId);
    }

    [Fact]
    public async Task ListMessages_BranchThroughMessage_IsAncestorsThenNewestChildren()
    {
        // system → user1 → answer1 → user2 → answer3
        //                ↘ answer2 (regenerated later than answer1, so user1's newest child)
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var system = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("system", "rules"));
        var user1 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "one"));
        var answer1 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "answer one"));
        var answer2 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "answer two", ParentId: user1.Id));
        var user2 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "two", ParentId: answer1.Id));
        var answer3 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "answer three"));

        Assert.Equal([system.Id, user1.Id, answer2.Id], (await ListAllMessagesAsync(conversation.Id, user1.Id)).Select(m => m.Id));
        Assert.Equal([system.Id, user1.Id, answer1.Id, user2.Id, answer3.Id], (await ListAllMessagesAsync(conversation.Id, answer1.Id)).Select(m => m.Id));
        Assert.Equal([system.Id, user1.Id, answer2.Id], (await ListAllMessagesAsync(conversation.Id, system.Id)).Select(m => m.Id));
        Assert.Equal([system.Id, user1.Id, answer1.Id, user2.Id, answer3.Id], (await ListAllMessagesAsync(conversation.Id, null)).Select(m => m.Id));
        Assert.Equal([system.Id, user1.Id, answer2.Id], (await Conversations.GetBranchAsync(conversation.Id, answer2.Id)).Select(m => m.Id));
        Assert.Equal(6, (await ListAllMessagesAsync(conversation.Id, MessageQuery.AllBranches)).Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MessageQuery.AllBranches)]
    public async Task ListMessages_ManyPages_OldestFirstWithoutDuplicatesOrGaps(string? branch)
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var appended = new List<ConversationMessage>();
        for (var i = 0; i < 11; i++)
        {
            appended.Add(await Conversations.AppendMessageAsync(conversation.Id, new NewMessage(i % 2 == 0 ? "user" : "assistant", $"message {i}")));
        }

        var pages = 0;
        var listed = new List<ConversationMessage>();
        string? cursor = null;
        do
        {
            var page = await Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(Limit: 4, Cursor: cursor, Branch: branch));
            listed.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(appended, listed);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ListMessages_NoMessages_ReturnsEmptyPage()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());

        var page = await Conversations.ListMessagesAsync(conversation.Id, new MessageQuery());

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
        Assert.Empty(await Conversations.GetBranchAsync(conversation.Id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(StorePaging.MaxLimit + 1)]
    public async Task ListMessages_LimitOutOfRange_ThrowsInvalidRequest(int limit)
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());

        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(Limit: limit)));
    }

    [Fact]
    public async Task ListMessages_UnknownConversation_ThrowsConversationNotFound()
    {
        var error = await AssertErrorAsync(GatewayErrorCodes.ConversationNotFound,
            () => Conversations.ListMessagesAsync(SortableId.Create(TimeProvider.System), new MessageQuery()));

        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
        await AssertErrorAsync(GatewayErrorCodes.ConversationNotFound, () => Conversations.GetBranchAsync(SortableId.Create(TimeProvider.System)));
    }

    [Fact]
    public async Task ListMessages_UnknownBranch_ThrowsMessageNotFound()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var other = await Conversations.CreateConversationAsync(new NewConversation());
        var foreign = await Conversations.AppendMessageAsync(other.Id, new NewMessage("user", "elsewhere"));

        await AssertErrorAsync(GatewayErrorCodes.MessageNotFound,
            () => Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(Branch: foreign.Id)));
        await AssertErrorAsync(GatewayErrorCodes.MessageNotFound,
            () => Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(Branch: "nonsense")));
        await AssertErrorAsync(GatewayErrorCodes.MessageNotFound, () => Conversations.GetBranchAsync(conversation.Id, foreign.Id));
    }

    [Fact]
    public async Task AppendMessage_UnknownConversation_ThrowsConversationNotFound()
    {
        var error = await AssertErrorAsync(GatewayErrorCodes.ConversationNotFound,
            () => Conversations.AppendMessageAsync(SortableId.Create(TimeProvider.System), new NewMessage("user", "hi")));

        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task AppendMessage_ParentOfAnotherConversation_ThrowsMessageNotFoundAndWritesNothing()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var other = await Conversations.CreateConversationAsync(new NewConversation());
        var foreign = await Conversations.AppendMessageAsync(other.Id, new NewMessage("user", "elsewhere"));

        var error = await AssertErrorAsync(GatewayErrorCodes.MessageNotFound,
            () => Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "reply", ParentId: foreign.Id)));

        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
        Assert.Equal(0, (await Conversations.GetConversationAsync(conversation.Id))!.MessageCount);
        Assert.Empty((await Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(Branch: MessageQuery.AllBranches))).Items);
    }

    [Theory]
    [InlineData("robot")]
    [InlineData("User")]
    [InlineData("")]
    public async Task AppendMessage_UnknownRole_ThrowsInvalidRequest(string role)
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());

        await AssertErrorAsync(GatewayErrorCodes.InvalidRequest,
            () => Conversations.AppendMessageAsync(conversation.Id, new NewMessage(role, "text")));
    }

    [Fact]
    public async Task AppendMessage_EveryRoleAndStatus_IsReadBackEqual()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var appended = new List<ConversationMessage>
        {
            await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("system", "rules")),
            await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "unicode ✓ ünïcødé 日本語 \"quotes\" 'and' ; DROP TABLE messages;")),
            await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "", ModelKey: "m", Status: MessageStatus.Error)),
            await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("tool", "{\"result\":1}", InputTokens: 0, OutputTokens: long.MaxValue)),
        };

        Assert.Equal(appended, (await Conversations.ListMessagesAsync(conversation.Id, new MessageQuery())).Items);
        Assert.Equal(appended, await Conversations.GetBranchAsync(conversation.Id));
    }

    [Fact]
    public async Task DeleteMessage_WithReplies_RemovesTheSubtreeAndRepairsTheActiveLeaf()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var user1 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "one"));
        var answer1 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "answer one"));
        var answer2 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "answer two", ParentId: user1.Id));
        var user2 = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "two"));
        await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "answer three qjxkvzpw"));

        Assert.True(await Conversations.DeleteMessageAsync(conversation.Id, answer2.Id));

        var stored = await Conversations.GetConversationAsync(conversation.Id);
        Assert.Equal(2, stored!.MessageCount);
        Assert.Equal(user1.Id, stored.ActiveMessageId);
        Assert.Equal([user1.Id, answer1.Id], (await ListAllMessagesAsync(conversation.Id, MessageQuery.AllBranches)).Select(m => m.Id));
        Assert.Equal([user1.Id], (await Conversations.GetBranchAsync(conversation.Id)).Select(m => m.Id));
        Assert.False(await Conversations.DeleteMessageAsync(conversation.Id, user2.Id));
        Assert.Empty((await Store.Search.SearchAsync(new MessageSearchQuery("qjxkvzpw"))).Hits);
        Assert.Equal(2, (await Store.Search.SearchAsync(new MessageSearchQuery("one", ConversationId: conversation.Id))).Hits.Count);
    }

    [Fact]
    public async Task DeleteMessage_OffTheActiveBranch_KeepsTheActiveLeaf()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var user = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "q"));
        var old = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "old"));
        var current = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "new", ParentId: user.Id));

        Assert.True(await Conversations.DeleteMessageAsync(conversation.Id, old.Id));

        var stored = await Conversations.GetConversationAsync(conversation.Id);
        Assert.Equal(current.Id, stored!.ActiveMessageId);
        Assert.Equal(2, stored.MessageCount);
        Assert.Equal([user.Id, current.Id], (await Conversations.GetBranchAsync(conversation.Id)).Select(m => m.Id));
    }

    [Fact]
    public async Task DeleteMessage_TheRoot_EmptiesTheConversation()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var root = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "q"));
        await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "a"));

        Assert.True(await Conversations.DeleteMessageAsync(conversation.Id, root.Id));

        var stored = await Conversations.GetConversationAsync(conversation.Id);
        Assert.Equal(0, stored!.MessageCount);
        Assert.Null(stored.ActiveMessageId);
        Assert.Empty((await Conversations.ListMessagesAsync(conversation.Id, new MessageQuery(Branch: MessageQuery.AllBranches))).Items);
        var fresh = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "again"));
        Assert.Null(fresh.ParentId);
    }

    [Fact]
    public async Task DeleteMessage_OfAnotherConversationOrUnknown_ReturnsFalseAndKeepsIt()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var other = await Conversations.CreateConversationAsync(new NewConversation());
        var foreign = await Conversations.AppendMessageAsync(other.Id, new NewMessage("user", "elsewhere"));

        Assert.False(await Conversations.DeleteMessageAsync(conversation.Id, foreign.Id));
        Assert.False(await Conversations.DeleteMessageAsync(conversation.Id, SortableId.Create(TimeProvider.System)));
        Assert.Equal(1, (await Conversations.GetConversationAsync(other.Id))!.MessageCount);
    }

    [Fact]
    public async Task AppendMessage_TwoClientsConcurrently_AllLandInOneChainWithTheRightCount()
    {
        const int PerClient = 25;
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        await using var second = await Store.OpenSecondClientAsync();

        async Task<List<string>> AppendAsync(IConversationStore store, string name)
        {
            var ids = new List<string>();
            for (var i = 0; i < PerClient; i++)
            {
                ids.Add((await store.AppendMessageAsync(conversation.Id, new NewMessage("user", $"{name} {i}"))).Id);
            }

            return ids;
        }

        var results = await Task.WhenAll(
            Task.Run(() => AppendAsync(Conversations, "first")),
            Task.Run(() => AppendAsync(second.Conversations, "second")));

        var stored = await second.Conversations.GetConversationAsync(conversation.Id);
        var branch = await Conversations.GetBranchAsync(conversation.Id);
        Assert.Equal(2 * PerClient, stored!.MessageCount);
        Assert.Equal(results.SelectMany(ids => ids).Order(StringComparer.Ordinal), branch.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal(branch[^1].Id, stored.ActiveMessageId);
        Assert.Null(branch[0].ParentId);
        for (var i = 1; i < branch.Count; i++)
        {
            Assert.Equal(branch[i - 1].Id, branch[i].ParentId);
        }
    }

    /// <summary>Reads every page of a conversation listing; returns the ids in order and the number of pages.</summary>
    protected async Task<(List<string> Ids, int Pages)> ListAllConversationsAsync(ConversationQuery query)
    {
        var ids = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await Conversations.ListConversationsAsync(query with { Cursor = cursor });
            ids.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        return (ids, pages);
    }

    /// <summary>Reads every page of one branch of a conversation, two messages a page.</summary>
    protected async Task<List<ConversationMessage>> ListAllMessagesAsync(string conversationId, string? branch)
    {
        var messages = new List<ConversationMessage>();
        string? cursor = null;
        do
        {
            var page = await Conversations.ListMessagesAsync(conversationId, new MessageQuery(Limit: 2, Cursor: cursor, Branch: branch));
            messages.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return messages;
    }

    /// <summary>Record equality, except metadata, which is compared as JSON.</summary>
    protected static void AssertSameConversation(Conversation expected, Conversation actual)
    {
        Assert.True(JsonElement.DeepEquals(expected.Metadata, actual.Metadata), $"metadata {expected.Metadata} != {actual.Metadata}");
        Assert.Equal(expected with { Metadata = default }, actual with { Metadata = default });
    }
}
