using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What <see cref="ConversationService"/> adds over each backend's stores: a conversation is created in,
/// or moved into, only a space that exists, and nothing is written when it does not.
/// </summary>
public abstract class ConversationServiceConformanceTests : StoreConformanceTests
{
    private const string MissingSpaceId = "0190f0f0-0000-7000-8000-00000000beef";

    private ConversationService Service => new(Store.Conversations, Store.Spaces);

    [Fact]
    public async Task Create_InAnExistingSpace_StoresTheConversationThere()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Travel"));

        var created = await Service.CreateAsync(new NewConversation("Trip", space.Id));

        Assert.Equal(space.Id, (await Store.Conversations.GetConversationAsync(created.Id))!.SpaceId);
    }

    [Fact]
    public async Task Create_InAMissingSpace_ThrowsSpaceNotFoundAndStoresNothing()
    {
        var error = await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Service.CreateAsync(new NewConversation("Trip", MissingSpaceId)));

        Assert.Equal("spaceId", error.Extensions["field"]);
        Assert.Empty((await Store.Conversations.ListConversationsAsync(new ConversationQuery(Archived: null))).Items);
    }

    [Fact]
    public async Task Create_WithoutASpaceStore_KeepsTheSpaceIdAsGiven()
    {
        var created = await new ConversationService(Store.Conversations).CreateAsync(new NewConversation("Trip", MissingSpaceId));

        Assert.Equal(MissingSpaceId, created.SpaceId);
    }

    [Fact]
    public async Task Update_IntoAMissingSpace_ThrowsSpaceNotFoundAndKeepsTheConversation()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Travel"));
        var created = await Service.CreateAsync(new NewConversation("Trip", space.Id));

        await AssertErrorAsync(GatewayErrorCodes.SpaceNotFound, () => Service.UpdateAsync(created.Id, new ConversationPatch(Title: "Moved", SpaceId: MissingSpaceId)));

        var stored = (await Store.Conversations.GetConversationAsync(created.Id))!;
        Assert.Equal(("Trip", space.Id), (stored.Title, stored.SpaceId));
    }

    [Fact]
    public async Task Update_OutOfItsSpace_NeedsNoSpace()
    {
        var space = await Store.Spaces.CreateSpaceAsync(new SpaceDefinition("Travel"));
        var created = await Service.CreateAsync(new NewConversation("Trip", space.Id));

        var moved = await Service.UpdateAsync(created.Id, new ConversationPatch(SpaceId: string.Empty));

        Assert.Null(moved!.SpaceId);
    }

    [Fact]
    public async Task Update_UnknownConversation_ReturnsNull()
    {
        Assert.Null(await Service.UpdateAsync("0190f0f0-0000-7000-8000-000000000000", new ConversationPatch(Title: "x")));
    }
}
