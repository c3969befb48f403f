using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every <see cref="IModelProfileStore"/> must do: every field round-trips, names are unique
/// ignoring case (decided by the database, also between clients), keyset pages by id, validation errors
/// that name their field, and deleting a profile unlinks it from spaces.
/// </summary>
public abstract class ModelProfileStoreConformanceTests : StoreConformanceTests
{
    private IModelProfileStore Profiles => Store.Profiles;

    /// <summary>A definition with every field set.</summary>
    protected static ModelProfileDefinition FullDefinition(string name = "Writer") => new(
        name,
        "gpt-4o.mini",
        SystemPrompt: "You write short, plain sentences. 📝",
        Temperature: 0.7f,
        TopP: 0.95f,
        MaxTokens: 512,
        Stop: ["\n\nUser:", "END"],
        ContextWindow: 128_000,
        Metadata: JsonElement.Parse("""{"team":"docs","tags":["a","b"],"n":1.5}"""));

    [Fact]
    public async Task CreateProfile_EveryFieldSet_IsReadBackEqual()
    {
        var definition = FullDefinition();

        var created = await Profiles.CreateProfileAsync(definition);
        var read = await Profiles.GetProfileAsync(created.Id);

        Assert.True(SortableId.IsWellFormed(created.Id));
        Assert.Equal("Writer", created.Name);
        Assert.Equal("gpt-4o.mini", created.ModelKey);
        Assert.Equal(definition.SystemPrompt, created.SystemPrompt);
        Assert.Equal(0.7f, created.Temperature);
        Assert.Equal(0.95f, created.TopP);
        Assert.Equal(512, created.MaxTokens);
        Assert.Equal(["\n\nUser:", "END"], created.Stop);
        Assert.Equal(128_000, created.ContextWindow);
        Assert.True(JsonElement.DeepEquals(definition.Metadata!.Value, created.Metadata));
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.NotNull(read);
        AssertSameProfile(created, read);
    }

    [Fact]
    public async Task CreateProfile_OnlyRequiredFields_LeavesTheRestUnsetAndMetadataEmpty()
    {
        var created = await Profiles.CreateProfileAsync(new ModelProfileDefinition("Plain", "local"));
        var read = await Profiles.GetProfileAsync(created.Id);

        Assert.Null(created.SystemPrompt);
        Assert.Null(created.Temperature);
        Assert.Null(created.TopP);
        Assert.Null(created.MaxTokens);
        Assert.Empty(created.Stop);
        Assert.Null(created.ContextWindow);
        Assert.Equal(JsonValueKind.Object, created.Metadata.ValueKind);
        Assert.Empty(created.Metadata.EnumerateObject());
        AssertSameProfile(created, read!);
    }

    [Fact]
    public async Task CreateProfile_BoundaryValues_AreKeptExactly()
    {
        var created = await Profiles.CreateProfileAsync(new ModelProfileDefinition(
            "Edges", "m", Temperature: 0f, TopP: 1f, MaxTokens: 1, Stop: [], ContextWindow: int.MaxValue));
        var other = await Profiles.CreateProfileAsync(new ModelProfileDefinition("Edges 2", "m", Temperature: 2f, TopP: float.Epsilon));

        AssertSameProfile(created, (await Profiles.GetProfileAsync(created.Id))!);
        Assert.Equal(0f, created.Temperature);
        Assert.Equal(1f, created.TopP);
        Assert.Equal(int.MaxValue, created.ContextWindow);
        Assert.Equal(2f, (await Profiles.GetProfileAsync(other.Id))!.Temperature);
        Assert.Equal(float.Epsilon, (await Profiles.GetProfileAsync(other.Id))!.TopP);
    }

    [Fact]
    public async Task UpdateProfile_ReplacesEveryField_KeepsIdAndCreatedAt()
    {
        var created = await Profiles.CreateProfileAsync(FullDefinition());

        var updated = await Profiles.UpdateProfileAsync(created.Id, new ModelProfileDefinition("Writer v2", "local", Temperature: 1.25f));
        var read = await Profiles.GetProfileAsync(created.Id);

        Assert.NotNull(updated);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("Writer v2", updated.Name);
        Assert.Equal("local", updated.ModelKey);
        Assert.Null(updated.SystemPrompt);
        Assert.Equal(1.25f, updated.Temperature);
        Assert.Null(updated.TopP);
        Assert.Null(updated.MaxTokens);
        Assert.Empty(updated.Stop);
        Assert.Null(updated.ContextWindow);
        Assert.Empty(updated.Metadata.EnumerateObject());
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        AssertSameProfile(updated, read!);
    }

    [Fact]
    public async Task UpdateProfile_Unknown_ReturnsNull()
    {
        Assert.Null(await Profiles.UpdateProfileAsync(SortableId.Create(TimeProvider.System), FullDefinition()));
        Assert.Null(await Profiles.UpdateProfileAsync("not-an-id", FullDefinition()));
    }

    [Fact]
    public async Task GetAndFind_UnknownOrMalformed_ReturnNull()
    {
        await Profiles.CreateProfileAsync(FullDefinition());

        Assert.Null(await Profiles.GetProfileAsync(SortableId.Create(TimeProvider.System)));
        Assert.Null(await Profiles.GetProfileAsync("not-an-id"));
        Assert.Null(await Profiles.GetProfileAsync(string.Empty));
        Assert.Null(await Profiles.GetProfileAsync("'; DROP TABLE model_profiles; --"));
        Assert.Null(await Profiles.FindProfileByNameAsync("Reader"));
        Assert.Null(await Profiles.FindProfileByNameAsync(string.Empty));
        Assert.Null(await Profiles.FindProfileByNameAsync("bad\0name"));
        Assert.Null(await Profiles.FindProfileByNameAsync(new string('x', ModelProfileRules.MaxNameLength + 1)));
    }

    [Fact]
    public async Task FindProfileByName_IgnoresCase()
    {
        var created = await Profiles.CreateProfileAsync(FullDefinition("Café Writer"));

        Assert.Equal(created.Id, (await Profiles.FindProfileByNameAsync("Café Writer"))?.Id);
        Assert.Equal(created.Id, (await Profiles.FindProfileByNameAsync("CAFÉ WRITER"))?.Id);
        Assert.Equal(created.Id, (await Profiles.FindProfileByNameAsync("café writer"))?.Id);
    }

    [Fact]
    public async Task CreateProfile_NameTakenIgnoringCase_ThrowsProfileNameTaken()
    {
        await Profiles.CreateProfileAsync(FullDefinition("Writer"));

        var error = await AssertErrorAsync(GatewayErrorCodes.ProfileNameTaken, () => Profiles.CreateProfileAsync(FullDefinition("WRITER")));

        Assert.Equal(GatewayErrorKind.Conflict, error.Kind);
        Assert.Equal("name", error.Extensions["field"]);
        Assert.Single((await Profiles.ListProfilesAsync(new ProfileQuery())).Items);
    }

    [Fact]
    public async Task UpdateProfile_ToAnotherProfilesNameIgnoringCase_ThrowsAndKeepsBoth()
    {
        var writer = await Profiles.CreateProfileAsync(FullDefinition("Writer"));
        var coder = await Profiles.CreateProfileAsync(FullDefinition("Coder"));

        await AssertErrorAsync(GatewayErrorCodes.ProfileNameTaken, () => Profiles.UpdateProfileAsync(coder.Id, FullDefinition("writer")));

        AssertSameProfile(writer, (await Profiles.GetProfileAsync(writer.Id))!);
        AssertSameProfile(coder, (await Profiles.GetProfileAsync(coder.Id))!);
    }

    [Fact]
    public async Task UpdateProfile_KeepingItsOwnNameOrChangingItsCase_IsAllowed()
    {
        var writer = await Profiles.CreateProfileAsync(FullDefinition("Writer"));

        var same = await Profiles.UpdateProfileAsync(writer.Id, FullDefinition("Writer") with { MaxTokens = 100 });
        var recased = await Profiles.UpdateProfileAsync(writer.Id, FullDefinition("WRITER"));

        Assert.Equal(100, same!.MaxTokens);
        Assert.Equal("WRITER", recased!.Name);
        Assert.Equal(writer.Id, (await Profiles.FindProfileByNameAsync("writer"))!.Id);
    }

    [Fact]
    public async Task CreateProfile_NameFreedByRenameOrDelete_CanBeTakenAgain()
    {
        var first = await Profiles.CreateProfileAsync(FullDefinition("Writer"));
        await Profiles.UpdateProfileAsync(first.Id, FullDefinition("Old writer"));
        var second = await Profiles.CreateProfileAsync(FullDefinition("Writer"));
        Assert.True(await Profiles.DeleteProfileAsync(second.Id));

        var third = await Profiles.CreateProfileAsync(FullDefinition("writer"));

        Assert.Equal(third.Id, (await Profiles.FindProfileByNameAsync("WRITER"))!.Id);
    }

    [Fact]
    public async Task CreateProfile_ConcurrentSameNameFromTwoClients_ExactlyOneWins()
    {
        await using var second = await Store.OpenSecondClientAsync();
        var stores = new[] { Profiles, second.Profiles };

        var (won, lost) = await RaceAsync(8, i => stores[i % 2].CreateProfileAsync(FullDefinition(i % 2 == 0 ? "Racer" : "RACER")));

        var winner = Assert.Single(won);
        Assert.All(lost, error => Assert.Equal(GatewayErrorCodes.ProfileNameTaken, error.ErrorCode));
        Assert.Equal(7, lost.Count);
        var listed = await Profiles.ListProfilesAsync(new ProfileQuery());
        Assert.Equal([winner.Id], listed.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task SecondClient_SeesWritesOfTheFirst()
    {
        await using var second = await Store.OpenSecondClientAsync();

        var created = await Profiles.CreateProfileAsync(FullDefinition());
        AssertSameProfile(created, (await second.Profiles.GetProfileAsync(created.Id))!);
        var updated = await second.Profiles.UpdateProfileAsync(created.Id, FullDefinition("Renamed"));
        AssertSameProfile(updated!, (await Profiles.FindProfileByNameAsync("renamed"))!);
        Assert.True(await second.Profiles.DeleteProfileAsync(created.Id));

        Assert.Null(await Profiles.GetProfileAsync(created.Id));
    }

    [Fact]
    public async Task ListProfiles_SevenWithLimitThree_OldestFirstWithoutDuplicatesOrGaps()
    {
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await Profiles.CreateProfileAsync(FullDefinition($"p{i}"))).Id);
        }

        var (listed, pages) = await ListAllAsync(cursor => Profiles.ListProfilesAsync(new ProfileQuery(3, cursor)));

        Assert.Equal(created, listed.Select(p => p.Id));
        Assert.Equal([3, 3, 1], pages);
    }

    [Fact]
    public async Task ListProfiles_Empty_ReturnsNoItemsAndNoCursor()
    {
        var page = await Profiles.ListProfilesAsync(new ProfileQuery());

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListProfiles_CursorOfAnotherListingOrGarbage_ThrowsInvalidCursor()
    {
        var conversations = await ListingCursors.OfConversationsAsync(Store);
        var spaces = await ListingCursors.OfSpacesAsync(Store);

        foreach (var cursor in new[] { conversations, spaces, "garbage", "cDE6eA" })
        {
            var error = await AssertErrorAsync(GatewayErrorCodes.InvalidCursor, () => Profiles.ListProfilesAsync(new ProfileQuery(3, cursor)));
            Assert.Equal("cursor", error.Extensions["field"]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(StorePaging.MaxLimit + 1)]
    public async Task ListProfiles_LimitOutOfRange_ThrowsInvalidRequestNamingLimit(int limit)
    {
        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Profiles.ListProfilesAsync(new ProfileQuery(limit)));

        Assert.Equal("limit", error.Extensions["field"]);
    }

    /// <summary>Definitions that break one rule each, and the field the error must name.</summary>
    public static TheoryData<string, string> InvalidDefinitions() => new()
    {
        { "temperature 2.5", "temperature" },
        { "temperature -0.1", "temperature" },
        { "topP -0.1", "topP" },
        { "topP 0", "topP" },
        { "topP 1.5", "topP" },
        { "maxTokens -1", "maxTokens" },
        { "maxTokens 0", "maxTokens" },
        { "contextWindow 0", "contextWindow" },
        { "empty name", "name" },
        { "blank name", "name" },
        { "long name", "name" },
        { "control in name", "name" },
        { "bad modelKey", "modelKey" },
        { "empty modelKey", "modelKey" },
        { "NUL in systemPrompt", "systemPrompt" },
        { "empty stop", "stop[1]" },
        { "too many stops", "stop" },
        { "metadata array", "metadata" },
        { "metadata string", "metadata" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public async Task CreateAndUpdateProfile_InvalidField_ThrowInvalidRequestNamingItAndWriteNothing(string what, string field)
    {
        var existing = await Profiles.CreateProfileAsync(FullDefinition("Existing"));
        var definition = Invalid(what);

        var onCreate = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Profiles.CreateProfileAsync(definition));
        var onUpdate = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Profiles.UpdateProfileAsync(existing.Id, definition));

        Assert.Equal(field, onCreate.Extensions["field"]);
        Assert.Equal(field, onUpdate.Extensions["field"]);
        Assert.Equal([existing.Id], (await Profiles.ListProfilesAsync(new ProfileQuery())).Items.Select(p => p.Id));
        AssertSameProfile(existing, (await Profiles.GetProfileAsync(existing.Id))!);
    }

    [Fact]
    public async Task DeleteProfile_LinkedAndDefault_UnlinksItAndClearsTheDefault()
    {
        var writer = await Profiles.CreateProfileAsync(FullDefinition("Writer"));
        var coder = await Profiles.CreateProfileAsync(FullDefinition("Coder"));
        var docs = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Docs", DefaultProfileId: writer.Id));
        var code = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Code", DefaultProfileId: coder.Id));
        await Store.Spaces.LinkProfileAsync(code.Id, writer.Id);

        Assert.True(await Profiles.DeleteProfileAsync(writer.Id));

        var docsAfter = await Store.Spaces.GetSpaceAsync(docs.Id);
        Assert.Null(docsAfter!.DefaultProfileId);
        Assert.True(docsAfter.UpdatedAt >= docs.UpdatedAt);
        Assert.Empty(await Store.Spaces.ListLinkedProfilesAsync(docs.Id));
        Assert.Equal(coder.Id, (await Store.Spaces.GetSpaceAsync(code.Id))!.DefaultProfileId);
        Assert.Equal([coder.Id], (await Store.Spaces.ListLinkedProfilesAsync(code.Id)).Select(p => p.Id));
        Assert.Null(await Profiles.GetProfileAsync(writer.Id));
        Assert.Null(await Profiles.FindProfileByNameAsync("writer"));
    }

    [Fact]
    public async Task DeleteProfile_UnknownOrMalformedOrTwice_ReturnsFalse()
    {
        var profile = await Profiles.CreateProfileAsync(FullDefinition());

        Assert.True(await Profiles.DeleteProfileAsync(profile.Id));
        Assert.False(await Profiles.DeleteProfileAsync(profile.Id));
        Assert.False(await Profiles.DeleteProfileAsync(SortableId.Create(TimeProvider.System)));
        Assert.False(await Profiles.DeleteProfileAsync("not-an-id"));
    }

    private static ModelProfileDefinition Invalid(string what) => what switch
    {
        "temperature 2.5" => FullDefinition() with { Temperature = 2.5f },
        "temperature -0.1" => FullDefinition() with { Temperature = -0.1f },
        "topP -0.1" => FullDefinition() with { TopP = -0.1f },
        "topP 0" => FullDefinition() with { TopP = 0f },
        "topP 1.5" => FullDefinition() with { TopP = 1.5f },
        "maxTokens -1" => FullDefinition() with { MaxTokens = -1 },
        "maxTokens 0" => FullDefinition() with { MaxTokens = 0 },
        "contextWindow 0" => FullDefinition() with { ContextWindow = 0 },
        "empty name" => FullDefinition(string.Empty),
        "blank name" => FullDefinition("   "),
        "long name" => FullDefinition(new string('n', ModelProfileRules.MaxNameLength + 1)),
        "control in name" => FullDefinition("tab\there"),
        "bad modelKey" => FullDefinition() with { ModelKey = "no spaces/allowed" },
        "empty modelKey" => FullDefinition() with { ModelKey = string.Empty },
        "NUL in systemPrompt" => FullDefinition() with { SystemPrompt = "before\0after" },
        "empty stop" => FullDefinition() with { Stop = ["ok", string.Empty] },
        "too many stops" => FullDefinition() with { Stop = [.. Enumerable.Range(0, ModelProfileRules.MaxStopSequences + 1).Select(i => $"s{i}")] },
        "metadata array" => FullDefinition() with { Metadata = JsonElement.Parse("[1,2]") },
        "metadata string" => FullDefinition() with { Metadata = JsonElement.Parse("\"text\"") },
        _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
    };
}
