using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="ISpaceStore"/> must do: every field round-trips, names are unique ignoring
/// case, keyset pages by id, a default profile is always a linked one, and deleting a space refuses,
/// deletes or detaches its conversations, all or nothing.
/// </summary>
public abstract class SpaceStoreConformanceTests : StoreConformanceTests
{
    private ISpaceStore Spaces => Store.Spaces;

    private IModelProfileStore Profiles => Store.Profiles;

    private IConversationStore Conversations => Store.Conversations;

    [Fact]
    public async Task CreateSpace_EveryFieldSet_IsReadBackEqualWithTheDefaultLinked()
    {
        var profile = await NewProfileAsync("Writer");
        var metadata = JsonElement.Parse("""{"color":"teal","order":[3,1,2]}""");

        var created = await Spaces.CreateSpaceAsync(new SpaceDefinition("Research 🔬", "Papers and notes", profile.Id, metadata));
        var read = await Spaces.GetSpaceAsync(created.Id);

        Assert.True(SortableId.IsWellFormed(created.Id));
        Assert.Equal("Research 🔬", created.Name);
        Assert.Equal("Papers and notes", created.Description);
        Assert.Equal(profile.Id, created.DefaultProfileId);
        Assert.True(JsonElement.DeepEquals(metadata, created.Metadata));
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        AssertSameSpace(created, read!);
        Assert.Equal([profile.Id], (await Spaces.ListLinkedProfilesAsync(created.Id)).Select(p => p.Id));
    }

    [Fact]
    public async Task CreateSpace_OnlyName_LeavesTheRestUnsetAndMetadataEmpty()
    {
        var created = await Spaces.CreateSpaceAsync(new SpaceDefinition("Plain"));

        Assert.Null(created.Description);
        Assert.Null(created.DefaultProfileId);
        Assert.Empty(created.Metadata.EnumerateObject());
        AssertSameSpace(created, (await Spaces.GetSpaceAsync(created.Id))!);
        Assert.Empty(await Spaces.ListLinkedProfilesAsync(created.Id));
    }

    [Fact]
    public async Task UpdateSpace_ReplacesEveryFieldAndKeepsLinks_NewDefaultIsLinkedToo()
    {
        var writer = await NewProfileAsync("Writer");
        var coder = await NewProfileAsync("Coder");
        var created = await Spaces.CreateSpaceAsync(new SpaceDefinition("Docs", "old", writer.Id, JsonElement.Parse("""{"a":1}""")));

        var updated = await Spaces.UpdateSpaceAsync(created.Id, new SpaceDefinition("Docs v2", DefaultProfileId: coder.Id));
        var cleared = await Spaces.UpdateSpaceAsync(created.Id, new SpaceDefinition("Docs v3"));

        Assert.Equal(created.Id, updated!.Id);
        Assert.Equal("Docs v2", updated.Name);
        Assert.Null(updated.Description);
        Assert.Equal(coder.Id, updated.DefaultProfileId);
        Assert.Empty(updated.Metadata.EnumerateObject());
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        Assert.Null(cleared!.DefaultProfileId);
        AssertSameSpace(cleared, (await Spaces.GetSpaceAsync(created.Id))!);
        Assert.Equal(new[] { writer.Id, coder.Id }.Order(StringComparer.Ordinal), (await Spaces.ListLinkedProfilesAsync(created.Id)).Select(p => p.Id));
    }

    [Fact]
    public async Task UpdateSpace_UnknownOrMalformed_ReturnsNull()
    {
        Assert.Null(await Spaces.UpdateSpaceAsync(SortableId.Create(TimeProvider.System), new SpaceDefinition("x")));
        Assert.Null(await Spaces.UpdateSpaceAsync("not-an-id", new SpaceDefinition("x")));
    }

    [Fact]
    public async Task GetSpace_UnknownOrMalformed_ReturnsNull()
    {
        await Spaces.CreateSpaceAsync(new SpaceDefinition("s"));

        Assert.Null(await Spaces.GetSpaceAsync(SortableId.Create(TimeProvider.System)));
        Assert.Null(await Spaces.GetSpaceAsync("not-an-id"));
        Assert.Null(await Spaces.GetSpaceAsync(string.Empty));
    }

    [Fact]
    public async Task CreateAndUpdateSpace_UnknownOrMalformedDefaultProfile_ThrowProfileNotFoundNamingTheFieldAndWriteNothing()
    {
        var existing = await Spaces.CreateSpaceAsync(new SpaceDefinition("Existing"));

        foreach (var profileId in new[] { SortableId.Create(TimeProvider.System), "not-an-id" })
        {
            var onCreate = await AssertErrorAsync(GatewayErrorCodes.ProfileNotFound,
                () => Spaces.CreateSpaceAsync(new SpaceDefinition("New", DefaultProfileId: profileId)));
            var onUpdate = await AssertErrorAsync(GatewayErrorCodes.ProfileNotFound,
                () => Spaces.UpdateSpaceAsync(existing.Id, new SpaceDefinition("Renamed", DefaultProfileId: profileId)));

            Assert.Equal("defaultProfileId", onCreate.Extensions["field"]);
            Assert.Equal("defaultProfileId", onUpdate.Extensions["field"]);
        }

        Assert.Equal([existing.Id], (await Spaces.ListSpacesAsync(new SpaceQuery())).Items.Select(s => s.Id));
        AssertSameSpace(existing, (await Spaces.GetSpaceAsync(existing.Id))!);
    }

    /// <summary>Definitions that break one rule each, and the field the error must name.</summary>
    public static TheoryData<string, string> InvalidDefinitions() => new()
    {
        { "empty name", "name" },
        { "blank name", "name" },
        { "long name", "name" },
        { "long description", "description" },
        { "NUL in description", "description" },
        { "metadata array", "metadata" },
        { "metadata number", "metadata" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public async Task CreateAndUpdateSpace_InvalidField_ThrowInvalidRequestNamingIt(string what, string field)
    {
        var existing = await Spaces.CreateSpaceAsync(new SpaceDefinition("Existing"));
        var definition = what switch
        {
            "empty name" => new SpaceDefinition(string.Empty),
            "blank name" => new SpaceDefinition(" \t "),
            "long name" => new SpaceDefinition(new string('n', ModelProfileRules.MaxNameLength + 1)),
            "long description" => new SpaceDefinition("s", new string('d', SpaceRules.MaxDescriptionLength + 1)),
            "NUL in description" => new SpaceDefinition("s", "a\0b"),
            "metadata array" => new SpaceDefinition("s", Metadata: JsonElement.Parse("[]")),
            "metadata number" => new SpaceDefinition("s", Metadata: JsonElement.Parse("7")),
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };

        var onCreate = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Spaces.CreateSpaceAsync(definition));
        var onUpdate = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Spaces.UpdateSpaceAsync(existing.Id, definition));

        Assert.Equal(field, onCreate.Extensions["field"]);
        Assert.Equal(field, onUpdate.Extensions["field"]);
        AssertSameSpace(existing, (await Spaces.GetSpaceAsync(existing.Id))!);
    }

    [Fact]
    public async Task CreateAndUpdateSpace_NameTakenIgnoringCase_ThrowSpaceNameTaken()
    {
        var research = await Spaces.CreateSpaceAsync(new SpaceDefinition("Research"));
        var other = await Spaces.CreateSpaceAsync(new SpaceDefinition("Other"));

        var onCreate = await AssertErrorAsync(GatewayErrorCodes.SpaceNameTaken, () => Spaces.CreateSpaceAsync(new SpaceDefinition("RESEARCH")));
        await AssertErrorAsync(GatewayErrorCodes.SpaceNameTaken, () => Spaces.UpdateSpaceAsync(other.Id, new SpaceDefinition("research")));
        var kept = await Spaces.UpdateSpaceAsync(research.Id, new SpaceDefinition("RESEARCH", "own name, new case"));

        Assert.Equal(GatewayErrorKind.Conflict, onCreate.Kind);
        Assert.Equal("name", onCreate.Extensions["field"]);
        Assert.Equal("RESEARCH", kept!.Name);
        Assert.Equal("Other", (await Spaces.GetSpaceAsync(other.Id))!.Name);
        Assert.Equal(2, (await Spaces.ListSpacesAsync(new SpaceQuery())).Items.Count);
    }

    [Fact]
    public async Task CreateSpace_ConcurrentSameNameFromTwoClients_ExactlyOneWins()
    {
        await using var second = await Store.OpenSecondClientAsync();
        var stores = new[] { Spaces, second.Spaces };

        var (won, lost) = await RaceAsync(8, i => stores[i % 2].CreateSpaceAsync(new SpaceDefinition(i % 2 == 0 ? "Racer" : "racer")));

        var winner = Assert.Single(won);
        Assert.All(lost, error => Assert.Equal(GatewayErrorCodes.SpaceNameTaken, error.ErrorCode));
        Assert.Equal(7, lost.Count);
        Assert.Equal([winner.Id], (await Spaces.ListSpacesAsync(new SpaceQuery())).Items.Select(s => s.Id));
    }

    [Fact]
    public async Task SecondClient_SeesWritesAndLinksOfTheFirst()
    {
        await using var second = await Store.OpenSecondClientAsync();
        var profile = await NewProfileAsync("Writer");

        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("Shared", DefaultProfileId: profile.Id));

        AssertSameSpace(space, (await second.Spaces.GetSpaceAsync(space.Id))!);
        Assert.Equal([profile.Id], (await second.Spaces.ListLinkedProfilesAsync(space.Id)).Select(p => p.Id));
        Assert.True(await second.Spaces.UnlinkProfileAsync(space.Id, profile.Id));
        Assert.Null((await Spaces.GetSpaceAsync(space.Id))!.DefaultProfileId);
    }

    [Fact]
    public async Task ListSpaces_SevenWithLimitThree_OldestFirstWithoutDuplicatesOrGaps()
    {
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await Spaces.CreateSpaceAsync(new SpaceDefinition($"s{i}"))).Id);
        }

        var (listed, pages) = await ListAllAsync(cursor => Spaces.ListSpacesAsync(new SpaceQuery(3, cursor)));

        Assert.Equal(created, listed.Select(s => s.Id));
        Assert.Equal([3, 3, 1], pages);
    }

    [Fact]
    public async Task ListSpaces_CursorOfAnotherListingOrLimitOutOfRange_Throws()
    {
        var profiles = await ListingCursors.OfProfilesAsync(Store);
        var conversations = await ListingCursors.OfConversationsAsync(Store);
        var messages = await ListingCursors.OfMessagesAsync(Store);

        foreach (var cursor in new[] { profiles, conversations, messages, "???" })
        {
            await AssertErrorAsync(GatewayErrorCodes.InvalidCursor, () => Spaces.ListSpacesAsync(new SpaceQuery(3, cursor)));
        }

        var limit = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Spaces.ListSpacesAsync(new SpaceQuery(0)));
        Assert.Equal("limit", limit.Extensions["field"]);
    }

    [Fact]
    public async Task LinkAndUnlink_ListLinkedOldestFirst_ReportWhetherAnythingChanged()
    {
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s"));
        var first = await NewProfileAsync("first");
        var second = await NewProfileAsync("second");
        var third = await NewProfileAsync("third");

        Assert.True(await Spaces.LinkProfileAsync(space.Id, third.Id));
        Assert.True(await Spaces.LinkProfileAsync(space.Id, first.Id));
        Assert.True(await Spaces.LinkProfileAsync(space.Id, second.Id));
        Assert.False(await Spaces.LinkProfileAsync(space.Id, first.Id));
        var linked = await Spaces.ListLinkedProfilesAsync(space.Id);

        Assert.Equal([first.Id, second.Id, third.Id], linked.Select(p => p.Id));
        AssertSameProfile(first, linked[0]);
        Assert.True(await Spaces.UnlinkProfileAsync(space.Id, second.Id));
        Assert.False(await Spaces.UnlinkProfileAsync(space.Id, second.Id));
        Assert.False(await Spaces.UnlinkProfileAsync(space.Id, SortableId.Create(TimeProvider.System)));
        Assert.False(await Spaces.UnlinkProfileAsync(SortableId.Create(TimeProvider.System), first.Id));
        Assert.False(await Spaces.UnlinkProfileAsync("not-an-id", "not-an-id"));
        Assert.Equal([first.Id, third.Id], (await Spaces.ListLinkedProfilesAsync(space.Id)).Select(p => p.Id));
        Assert.NotNull(await Profiles.GetProfileAsync(second.Id));
    }

    [Fact]
    public async Task Link_UnknownSpaceOrProfile_ThrowsNotFoundNamingWhich()
    {
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s"));
        var profile = await NewProfileAsync("p");

        foreach (var spaceId in new[] { SortableId.Create(TimeProvider.System), "not-an-id" })
        {
            var error = await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Spaces.LinkProfileAsync(spaceId, profile.Id));
            Assert.Equal(spaceId, error.Extensions["spaceId"]);
        }

        foreach (var profileId in new[] { SortableId.Create(TimeProvider.System), "not-an-id" })
        {
            var error = await AssertErrorAsync(GatewayErrorCodes.ProfileNotFound, () => Spaces.LinkProfileAsync(space.Id, profileId));
            Assert.Equal("profileId", error.Extensions["field"]);
        }

        Assert.Empty(await Spaces.ListLinkedProfilesAsync(space.Id));
    }

    [Fact]
    public async Task ListLinkedAndCount_UnknownOrMalformedSpace_ThrowSpaceNotFound()
    {
        foreach (var spaceId in new[] { SortableId.Create(TimeProvider.System), "not-an-id" })
        {
            await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Spaces.ListLinkedProfilesAsync(spaceId));
            await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Spaces.CountConversationsAsync(spaceId));
        }
    }

    [Fact]
    public async Task UnlinkProfile_TheDefault_ClearsTheDefault()
    {
        var writer = await NewProfileAsync("Writer");
        var coder = await NewProfileAsync("Coder");
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s", DefaultProfileId: writer.Id));
        await Spaces.LinkProfileAsync(space.Id, coder.Id);

        Assert.True(await Spaces.UnlinkProfileAsync(space.Id, coder.Id));
        Assert.Equal(writer.Id, (await Spaces.GetSpaceAsync(space.Id))!.DefaultProfileId);
        Assert.True(await Spaces.UnlinkProfileAsync(space.Id, writer.Id));

        var after = await Spaces.GetSpaceAsync(space.Id);
        Assert.Null(after!.DefaultProfileId);
        Assert.True(after.UpdatedAt >= space.UpdatedAt);
        Assert.Empty(await Spaces.ListLinkedProfilesAsync(space.Id));
    }

    [Fact]
    public async Task CountConversations_CountsArchivedAndNotOnlyThisSpace()
    {
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s"));
        var other = await Spaces.CreateSpaceAsync(new SpaceDefinition("other"));
        Assert.Equal(0, await Spaces.CountConversationsAsync(space.Id));

        await Conversations.CreateConversationAsync(new NewConversation("a", space.Id));
        var archived = await Conversations.CreateConversationAsync(new NewConversation("b", space.Id));
        await Conversations.UpdateConversationAsync(archived.Id, new ConversationPatch(Archived: true));
        await Conversations.CreateConversationAsync(new NewConversation("c", other.Id));
        await Conversations.CreateConversationAsync(new NewConversation("d"));

        Assert.Equal(2, await Spaces.CountConversationsAsync(space.Id));
        Assert.Equal(1, await Spaces.CountConversationsAsync(other.Id));
    }

    [Fact]
    public async Task DeleteSpace_RefuseWithConversations_ThrowsNotEmptyWithTheCountAndChangesNothing()
    {
        var profile = await NewProfileAsync("p");
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s", DefaultProfileId: profile.Id));
        var (conversations, messages) = await FillSpaceAsync(space.Id);

        var error = await AssertErrorAsync(GatewayErrorCodes.SpaceNotEmpty, () => Spaces.DeleteSpaceAsync(space.Id, SpaceDeletion.RefuseIfConversations));

        Assert.Equal(GatewayErrorKind.Conflict, error.Kind);
        Assert.Equal(2, error.Extensions["conversationCount"]);
        Assert.Equal(space.Id, error.Extensions["spaceId"]);
        AssertSameSpace(space, (await Spaces.GetSpaceAsync(space.Id))!);
        Assert.Equal([profile.Id], (await Spaces.ListLinkedProfilesAsync(space.Id)).Select(p => p.Id));
        Assert.Equal(2, await Spaces.CountConversationsAsync(space.Id));
        foreach (var id in conversations)
        {
            Assert.Equal(space.Id, (await Conversations.GetConversationAsync(id))!.SpaceId);
        }

        Assert.Equal(messages.Order(StringComparer.Ordinal), await SearchAsync("okapi"));
    }

    [Fact]
    public async Task DeleteSpace_RefuseWhenEmpty_DeletesItAndItsLinksButNotTheProfiles()
    {
        var profile = await NewProfileAsync("p");
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s", DefaultProfileId: profile.Id));

        Assert.True(await Spaces.DeleteSpaceAsync(space.Id, SpaceDeletion.RefuseIfConversations));

        Assert.Null(await Spaces.GetSpaceAsync(space.Id));
        Assert.NotNull(await Profiles.GetProfileAsync(profile.Id));
        await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Spaces.ListLinkedProfilesAsync(space.Id));
        var again = await Spaces.CreateSpaceAsync(new SpaceDefinition("S", DefaultProfileId: profile.Id));
        Assert.Equal([profile.Id], (await Spaces.ListLinkedProfilesAsync(again.Id)).Select(p => p.Id));
    }

    [Fact]
    public async Task DeleteSpace_DeleteConversations_RemovesThemTheirMessagesAndTheirSearchEntries()
    {
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s"));
        var (conversations, _) = await FillSpaceAsync(space.Id);
        var outside = await Conversations.CreateConversationAsync(new NewConversation("outside"));
        var kept = await Conversations.AppendMessageAsync(outside.Id, new NewMessage("user", "an okapi outside the space"));

        Assert.True(await Spaces.DeleteSpaceAsync(space.Id, SpaceDeletion.DeleteConversations));

        Assert.Null(await Spaces.GetSpaceAsync(space.Id));
        foreach (var id in conversations)
        {
            Assert.Null(await Conversations.GetConversationAsync(id));
            await AssertErrorAsync(GatewayErrorCodes.ConversationNotFound, () => Conversations.GetBranchAsync(id));
        }

        Assert.Equal([kept.Id], await SearchAsync("okapi"));
        Assert.Equal(1, (await Conversations.GetConversationAsync(outside.Id))!.MessageCount);
    }

    [Fact]
    public async Task DeleteSpace_DetachConversations_KeepsThemAndTheirMessagesWithNoSpace()
    {
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s"));
        var (conversations, messages) = await FillSpaceAsync(space.Id);
        var before = await Conversations.GetConversationAsync(conversations[0]);

        Assert.True(await Spaces.DeleteSpaceAsync(space.Id, SpaceDeletion.DetachConversations));

        Assert.Null(await Spaces.GetSpaceAsync(space.Id));
        foreach (var id in conversations)
        {
            var conversation = await Conversations.GetConversationAsync(id);
            Assert.NotNull(conversation);
            Assert.Null(conversation.SpaceId);
        }

        var after = await Conversations.GetConversationAsync(conversations[0]);
        Assert.Equal(before!.MessageCount, after!.MessageCount);
        Assert.Equal(before.Archived, after.Archived);
        Assert.True(after.UpdatedAt >= before.UpdatedAt);
        Assert.Equal(messages.Order(StringComparer.Ordinal), await SearchAsync("okapi"));
        Assert.Empty((await Conversations.ListConversationsAsync(new ConversationQuery(SpaceId: space.Id, Archived: null))).Items);
    }

    [Fact]
    public async Task DeleteSpace_UnknownOrMalformedOrTwice_ReturnsFalse()
    {
        var space = await Spaces.CreateSpaceAsync(new SpaceDefinition("s"));

        Assert.True(await Spaces.DeleteSpaceAsync(space.Id, SpaceDeletion.DetachConversations));
        Assert.False(await Spaces.DeleteSpaceAsync(space.Id, SpaceDeletion.RefuseIfConversations));
        Assert.False(await Spaces.DeleteSpaceAsync(SortableId.Create(TimeProvider.System), SpaceDeletion.DeleteConversations));
        Assert.False(await Spaces.DeleteSpaceAsync("not-an-id", SpaceDeletion.DetachConversations));
    }

    /// <summary>Record equality, except metadata, which is compared as JSON.</summary>
    protected static void AssertSameSpace(Space expected, Space actual)
    {
        Assert.True(JsonElement.DeepEquals(expected.Metadata, actual.Metadata), $"metadata {expected.Metadata} != {actual.Metadata}");
        Assert.Equal(expected with { Metadata = default }, actual with { Metadata = default });
    }

    private Task<ModelProfile> NewProfileAsync(string name) =>
        Profiles.CreateProfileAsync(new ModelProfileDefinition(name, "local", Temperature: 0.3f, Stop: ["END"]));

    // Two conversations in the space (one archived) with a branch of messages each that mention an okapi.
    private async Task<(List<string> Conversations, List<string> Messages)> FillSpaceAsync(string spaceId)
    {
        var conversations = new List<string>();
        var messages = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var conversation = await Conversations.CreateConversationAsync(new NewConversation($"c{i}", spaceId));
            conversations.Add(conversation.Id);
            messages.Add((await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", $"tell me about the okapi {i}"))).Id);
            messages.Add((await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", $"the okapi is a giraffid {i}"))).Id);
        }

        await Conversations.UpdateConversationAsync(conversations[1], new ConversationPatch(Archived: true));
        return (conversations, messages);
    }

    private async Task<List<string>> SearchAsync(string text)
    {
        await Store.CatchUpSearchIndexAsync();
        var results = await Store.Search.SearchAsync(new MessageSearchQuery(text, Limit: StorePaging.MaxLimit));
        return [.. results.Hits.Select(hit => hit.MessageId).Order(StringComparer.Ordinal)];
    }
}
